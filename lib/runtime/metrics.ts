import type { Firestore } from '@google-cloud/firestore';
import { currentStats } from '../metrics/rollup.ts';
import type { Stats } from '../metrics/stats.ts';
import { loadOwnerDirectory, loadSources } from '../sources/index.ts';
import { MetricsStore } from '../store/metrics-store.ts';
import { parseDuration } from '../util/duration.ts';
import { storageTimeout } from './env.ts';

export interface MetricsWiring {
  store: MetricsStore;
  /** How long the rollup leaves new facts to settle: COMET_METRICS_SETTLE, 5 minutes. */
  settleMs: number;
  stats: (options: { coverageDays: number; asOf?: Date }) => Promise<Stats>;
}

/** What the API and dispatch share for metrics: the store, the OUs from the owner directory, the registered sources. */
export function metricsFromEnvironment(db: Firestore, env: NodeJS.ProcessEnv): MetricsWiring {
  const store = new MetricsStore(db, { timeoutMs: storageTimeout(env) });
  const ous = loadOwnerDirectory(env).ous();
  // Loaded on first use: the API does not otherwise load the plugins.
  let sources: Promise<string[]> | undefined;
  return {
    store,
    settleMs: parseDuration(env.COMET_METRICS_SETTLE ?? '5m'),
    stats: async ({ coverageDays, asOf }) => {
      sources ??= loadSources().then((registry) => registry.all().map((s) => s.name));
      return currentStats({ store, now: () => new Date(), ous, sources: await sources, coverageDays, asOf });
    },
  };
}
