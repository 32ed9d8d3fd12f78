import { duplicateDelivery } from './duplicate-delivery.ts';
import { poisonMessages } from './poison-messages.ts';

/** Every reliability scenario, in the order of docs/reliability.md. */
export const SCENARIOS = [duplicateDelivery, poisonMessages];
