import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Router } from '../../lib/model/delivery.ts';
import { Registry } from '../../lib/plugin/registry.ts';
import { defineSource } from '../../lib/plugin/source.ts';
import { loadSources } from '../../lib/sources/index.ts';

const source = (name: string) => defineSource({ name, schema: z.object({}), hydrate: () => ({ metadata: {} }) });
const router = (): Router => async () => undefined;

describe('Registry', () => {
  it('runs every router registered for a source by name, in a list, or for all', () => {
    const registry = new Registry().registerSource(source('a')).registerSource(source('b')).registerSource(source('c'));
    const [forA, forAB, forAll] = [router(), router(), router()];
    registry.registerRouter('a', forA).registerRouter(['a', 'b'], forAB).registerRouter('*', forAll);
    expect(registry.routersFor('a')).toEqual([forA, forAB, forAll]);
    expect(registry.routersFor('b')).toEqual([forAB, forAll]);
    expect(registry.routersFor('c')).toEqual([forAll]);
  });

  it('keeps escalators apart from routers', () => {
    const registry = new Registry().registerSource(source('a'));
    const escalator = async () => undefined;
    registry.registerEscalator('a', escalator);
    expect(registry.escalatorsFor('a')).toEqual([escalator]);
    expect(registry.routersFor('a')).toEqual([]);
  });

  it('refuses outputs for unknown sources, a source registered twice, and bad names', () => {
    const registry = new Registry().registerSource(source('a'));
    expect(() => registry.registerRouter(['a', 'typo'], router())).toThrow(/no source named "typo"/);
    expect(() => registry.registerRouter([], router())).toThrow(/at least one source/);
    expect(() => registry.registerSource(source('a'))).toThrow(/registered twice/);
    expect(() => source('Bad Name')).toThrow(/invalid source name "Bad Name"/);
  });

  it('finds every plugin file in lib/sources', async () => {
    const registry = await loadSources();
    expect(registry.all().map((s) => s.name)).toEqual(['detectify', 'forseti', 'riskytoaster']);
  });

  it('fails at startup on a bad config, naming the source and the key', () => {
    expect(() => defineSource({ name: 'x', schema: z.object({}), hydrate: () => ({ metadata: {} }), config: { newThreshold: 'a week' } })).toThrow(
      /source "x"[\s\S]*newThreshold/,
    );
  });
});
