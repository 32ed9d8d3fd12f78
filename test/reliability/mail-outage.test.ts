import { describeScenario } from './describe-scenario.ts';
import { mailOutage } from './scenarios/mail-outage.ts';

describeScenario(mailOutage);
