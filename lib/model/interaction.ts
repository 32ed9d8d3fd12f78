import type { IgnoreState } from './issue.ts';

/** What someone did about an issue. `reopen` undoes a snooze, a false positive, an accepted risk or a resolution. */
export const ISSUE_ACTIONS = ['snooze', 'falsepositive', 'acceptrisk', 'acknowledge', 'resolve', 'escalate', 'reopen'] as const;
export type IssueAction = (typeof ISSUE_ACTIONS)[number];

/** How the action reached Comet. */
export type ActionChannel = 'link' | 'page' | 'api';

/** One entry of the audit trail (`interactions/{id}`). */
export interface Interaction {
  fingerprint: string;
  source: string;
  owner: string;
  action: IssueAction;
  /** Who acted: the link's recipient, or the authenticated user. */
  actor: string;
  via: ActionChannel;
  at: Date;
  reason: string | null;
  /** When a snooze or accepted risk ends. */
  until: Date | null;
  /** Request metadata, as the original recorded it. */
  userAgent: string | null;
}

/** The ignore state each action puts an issue in; null clears it, undefined leaves it. */
export const IGNORE_FOR_ACTION: Record<IssueAction, IgnoreState | null | undefined> = {
  snooze: 'snoozed',
  falsepositive: 'false_positive',
  acceptrisk: 'accepted_risk',
  acknowledge: 'acknowledged',
  resolve: 'resolved',
  escalate: undefined,
  reopen: null,
};
