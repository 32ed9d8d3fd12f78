import { describeScenario } from './describe-scenario.ts';
import { duplicateDelivery } from './scenarios/duplicate-delivery.ts';

describeScenario(duplicateDelivery);
