import type { Escalator, Router } from '../model/delivery.ts';
import type { Registry } from '../plugin/registry.ts';

/**
 * Where digests and escalations go. Email goes out for every source; register
 * more outputs here (a chat webhook for one source, a ticket for several)
 * with `registerRouter` and `registerEscalator`: every matching one runs.
 */
export function registerOutputs(registry: Registry, email: { router: Router; escalator: Escalator }): Registry {
  return registry.registerRouter('*', email.router).registerEscalator('*', email.escalator);
}
