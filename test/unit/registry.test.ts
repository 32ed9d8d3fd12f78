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

  it("lays COMET_SOURCE_CONFIG over the plugins' own settings, keeping the rest", async () => {
    const registry = await loadSources(undefined, { COMET_SOURCE_CONFIG: JSON.stringify({ forseti: { floodGuard: { minNewIssues: 20 }, maxWait: '1m' } }) });
    const forseti = registry.source('forseti')!;
    expect(forseti.config.floodGuard).toEqual({ minNewIssues: 20, factor: 10 });
    expect(forseti.config.maxWait).toBe(60_000);
    expect(forseti.config.schedule).toBe((await loadSources(undefined, {})).source('forseti')!.config.schedule);
  });

  it.each([
    ['not JSON', '{forseti', /is not JSON/],
    ['a list', '[]', /must be a JSON object/],
    ['an unknown source', '{"nessus": {}}', /names no such source: nessus/],
    ['settings that are not an object', '{"forseti": null}', /settings of "forseti" must be a JSON object/],
    ['a schedule', '{"forseti": {"schedule": "0 * * * *"}}', /schedule of "forseti" is set in its plugin/],
    ['a bad value', '{"forseti": {"maxWait": "soon"}}', /source "forseti"[\s\S]*maxWait/],
  ])('refuses a COMET_SOURCE_CONFIG with %s, at startup', async (_what, json, message) => {
    await expect(loadSources(undefined, { COMET_SOURCE_CONFIG: json })).rejects.toThrow(message);
  });

  it('fails at startup on a bad config, naming the source and the key', () => {
    expect(() => defineSource({ name: 'x', schema: z.object({}), hydrate: () => ({ metadata: {} }), config: { newThreshold: 'a week' } })).toThrow(
      /source "x"[\s\S]*newThreshold/,
    );
  });
});
