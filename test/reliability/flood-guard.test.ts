import { describeScenario } from './describe-scenario.ts';
import { floodGuard } from './scenarios/flood-guard.ts';

describeScenario(floodGuard);
