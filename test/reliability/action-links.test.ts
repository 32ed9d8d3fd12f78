import { describeScenario } from './describe-scenario.ts';
import { actionLinks } from './scenarios/action-links.ts';

describeScenario(actionLinks);
