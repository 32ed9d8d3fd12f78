import { writeFileSync } from 'node:fs';
import { DocumentReference, Firestore, Query, Transaction, WriteBatch } from '@google-cloud/firestore';
import { FirestoreRest } from '../lib/store/firestore-rest.ts';

/**
 * Counts Firestore operations as Firestore bills them, by wrapping the
 * client's own methods: documents read (an empty query still bills one),
 * documents written, and round trips. Loaded with `--import` into a function
 * process, it also writes its counts to COMET_BENCH_OPS_FILE.
 */
export interface OpCounts {
  reads: number;
  writes: number;
  roundTrips: number;
}

const counts: OpCounts = { reads: 0, writes: 0, roundTrips: 0 };

export function opCounts(): OpCounts {
  return { ...counts };
}

export function resetOpCounts(): void {
  counts.reads = 0;
  counts.writes = 0;
  counts.roundTrips = 0;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

function wrap(prototype: object, name: string, count: (args: unknown[], result: unknown) => void): void {
  const original = (prototype as Record<string, Method>)[name] as Method;
  (prototype as Record<string, Method>)[name] = function (this: unknown, ...args: unknown[]) {
    const result = original.apply(this, args);
    if (result instanceof Promise) return result.then((value) => (count(args, value), value));
    count(args, result);
    return result;
  };
}

for (const op of ['set', 'create', 'update', 'delete']) wrap(WriteBatch.prototype, op, () => counts.writes++);
wrap(WriteBatch.prototype, 'commit', () => counts.roundTrips++);
wrap(Query.prototype, 'get', (_args, snapshot) => {
  counts.roundTrips++;
  counts.reads += Math.max(1, (snapshot as { size: number }).size);
});
// DocumentReference.get goes through Firestore.getAll, so only getAll counts reads.
wrap(Firestore.prototype, 'getAll', (args) => {
  counts.roundTrips++;
  counts.reads += args.filter((a) => a instanceof DocumentReference).length;
});
wrap(Transaction.prototype, 'get', () => {
  counts.roundTrips++;
  counts.reads++;
});
// A transaction's commit goes through a private method; count it per transaction.
wrap(Firestore.prototype, 'runTransaction', () => counts.roundTrips++);

// The ingest path's REST client.
wrap(FirestoreRest.prototype, 'commit', (args) => {
  counts.roundTrips++;
  counts.writes += (args[0] as unknown[]).length;
});
wrap(FirestoreRest.prototype, 'get', () => {
  counts.roundTrips++;
  counts.reads++;
});

const file = process.env.COMET_BENCH_OPS_FILE;
if (file) {
  const flush = () => writeFileSync(file, JSON.stringify(counts));
  setInterval(flush, 200).unref();
  process.on('exit', flush);
}
