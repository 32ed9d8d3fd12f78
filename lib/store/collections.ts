/**
 * Collection names, in one place so the docs, indexes and code agree. A
 * module of its own: the ingest path needs the names, not the client library.
 */
export const COLLECTIONS = {
  events: 'events',
  issues: 'issues',
  deadLetters: 'deadLetters',
  /** One per source: the dispatch lease and when the source last escalated. */
  dispatchState: 'dispatchState',
  /** The audit trail: every action taken on an issue. */
  interactions: 'interactions',
  /** Metrics: one per UTC day and source, written by the rollup. */
  metricsDays: 'metricsDays',
  /** Metrics: how far the rollup has folded, and the last weekly summary. */
  metricsState: 'metricsState',
} as const;
