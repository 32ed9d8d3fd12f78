import { describeScenario } from './describe-scenario.ts';
import { storageOutage } from './scenarios/storage-outage.ts';

describeScenario(storageOutage);
