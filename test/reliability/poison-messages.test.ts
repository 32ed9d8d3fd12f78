import { describeScenario } from './describe-scenario.ts';
import { poisonMessages } from './scenarios/poison-messages.ts';

describeScenario(poisonMessages);
