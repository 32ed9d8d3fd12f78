import type { Registry } from '../lib/plugin/registry.ts';
import { type Cron, parseCron } from './cron.ts';

export interface LocalScheduler {
  stop(): void;
}


/**
 * Plays Cloud Scheduler locally: at the start of every minute, posts
 * `{"source": NAME}` to the dispatch function for each source whose
 * schedule matches, as the Terraform-made jobs do in Google Cloud.
 */
export function startScheduler(registry: Registry, dispatchUrl: string, onResult: (source: string, outcome: string) => void): LocalScheduler {
  const jobs: { source: string; cron: Cron }[] = registry.all().map((s) => ({ source: s.name, cron: parseCron(s.config.schedule) }));
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const now = new Date();
    for (const job of jobs.filter((j) => j.cron.matches(now))) {
      fetch(dispatchUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: job.source }) })
        .then(async (res) => onResult(job.source, `${res.status} ${await res.text()}`))
        .catch((error: unknown) => onResult(job.source, `failed: ${(error as Error).message}`));
    }
    schedule();
  };
  const schedule = () => {
    const now = Date.now();
    timer = setTimeout(tick, 60_000 - (now % 60_000) + 50);
  };
  schedule();
  return { stop: () => clearTimeout(timer) };
}
