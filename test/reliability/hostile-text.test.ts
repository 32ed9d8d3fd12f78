import { describeScenario } from './describe-scenario.ts';
import { hostileText } from './scenarios/hostile-text.ts';

describeScenario(hostileText);
