import type { MetricsStore } from '../store/metrics-store.ts';
import { LOG_METRICS, type Logger, metricFields } from '../util/log.ts';
import { foldFacts, type FoldResult } from './fold.ts';
import { Rollups } from './rollups.ts';
import { computeStats, lastDays, MAX_DAYS, type Stats } from './stats.ts';

const DAY_MS = 86_400_000;
/**
 * Facts folded between two commits. Reading 5,000 facts takes several round
 * trips, so the watermark and each day document are written well under once
 * a second however large the backlog.
 */
const FACTS_PER_COMMIT = 5_000;

/** What the rollup needs of the store. */
export type RollupStore = Pick<MetricsStore, 'foldedUpTo' | 'events' | 'interactions' | 'issues' | 'mark' | 'commit'>;

export interface RollupDependencies {
  store: RollupStore;
  now: () => Date;
  /**
   * Facts younger than this are left to the next rollup: an ingest write
   * stamped before a fold may commit after it. /v0/stats folds them live.
   */
  settleMs: number;
  log: Logger;
}

export interface RollupSummary {
  status: 'folded' | 'up-to-date' | 'lost-race';
  facts: number;
  foldedUpTo: string | null;
}

/**
 * Folds events and interactions since the watermark into the day rollups,
 * a day of facts at a time, committing every few thousand facts. Before
 * the first rollup, metrics start 30 days back: as far as any window reaches.
 */
export async function runRollup(deps: RollupDependencies): Promise<RollupSummary> {
  const target = new Date(deps.now().getTime() - deps.settleMs);
  let committed = await deps.store.foldedUpTo();
  let from = committed ?? metricsStart(deps.now());
  const summary: RollupSummary = { status: 'up-to-date', facts: 0, foldedUpTo: committed?.toISOString() ?? null };
  let rollups = new Rollups();
  let pending: FoldResult[] = [];
  let uncommitted = 0;
  while (from < target) {
    const to = new Date(Math.min(from.getTime() + DAY_MS, target.getTime()));
    const folded = await foldRange(deps.store, from, to, rollups);
    await deps.store.mark(folded.result.marks);
    pending.push(folded.result);
    summary.facts += folded.facts;
    uncommitted += folded.facts;
    from = to;
    if (uncommitted < FACTS_PER_COMMIT && from < target) continue;
    if (!(await deps.store.commit(committed, from, rollups.list()))) {
      deps.log.notice('metrics rollup stopped: another rollup moved the watermark first');
      return { ...summary, status: 'lost-race' };
    }
    logCounted(deps.log, pending);
    committed = from;
    summary.status = 'folded';
    summary.foldedUpTo = from.toISOString();
    rollups = new Rollups();
    pending = [];
    uncommitted = 0;
  }
  deps.log.info(`metrics rollup ${summary.status}`, { summary });
  return summary;
}

export interface StatsDependencies {
  store: MetricsStore;
  now: () => Date;
  ous: readonly string[];
  sources: readonly string[];
  coverageDays: number;
  /** The windows end on this day; today by default. */
  asOf?: Date | undefined;
}

/**
 * The figures as of now: the stored day rollups of the last 30 days, plus
 * everything after the watermark folded in memory (marks are read, never
 * written), so they are exact and current between rollups.
 */
export async function currentStats(deps: StatsDependencies): Promise<Stats & { foldedUpTo: string | null }> {
  const now = deps.now();
  const asOf = deps.asOf ?? now;
  const { foldedUpTo, rollups: stored } = await deps.store.rolledUp(lastDays(asOf, MAX_DAYS)[0] as string);
  const rollups = new Rollups(stored);
  await foldRange(deps.store, foldedUpTo ?? metricsStart(asOf), now, rollups);
  const stats = computeStats({ now: asOf, rollups: rollups.list(), ous: deps.ous, sources: deps.sources, coverageDays: deps.coverageDays });
  return { ...stats, generatedAt: now.toISOString(), foldedUpTo: foldedUpTo?.toISOString() ?? null };
}

async function foldRange(store: RollupStore, after: Date, upTo: Date, rollups: Rollups): Promise<{ facts: number; result: FoldResult }> {
  const [events, interactions] = await Promise.all([store.events(after, upTo), store.interactions(after, upTo)]);
  const issues = await store.issues([...events, ...interactions].map((f) => f.fingerprint));
  return { facts: events.length + interactions.length, result: foldFacts({ events, interactions, issues }, rollups) };
}

/** The instant before the first day of the longest window. */
function metricsStart(now: Date): Date {
  return new Date(Date.parse(`${lastDays(now, MAX_DAYS)[0]}T00:00:00Z`) - 1);
}

function logCounted(log: Logger, folds: readonly FoldResult[]): void {
  for (const fold of folds) {
    for (const dims of fold.opened) log.info('issue opened', metricFields(LOG_METRICS.issueOpened, dims));
    for (const { action, ...dims } of fold.actions) log.info(`issue action: ${action}`, metricFields(LOG_METRICS.issueAction, dims, { action }));
    for (const { seconds, ...dims } of fold.firstActions) log.info('first action on an issue', metricFields(LOG_METRICS.firstAction, dims, { seconds }));
  }
}
