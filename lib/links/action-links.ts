import type { ActionLink } from '../model/delivery.ts';
import { type LinkAction, signLink } from './token.ts';

const BATCH_ACTIONS: [LinkAction, string][] = [
  ['snooze', 'Snooze'],
  ['falsepositive', 'False positive'],
  ['acceptrisk', 'Accept the risk'],
];

const REAL_TIME_ACTIONS: [LinkAction, string][] = [
  ['acknowledge', 'Acknowledge'],
  ['resolve', 'Resolved'],
  ['escalate', 'Escalate'],
  ['falsepositive', 'False positive'],
];

export interface LinkSettings {
  /** Where the v0 API is served, without a trailing slash. */
  apiBaseUrl: string;
  secret: string;
  ttlMs: number;
}

/** Signed one-action links for a mail to `recipient`, pointing at the v0 API's confirmation pages. */
export function actionLinks(settings: LinkSettings, now: Date, fingerprint: string, recipient: string, realTime: boolean): ActionLink[] {
  const expiresAt = new Date(now.getTime() + settings.ttlMs);
  return (realTime ? REAL_TIME_ACTIONS : BATCH_ACTIONS).map(([action, label]) => ({
    action,
    label,
    url: `${settings.apiBaseUrl}/v0/${action}?token=${signLink({ fingerprint, action, recipient, expiresAt }, settings.secret)}`,
  }));
}

export function ownerPageUrl(settings: Pick<LinkSettings, 'apiBaseUrl'>): string {
  return `${settings.apiBaseUrl}/v0/issues`;
}
