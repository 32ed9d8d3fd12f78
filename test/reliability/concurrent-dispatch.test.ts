import { describeScenario } from './describe-scenario.ts';
import { concurrentDispatch } from './scenarios/concurrent-dispatch.ts';

describeScenario(concurrentDispatch);
