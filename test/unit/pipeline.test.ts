import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runPipeline } from '../../lib/ingest/pipeline.ts';
import { PermanentHydrationError, Refusal } from '../../lib/ingest/refusal.ts';
import { OwnerDirectory } from '../../lib/owners/directory.ts';
import { Registry } from '../../lib/plugin/registry.ts';
import { defineSource, type Hydration } from '../../lib/plugin/source.ts';
import { loadSources } from '../../lib/sources/index.ts';

const NOW = new Date('2026-12-04T12:00:00Z');
const owners = new OwnerDirectory({ defaultOwner: 'default@example.com', rules: [{ name: 'known', match: 'known/*', owner: 'known@example.com' }] });

function message(data: unknown, attributes: Record<string, string> = { source_type: 'test' }) {
  const raw = typeof data === 'string' ? data : JSON.stringify(data);
  return { messageId: 'm1', publishTime: new Date('2026-12-04T11:59:59Z'), attributes, data: Buffer.from(raw).toString('base64') };
}

function registryWith(hydrate: () => Hydration | Promise<Hydration>, filter?: () => boolean) {
  return new Registry().registerSource(
    defineSource({
      name: 'test',
      schema: z.object({ resource: z.string(), n: z.number().optional() }),
      ignoreFields: ['n'],
      hydrate,
      ...(filter ? { filter } : {}),
      config: { maxAlertBytes: 1_000 },
    }),
  );
}

const simple = registryWith(() => ({ owner: owners.resolve('known/x'), metadata: { resource: 'known/x' } }));
const run = (data: unknown, registry = simple, attributes?: Record<string, string>) => runPipeline(message(data, attributes), { registry, owners, now: () => NOW });

async function refusalOf(promise: Promise<unknown>): Promise<Refusal> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Refusal);
  return error as Refusal;
}

describe('runPipeline', () => {
  it('turns a valid alert into an event with owner, rule, fingerprint and metadata', async () => {
    const outcome = await run({ resource: 'known/x', n: 1 });
    expect(outcome.kind).toBe('accepted');
    if (outcome.kind !== 'accepted') return;
    expect(outcome.event).toMatchObject({
      source: 'test',
      owner: 'known@example.com',
      ownerRule: 'known',
      metadata: { resource: 'known/x' },
      alert: { resource: 'known/x', n: 1 },
      messageId: 'm1',
      receivedAt: NOW,
    });
    const again = await run({ n: 2, resource: 'known/x' });
    expect(again.kind === 'accepted' && again.event.fingerprint).toBe(outcome.event.fingerprint);
    expect(again.kind === 'accepted' && again.event.id).not.toBe(outcome.event.id);
  });

  it('gives an alert without an owner to the default owner', async () => {
    const outcome = await run({ resource: 'x' }, registryWith(() => ({ metadata: {} })));
    expect(outcome.kind === 'accepted' && [outcome.event.owner, outcome.event.ownerRule]).toEqual(['default@example.com', 'default']);
  });

  it('takes a fingerprint override, and refuses one the API could not address', async () => {
    const custom = await run({ resource: 'x' }, registryWith(() => ({ fingerprint: 'test_custom-1', metadata: {} })));
    expect(custom.kind === 'accepted' && custom.event.fingerprint).toBe('test_custom-1');
    const bad = await refusalOf(run({ resource: 'x' }, registryWith(() => ({ fingerprint: 'has spaces!', metadata: {} }))));
    expect(bad.reason).toBe('invalid_hydration');
    expect(bad.details).toEqual(['fingerprint: must be 8 to 1024 characters of [a-zA-Z0-9._-]']);
  });

  it('refuses hydrator output that is not an owner email or valid metadata', async () => {
    expect((await refusalOf(run({ resource: 'x' }, registryWith(() => ({ owner: 'bob', metadata: {} }))))).reason).toBe('invalid_hydration');
    const badSeverity = await refusalOf(run({ resource: 'x' }, registryWith(() => ({ metadata: { severity: 'urgent' } }) as unknown as Hydration)));
    expect(badSeverity.details[0]).toMatch(/^metadata\.severity/);
  });

  it('drops an alert its filter rejects', async () => {
    const outcome = await run({ resource: 'x' }, registryWith(() => ({ metadata: {} }), () => false));
    expect(outcome.kind).toBe('filtered');
  });

  it('refuses permanently on PermanentHydrationError, and passes other hydrator errors through for a retry', async () => {
    const permanent = registryWith(() => {
      throw new PermanentHydrationError('no such asset');
    });
    const refusal = await refusalOf(run({ resource: 'x' }, permanent));
    expect([refusal.reason, refusal.message]).toEqual(['hydration_failed', 'no such asset']);
    const transient = registryWith(() => Promise.reject(new Error('directory API timed out')));
    await expect(run({ resource: 'x' }, transient)).rejects.toThrow('directory API timed out');
  });

  it.each([
    ['no source_type', { resource: 'x' }, {}, 'missing_source_type'],
    ['an unknown source_type', { resource: 'x' }, { source_type: 'nessus' }, 'unknown_source'],
    ['invalid JSON', '{"resource": ', undefined, 'invalid_json'],
    ['a JSON array', '[1, 2]', undefined, 'not_an_object'],
    ['a JSON string', '"alert"', undefined, 'not_an_object'],
    ['a schema violation', { resource: 7 }, undefined, 'schema_violation'],
    ['a __proto__ key', '{"resource": "x", "__proto__": {"polluted": true}}', undefined, 'forbidden_key'],
    ['a nested constructor key', '{"resource": "x", "a": {"constructor": {"prototype": 1}}}', undefined, 'forbidden_key'],
    ['a Firestore-reserved key', '{"resource": "x", "__name__": 1}', undefined, 'forbidden_key'],
    ['a __proto__ key spelled with escapes', '{"resource": "x", "a": [{"\\u005f_proto__": {"polluted": true}}]}', undefined, 'forbidden_key'],
    ['a key with spaces before its colon', '{"resource": "x", "constructor"  : 1}', undefined, 'forbidden_key'],
    ['deep nesting', `{"resource": "x", "a": ${'['.repeat(40)}${']'.repeat(40)}}`, undefined, 'too_deep'],
    ['an oversize body', { resource: 'x'.repeat(2_000) }, undefined, 'oversize'],
    ['a NUL character', '{"resource": "x\\u0000y"}', undefined, 'control_characters'],
    ['an escape sequence for terminals', '{"resource": "\\u001b[31mred"}', undefined, 'control_characters'],
    ['a raw DEL character', '{"resource": "a\u007fb"}', undefined, 'control_characters'],
    ['a backspace after an escaped backslash', '{"resource": "a\\\\\\b"}', undefined, 'control_characters'],
    ['an integer past 2^53', '{"resource": "x", "id": 9007199254740993}', undefined, 'out_of_range'],
    ['a number that parses to Infinity', '{"resource": "x", "score": -1e400}', undefined, 'out_of_range'],
  ])('refuses %s', async (_what, data, attributes, reason) => {
    const refusal = await refusalOf(run(data, simple, attributes));
    expect(refusal.reason).toBe(reason);
  });

  it('accepts reserved words as values, and escaped quotes in strings', async () => {
    const outcome = await run({ resource: 'x', note: 'the "constructor": field', other: '__proto__' } as never, registryWith(() => ({ metadata: {} })));
    expect(outcome.kind).toBe('accepted');
  });

  it('accepts tabs and line breaks, escaped backslashes, long digit strings and ordinary exponents', async () => {
    for (const text of [
      '{"resource": "x", "note": "a\\tb\\nc\\r", "path": "C:\\\\bin\\\\foo", "id": "9007199254740993", "count": 12345678901234}',
      '{"resource": "x", "ratio": 1e20, "tiny": 1.5e-300, "big": -1e308}',
    ]) {
      expect((await run(text, registryWith(() => ({ metadata: {} })))).kind).toBe('accepted');
    }
  });

  it('does not count brackets inside strings towards depth', async () => {
    const outcome = await run({ resource: 'x', note: '['.repeat(100) } as never, registryWith(() => ({ metadata: {} })));
    expect(outcome.kind).toBe('accepted');
  });

  it('reports which fields broke the schema', async () => {
    const registry = await loadSources();
    const refusal = await refusalOf(run({ id: 1, project_id: 'p', resource: 'policy_violations' }, registry, { source_type: 'forseti' }));
    expect(refusal.reason).toBe('schema_violation');
    expect(refusal.details).toEqual(expect.arrayContaining([expect.stringMatching(/^project_owner: /), expect.stringMatching(/^resource_type: /)]));
  });
});
