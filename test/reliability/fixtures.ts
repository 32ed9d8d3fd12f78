import type { Firestore, Query } from '@google-cloud/firestore';
import { pubsubClient } from '../../emulator/local-stack.ts';
import type { DispatchSummary } from '../../lib/dispatch/run.ts';
import { eventually, functionLog, sample, type TestStack } from '../support/harness.ts';

export interface Message {
  data: string | Buffer;
  attributes: Record<string, string>;
}

export const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A forseti alert of its own: a project and resource per `i`, for `owner`. */
export function forsetiAlert(i: number, owner: string, overrides: Record<string, unknown> = {}): Message {
  const alert = { ...JSON.parse(sample('forseti')), id: i, project_id: `project-${i}`, resource_id: `resource-${i}`, project_owner: owner, ...overrides };
  return { data: JSON.stringify(alert), attributes: { source_type: 'forseti' } };
}

/** Publishes through the Pub/Sub emulator, many at a time; the message ids in order. */
export async function publishAll(stack: TestStack, messages: readonly Message[], concurrency = 100): Promise<string[]> {
  const pubsub = pubsubClient(stack.pubsubHost, stack.projectId);
  const topic = pubsub.topic(stack.topic, { batching: { maxMessages: 50, maxMilliseconds: 5 } });
  const ids: string[] = [];
  let next = 0;
  try {
    await Promise.all(
      range(Math.min(concurrency, messages.length)).map(async () => {
        while (next < messages.length) {
          const i = next++;
          const { data, attributes } = messages[i] as Message;
          ids[i] = await topic.publishMessage({ data: Buffer.from(data), attributes });
        }
      }),
    );
  } finally {
    await pubsub.close();
  }
  return ids;
}

/** How often ingest settled each message: stored, a duplicate, filtered out or refused. Failures that lead to redelivery do not count. */
export function settledCounts(stack: TestStack): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of functionLog(stack, 'ingest')) {
    if (!line.messageId || line.severity === 'ERROR') continue;
    counts.set(line.messageId, (counts.get(line.messageId) ?? 0) + 1);
  }
  return counts;
}

/** Waits until every message was settled, then a little longer, so that a redelivery would show. */
export async function untilSettled(stack: TestStack, ids: readonly string[], timeoutMs = 600_000): Promise<Map<string, number>> {
  await eventually(
    `ingest to settle ${ids.length} messages`,
    () => {
      const counts = settledCounts(stack);
      return ids.every((id) => counts.has(id)) ? true : undefined;
    },
    timeoutMs,
  );
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  return settledCounts(stack);
}

export async function count(query: Query): Promise<number> {
  return (await query.count().get()).data().count;
}

export const pendingEvents = (db: Firestore, source: string) => count(db.collection('events').where('source', '==', source).where('processedAt', '==', null));

/** One dispatch run of one source, told it is `at`. */
export async function dispatchAt(stack: TestStack, source: string, at: Date): Promise<DispatchSummary> {
  const res = await fetch(stack.dispatch.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-comet-now': at.toISOString() },
    body: JSON.stringify({ source }),
  });
  if (res.status !== 200) throw new Error(`dispatch answered ${res.status}: ${await res.text()}`);
  const [summary] = ((await res.json()) as { summaries: DispatchSummary[] }).summaries;
  return summary as DispatchSummary;
}

const HOUR = 3_600_000;

/** Dispatch runs an hour apart, from a day ahead, until nothing is pending; the number of runs. */
export async function dispatchUntilDrained(stack: TestStack, db: Firestore, source: string, maxRuns = 50): Promise<number> {
  const start = Date.now() + 24 * HOUR;
  for (let run = 0; run < maxRuns; run++) {
    if ((await pendingEvents(db, source)) === 0) return run;
    await dispatchAt(stack, source, new Date(start + run * HOUR));
  }
  throw new Error(`${source} still has pending events after ${maxRuns} dispatch runs`);
}

/** The owner of every issue, from Firestore. */
export async function issueOwners(db: Firestore): Promise<Map<string, string>> {
  const snap = await db.collection('issues').select('owner').get();
  return new Map(snap.docs.map((d) => [d.id, d.get('owner') as string]));
}

/** For each issue, how many times the mails to its owner list it (its fingerprint appears once per listing in the text part). */
export function listings(stack: TestStack, owners: ReadonlyMap<string, string>): Map<string, number> {
  const mails = stack.sink.mails();
  const counts = new Map<string, number>();
  for (const [fingerprint, owner] of owners) {
    const n = mails.filter((m) => m.to.includes(owner)).reduce((sum, m) => sum + m.text.split(fingerprint).length - 1, 0);
    counts.set(fingerprint, n);
  }
  return counts;
}

/** Mails per recipient. */
export function mailsPerRecipient(stack: TestStack): Map<string, number> {
  const counts = new Map<string, number>();
  for (const mail of stack.sink.mails()) for (const to of mail.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

export const countOf = <T>(values: Iterable<T>, predicate: (value: T) => boolean) => [...values].filter(predicate).length;

/** Turns the flood guard off for forseti: scenarios about something else send more new issues at once than it allows. */
export const WITHOUT_FLOOD_GUARD = { COMET_SOURCE_CONFIG: JSON.stringify({ forseti: { floodGuard: false } }) };
