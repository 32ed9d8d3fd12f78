import type { Mailer } from '../mail/sendgrid.ts';
import type { MailTemplate } from '../mail/templates.ts';
import type { MetricsStore } from '../store/metrics-store.ts';
import { dayOf } from './model.ts';
import { type RollupDependencies, runRollup } from './rollup.ts';
import type { Stats } from './stats.ts';
import { renderWeeklySummary } from './summary-mail.ts';

/**
 * The metrics jobs the dispatch function runs when Cloud Scheduler posts
 * `{"job": NAME}`, and their schedules (UTC), which terraform/scheduler.tf
 * repeats and the Terraform test holds to these.
 */
export const METRICS_JOBS = {
  'metrics-rollup': '*/10 * * * *',
  'weekly-summary': '0 8 * * 1',
} as const;
export type MetricsJob = keyof typeof METRICS_JOBS;
export const METRICS_JOB_NAMES = Object.keys(METRICS_JOBS) as [MetricsJob, ...MetricsJob[]];

/** Longer than a send can take; a run that crashed holding the claim delays the summary this long at most. */
const SUMMARY_CLAIM_MS = 15 * 60_000;

/** The weekly summary's coverage window: OUs a source sent nothing this week. */
const SUMMARY_COVERAGE_DAYS = 7;

export interface MetricsJobDependencies extends RollupDependencies {
  store: MetricsStore;
  stats: (options: { coverageDays: number; asOf?: Date }) => Promise<Stats>;
  summary: {
    template: MailTemplate;
    mailer: Mailer;
    /** COMET_SECURITY_MAIL; without it the summary is only logged. */
    to: string | undefined;
    dashboardUrl: string;
  };
}

/** `deps.now` may be a local run's moved clock (`X-Comet-Now`): the summary takes it, the rollup does not. */
export function runMetricsJob(job: MetricsJob, deps: MetricsJobDependencies): Promise<object> {
  switch (job) {
    case 'metrics-rollup':
      // Told it is tomorrow, the rollup would move its watermark past facts not stored yet.
      return runRollup({ ...deps, now: () => new Date() });
    case 'weekly-summary':
      return sendWeeklySummary(deps);
  }
}

/**
 * Mails the figures of the 7 whole days before today to the security team,
 * so that Monday's summaries cover Monday to Sunday and leave no gap
 * between them. Once per week: a retry of a sent summary does nothing, and
 * a claim keeps two overlapping runs from both sending. Recorded after
 * sending, so a crash between the two can repeat the mail, never lose it.
 */
async function sendWeeklySummary(deps: MetricsJobDependencies): Promise<object> {
  const endOfYesterday = new Date(Date.parse(`${dayOf(deps.now())}T00:00:00Z`) - 1);
  const stats = await deps.stats({ coverageDays: SUMMARY_COVERAGE_DAYS, asOf: endOfYesterday });
  const week = stats.windows.week;
  const figures = { firstDay: week.from, lastDay: week.to, totals: week.totals, gaps: stats.coverage.gaps.length };
  const { to } = deps.summary;
  if (!to) {
    deps.log.warning('weekly summary not mailed: COMET_SECURITY_MAIL is not set', figures);
    return { status: 'no-recipient', ...figures };
  }
  // The claim runs on the real clock, whatever time the run is told it is.
  const claim = await deps.store.claimWeeklySummary(week.to, new Date(), SUMMARY_CLAIM_MS);
  if (claim !== 'claimed') return { status: claim, ...figures };
  try {
    await deps.summary.mailer.send(renderWeeklySummary(deps.summary.template, stats, to, deps.summary.dashboardUrl));
  } catch (error) {
    await deps.store.finishWeeklySummary(week.to, false);
    throw error;
  }
  await deps.store.finishWeeklySummary(week.to, true);
  deps.log.notice('weekly summary sent', { to, ...figures });
  return { status: 'sent', to, ...figures };
}
