import { duplicateDelivery } from './duplicate-delivery.ts';

/** Every reliability scenario, in the order of docs/reliability.md. */
export const SCENARIOS = [duplicateDelivery];
