import type { Firestore, Query } from '@google-cloud/firestore';
import { COLLECTIONS } from './collections.ts';

/**
 * Every Firestore query Comet runs, as data. The stores build their queries
 * from these, and the Terraform test derives the composite indexes they need
 * from the same specs, so code and indexes cannot drift apart (the emulator
 * does not enforce indexes, production does).
 */
export interface QuerySpec {
  collection: string;
  /** Fields compared with `==`, in this order. */
  equals: readonly string[];
  /** A field compared with `<`, `<=`, `>` or `>=`. */
  range?: { field: string; op: '<' | '<=' | '>' | '>=' };
  orderBy: readonly (readonly [string, 'asc' | 'desc'])[];
  select?: readonly string[];
}

export const QUERIES = {
  /** Q1: a source's pending events, oldest first, paged. */
  pendingEvents: { collection: COLLECTIONS.events, equals: ['source', 'processedAt'], orderBy: [['receivedAt', 'asc'], ['__name__', 'asc']], select: ['fingerprint', 'owner', 'receivedAt'] },
  /** Q1/Q2: the oldest and newest pending event. */
  oldestPending: { collection: COLLECTIONS.events, equals: ['source', 'processedAt'], orderBy: [['receivedAt', 'asc']], select: ['receivedAt'] },
  newestPending: { collection: COLLECTIONS.events, equals: ['source', 'processedAt'], orderBy: [['receivedAt', 'desc']], select: ['receivedAt'] },
  /** Q4: an owner's recent issues. */
  ownerIssues: { collection: COLLECTIONS.issues, equals: ['owner'], range: { field: 'lastSeen', op: '>=' }, orderBy: [['lastSeen', 'desc']] },
  /** Q7: real-time escalations due. */
  escalationsDue: { collection: COLLECTIONS.issues, equals: ['source'], range: { field: 'escalationDueAt', op: '<=' }, orderBy: [['escalationDueAt', 'asc']] },
  /** Q9, Q10: audit trails. */
  issueInteractions: { collection: COLLECTIONS.interactions, equals: ['fingerprint'], orderBy: [['at', 'desc']] },
  ownerInteractions: { collection: COLLECTIONS.interactions, equals: ['owner'], orderBy: [['at', 'desc']] },
  /** Q11, Q12: what the metrics rollup folds, in order, after its watermark. */
  eventsUpTo: { collection: COLLECTIONS.events, equals: [], range: { field: 'receivedAt', op: '<=' }, orderBy: [['receivedAt', 'asc'], ['__name__', 'asc']], select: ['fingerprint', 'source', 'metadata', 'receivedAt'] },
  interactionsUpTo: { collection: COLLECTIONS.interactions, equals: [], range: { field: 'at', op: '<=' }, orderBy: [['at', 'asc'], ['__name__', 'asc']], select: ['fingerprint', 'source', 'action', 'at'] },
  /** Q13: the day rollups of the last 30 days. */
  recentRollups: { collection: COLLECTIONS.metricsDays, equals: [], range: { field: 'day', op: '>=' }, orderBy: [['day', 'asc']] },
} as const satisfies Record<string, QuerySpec>;

/** The query a spec describes, with values for its `equals` fields (in order) and its range. */
export function buildQuery(db: Firestore, spec: QuerySpec, values: { equals: readonly unknown[]; range?: unknown }): Query {
  let query: Query = db.collection(spec.collection);
  spec.equals.forEach((field, i) => {
    query = query.where(field, '==', values.equals[i]);
  });
  if (spec.range) query = query.where(spec.range.field, spec.range.op, values.range);
  for (const [field, direction] of spec.orderBy) query = query.orderBy(field, direction);
  if (spec.select) query = query.select(...spec.select);
  return query;
}

export interface IndexField {
  field: string;
  order: 'ASCENDING' | 'DESCENDING';
}

/**
 * The composite index a query needs, or undefined when single-field indexes
 * serve it: equality fields ascending, then the range and sort fields.
 */
export function compositeIndexFor(spec: QuerySpec): { collection: string; fields: IndexField[] } | undefined {
  const fields: IndexField[] = spec.equals.map((field) => ({ field, order: 'ASCENDING' }));
  const sorts = spec.orderBy.filter(([field]) => field !== '__name__');
  if (spec.range && !sorts.some(([field]) => field === spec.range?.field)) fields.push({ field: spec.range.field, order: 'ASCENDING' });
  for (const [field, direction] of sorts) fields.push({ field, order: direction === 'asc' ? 'ASCENDING' : 'DESCENDING' });
  return new Set(fields.map((f) => f.field)).size > 1 ? { collection: spec.collection, fields } : undefined;
}
