import type { RefusalReason } from '../../../lib/ingest/refusal.ts';
import { firestoreFor, sample, startStack, type TestStack } from '../../support/harness.ts';
import { count, countOf, forsetiAlert, type Message, publishAll, range, untilSettled } from '../fixtures.ts';
import { check, type Scenario } from '../scenario.ts';

interface Poison {
  kind: string;
  reason: RefusalReason;
  make(i: number): Message;
  /** Pub/Sub always delivers valid base64: a corrupt body can only come as a forged push. */
  forgedPush?: true;
}

const json = (value: unknown) => JSON.stringify(value);
const withSample = (name: string, overrides: Record<string, unknown>) => json({ ...JSON.parse(sample(name)), ...overrides });
const forseti = { source_type: 'forseti' };

/** Every kind of bad message, each for a reason of its own. */
const POISONS: Poison[] = [
  { kind: 'invalid base64', reason: 'invalid_base64', forgedPush: true, make: (i) => ({ data: `not base64 #${i}!`, attributes: forseti }) },
  { kind: 'empty data', reason: 'empty_data', make: (i) => ({ data: '', attributes: { ...forseti, n: String(i) } }) },
  { kind: 'invalid JSON', reason: 'invalid_json', make: (i) => ({ data: `{"id": ${i}, "project_id": `, attributes: forseti }) },
  { kind: 'invalid UTF-8', reason: 'invalid_utf8', make: (i) => ({ data: Buffer.concat([Buffer.from(`{"id": ${i}, "x": "`), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]), attributes: forseti }) },
  { kind: 'no source_type', reason: 'missing_source_type', make: (i) => ({ data: forsetiAlert(i, 'a@example.com').data, attributes: { scanner: 'forseti' } }) },
  { kind: 'unknown source_type', reason: 'unknown_source', make: (i) => ({ data: forsetiAlert(i, 'a@example.com').data, attributes: { source_type: `nessus-${i}` } }) },
  { kind: 'forseti schema', reason: 'schema_violation', make: (i) => ({ data: withSample('forseti', { resource_type: i }), attributes: forseti }) },
  { kind: 'detectify schema', reason: 'schema_violation', make: (i) => ({ data: withSample('detectify', { payload: `report ${i}` }), attributes: { source_type: 'detectify' } }) },
  { kind: 'riskytoaster schema', reason: 'schema_violation', make: (i) => ({ data: withSample('riskytoaster', { toaster_location_floor: `floor ${i}` }), attributes: { source_type: 'riskytoaster' } }) },
  { kind: '10 MB body', reason: 'oversize', make: (i) => ({ data: json({ id: i, padding: 'x'.repeat(10_000_000 - 40) }), attributes: forseti }) },
  { kind: 'nested 10,000 deep', reason: 'too_deep', make: (i) => ({ data: `{"id": ${i}, "a": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`, attributes: forseti }) },
  { kind: '__proto__ key', reason: 'forbidden_key', make: (i) => ({ data: `{"id": ${i}, "__proto__": {"isAdmin": true}}`, attributes: forseti }) },
  { kind: 'constructor key', reason: 'forbidden_key', make: (i) => ({ data: `{"id": ${i}, "violation_data": {"constructor": {"prototype": {"x": 1}}}}`, attributes: forseti }) },
  { kind: 'integer past 2^53', reason: 'out_of_range', make: (i) => ({ data: withSample('forseti', { id: 1, project_id: `p${i}` }).replace('"id":1', '"id":9007199254740993'), attributes: forseti }) },
  { kind: 'number overflowing', reason: 'out_of_range', make: (i) => ({ data: `{"id": ${i}, "rule_index": 1e999}`, attributes: forseti }) },
  { kind: 'control characters', reason: 'control_characters', make: (i) => ({ data: withSample('forseti', { id: i, rule_name: 'IAM\u0000roles\u001b[2J' }), attributes: forseti }) },
];

/** A push as Pub/Sub would make it, straight to ingest: the only way a message with corrupt base64 can arrive. */
async function forgedPush(stack: TestStack, message: Message, messageId: string): Promise<number> {
  const res = await fetch(`${stack.ingest.url}/projects/${stack.projectId}/topics/${stack.topic}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: json({
      subscription: `projects/${stack.projectId}/subscriptions/${stack.subscription}`,
      message: { data: message.data.toString(), attributes: message.attributes, messageId, publishTime: new Date().toISOString() },
    }),
  });
  return res.status;
}

/** Bad messages are dead letters with their reasons, once each, and good alerts among them are stored as if alone. */
export const poisonMessages: Scenario<{ bad: number; good: number; large: number }> = {
  name: 'poison messages',
  claim: 'dead-letters every bad message once, with its reason, and stores the good alerts among them',
  sizes: { test: { bad: 48, good: 8, large: 1 }, soak: { bad: 1_000, good: 100, large: 3 } },
  async run(emulators, size) {
    const stack = await startStack(emulators, 'poison');
    const db = firestoreFor(stack);
    try {
      // The 10 MB bodies are few: the point is that one is refused, not to move gigabytes.
      const kinds = POISONS.filter((p) => p.reason !== 'oversize');
      const large = POISONS.find((p) => p.reason === 'oversize') as Poison;
      const bad = [...range(size.large).map((i) => ({ poison: large, i })), ...range(size.bad - size.large).map((i) => ({ poison: kinds[i % kinds.length] as Poison, i }))];
      const every = Math.floor(bad.length / size.good);
      const published: { message: Message; expected: RefusalReason | 'stored' }[] = [];
      const forged: { message: Message; expected: RefusalReason }[] = [];
      bad.forEach(({ poison, i }, n) => {
        (poison.forgedPush ? forged : published).push({ message: poison.make(i), expected: poison.reason });
        if (n % every === 0 && published.filter((p) => p.expected === 'stored').length < size.good) {
          published.push({ message: forsetiAlert(100_000 + n, 'good-owner@example.com'), expected: 'stored' });
        }
      });
      const ids = await publishAll(stack, published.map((p) => p.message), 20);
      const forgedStatus = await Promise.all(forged.map((f, n) => forgedPush(stack, f.message, `forged-${n}`)));
      // Message id to what ingest should make of it.
      const expected = new Map<string, RefusalReason | 'stored'>(ids.map((id, n) => [id, (published[n] as (typeof published)[number]).expected]));
      forged.forEach((f, n) => expected.set(`forged-${n}`, f.expected));
      const settled = await untilSettled(stack, [...expected.keys()]);

      const letters = (await db.collection('deadLetters').select('messageId', 'reason').get()).docs.map((d) => ({ messageId: d.get('messageId') as string, reason: d.get('reason') as string }));
      const rightReason = countOf(letters, (l) => expected.get(l.messageId) === l.reason);
      const good = countOf(expected.values(), (e) => e === 'stored');
      const events = await count(db.collection('events'));
      const alive = stack.ingest.process.child.exitCode === null && (await fetch(stack.ingest.url).then(() => true, () => false));
      return {
        tried: `${bad.length} bad messages of ${POISONS.length} kinds (${size.large} of 10 MB, ${forged.length} as forged pushes) among ${good} good alerts`,
        checks: [
          check('dead letters', bad.length, letters.length),
          check('with the right reason', bad.length, rightReason),
          check('messages settled once', expected.size, countOf(expected.keys(), (id) => settled.get(id) === 1)),
          check('forged pushes acked', forged.length, countOf(forgedStatus, (s) => s >= 200 && s < 300)),
          check('good alerts stored', good, events),
          check('ingest still up', true, alive),
        ],
        lost: Math.abs(bad.length - letters.length) + Math.abs(good - events),
      };
    } finally {
      await db.terminate();
      await stack.stop();
    }
  },
};
