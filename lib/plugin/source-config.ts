import { z } from 'zod';
import { durationMs } from '../util/duration.ts';

/** Five-field cron, as Cloud Scheduler and the local scheduler take it. */
const CRON = /^(\S+\s+){4}\S+$/;

/** Holds a batch that opens more new issues than both figures allow; see docs/reliability.md. */
const floodGuardSchema = z.strictObject({
  /** Never hold a batch of this many new issues or fewer... */
  minNewIssues: z.number().int().min(1).default(500),
  /** ...nor one under this many times the source's usual number per batch. */
  factor: z.number().min(1).default(10),
});

/**
 * Per-source settings. Keys are the original Comet's, in camelCase; the
 * defaults are the original's too (seconds, fit for a demo: production
 * sources set minutes to days). Durations are written with units: "3s",
 * "10m", "7d".
 */
export const sourceConfigSchema = z.strictObject({
  /** One mail per owner listing all open issues; false mails only new and reminder-due ones. */
  communicationDigestMode: z.boolean().default(true),
  /** A batch is ready once its newest unprocessed event is older than this... */
  waitForMore: durationMs.prefault('3s'),
  /** ...or its oldest unprocessed event is older than this. */
  maxWait: durationMs.prefault('4s'),
  /** An issue is new if never processed, or last processed longer ago than this (a regression). */
  newThreshold: durationMs.prefault('7d'),
  /** An old issue is mailed again once the last mail about it is older than this. */
  ownerReminderCadence: durationMs.prefault('7d'),
  /** An issue first seen longer ago than this is escalated. */
  escalationTime: durationMs.prefault('10s'),
  /** At most one escalation mail per source within this span. */
  escalationReminderCadence: durationMs.prefault('7d'),
  /** Who receives escalations; without one, nothing escalates. */
  escalationRecipient: z.email().optional(),
  /** The most issues one mail lists; it says how many more there are. */
  digestLimit: z.number().int().min(1).max(500).default(50),
  /** The digest's subject; `{source}` (its readable name), `{count}` and `{new}` are filled in. */
  subject: z.string().min(1).max(200).default('{source}: {count} open security issues for you, {new} new'),
  /** When dispatch runs for this source: a five-field cron expression. */
  schedule: z.string().regex(CRON, 'must be a five-field cron expression such as "*/5 * * * *"').default('* * * * *'),
  /** The same alert body received again within this span is a duplicate, not a new sighting. */
  dedupeWindow: durationMs.prefault('1h'),
  /** Alert bodies larger than this are refused. */
  maxAlertBytes: z.number().int().positive().max(10 * 1024 * 1024).default(256 * 1024),
  /**
   * Real-time sources skip batching: every event goes out at once and is
   * escalated when nobody acts on it within `escalateCadence`.
   */
  realTime: z.boolean().default(false),
  escalateCadence: durationMs.prefault('36h'),
  /** `false` turns the flood guard off for this source. */
  floodGuard: z.union([z.literal(false), floodGuardSchema]).prefault({}),
});

export type SourceConfigInput = z.input<typeof sourceConfigSchema>;
export type SourceConfig = z.output<typeof sourceConfigSchema>;

/** Parses a source's config, failing with a message that names the source and the key. */
export function parseSourceConfig(source: string, input: SourceConfigInput | undefined): SourceConfig {
  const result = sourceConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.length > 0 ? issue.path.join('.') : (issue as { keys?: string[] }).keys?.join(', ') ?? '(config)';
    return `  ${key}: ${issue.message}`;
  });
  throw new Error(`invalid config for source "${source}":\n${problems.join('\n')}`);
}
