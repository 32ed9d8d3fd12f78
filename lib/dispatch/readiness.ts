import type { SourceConfig } from '../plugin/source-config.ts';

export type Readiness =
  | { ready: true; reason: 'real-time' | 'quiet' | 'max-wait' }
  | { ready: false; reason: 'empty' | 'waiting-for-more' };

/**
 * The original's batch rule: a batch is ready once its newest pending event
 * is older than `waitForMore` (the scan has gone quiet) or its oldest is
 * older than `maxWait` (it has waited long enough). Real-time sources never wait.
 */
export function batchReadiness(pending: { oldest: Date; newest: Date } | undefined, config: SourceConfig, now: Date): Readiness {
  if (!pending) return { ready: false, reason: 'empty' };
  if (config.realTime) return { ready: true, reason: 'real-time' };
  if (now.getTime() - pending.oldest.getTime() >= config.maxWait) return { ready: true, reason: 'max-wait' };
  if (now.getTime() - pending.newest.getTime() >= config.waitForMore) return { ready: true, reason: 'quiet' };
  return { ready: false, reason: 'waiting-for-more' };
}
