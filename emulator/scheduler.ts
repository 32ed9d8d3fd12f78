import type { Registry } from '../lib/plugin/registry.ts';
import { METRICS_JOBS } from '../lib/metrics/jobs.ts';
import { type Cron, parseCron } from './cron.ts';

export interface LocalScheduler {
  stop(): void;
}

/**
 * Plays Cloud Scheduler locally: at the start of every minute, posts
 * `{"source": NAME}` to the dispatch function for each source whose
 * schedule matches, and `{"job": NAME}` for each metrics job, as the
 * Terraform-made jobs do in Google Cloud.
 */
export function startScheduler(registry: Registry, dispatchUrl: string, onResult: (source: string, outcome: string) => void): LocalScheduler {
  const jobs: { name: string; body: object; cron: Cron }[] = [
    ...registry.all().map((s) => ({ name: s.name, body: { source: s.name }, cron: parseCron(s.config.schedule) })),
    ...Object.entries(METRICS_JOBS).map(([job, schedule]) => ({ name: job, body: { job }, cron: parseCron(schedule) })),
  ];
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const now = new Date();
    for (const job of jobs.filter((j) => j.cron.matches(now))) {
      fetch(dispatchUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(job.body) })
        .then(async (res) => onResult(job.name, `${res.status} ${await res.text()}`))
        .catch((error: unknown) => onResult(job.name, `failed: ${(error as Error).message}`));
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
