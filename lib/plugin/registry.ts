import type { Escalator, Router } from '../model/delivery.ts';
import type { Source } from './source.ts';

/** One source by name, several, or `'*'` for all. */
export type SourceSelector = string | readonly string[];

interface Registered<T> {
  selector: SourceSelector;
  output: T;
}

/**
 * The sources Comet knows and the outputs that deliver for them. Routers and
 * escalators registered for one source, several or all: every matching one
 * runs, as in the original.
 */
export class Registry {
  private readonly sources = new Map<string, Source>();
  private readonly routers: Registered<Router>[] = [];
  private readonly escalators: Registered<Escalator>[] = [];

  registerSource(source: Source): this {
    if (this.sources.has(source.name)) throw new Error(`source "${source.name}" is registered twice`);
    this.sources.set(source.name, source);
    return this;
  }

  registerRouter(selector: SourceSelector, router: Router): this {
    this.routers.push({ selector: this.checked(selector), output: router });
    return this;
  }

  registerEscalator(selector: SourceSelector, escalator: Escalator): this {
    this.escalators.push({ selector: this.checked(selector), output: escalator });
    return this;
  }

  source(name: string): Source | undefined {
    return this.sources.get(name);
  }

  all(): Source[] {
    return [...this.sources.values()];
  }

  routersFor(source: string): Router[] {
    return matching(this.routers, source);
  }

  escalatorsFor(source: string): Escalator[] {
    return matching(this.escalators, source);
  }

  private checked(selector: SourceSelector): SourceSelector {
    const names = typeof selector === 'string' ? [selector] : selector;
    if (names.length === 0) throw new Error('a router or escalator needs at least one source, or "*" for all');
    const unknown = names.filter((n) => n !== '*' && !this.sources.has(n));
    if (unknown.length > 0) throw new Error(`no source named ${unknown.map((n) => `"${n}"`).join(', ')}; register sources before their outputs`);
    return selector;
  }
}

function matching<T>(registered: readonly Registered<T>[], source: string): T[] {
  return registered
    .filter(({ selector }) => (typeof selector === 'string' ? selector === '*' || selector === source : selector.includes(source)))
    .map(({ output }) => output);
}
