import type { EventMetadata } from './metadata.ts';

/** Why nobody needs to hear about an issue for now. */
export const IGNORE_STATES = ['snoozed', 'false_positive', 'accepted_risk', 'acknowledged', 'resolved'] as const;
export type IgnoreState = (typeof IGNORE_STATES)[number];

export interface IssueIgnore {
  state: IgnoreState;
  /** When the issue comes back; null: until someone reopens it. */
  until: Date | null;
}

/** The aggregate of every sighting of one fingerprint (`issues/{fingerprint}`). */
export interface Issue {
  fingerprint: string;
  source: string;
  owner: string;
  metadata: EventMetadata;
  lastSeen: Date;
  firstSeen: Date | undefined;
  lastProcessedAt: Date | undefined;
  lastSentAt: Date | undefined;
  lastEscalatedAt: Date | undefined;
  /** Real-time sources: when a sent issue nobody acted on escalates. */
  escalationDueAt: Date | undefined;
  /** Set when the owner escalates by hand. */
  escalationRequestedAt: Date | undefined;
  ignore: IssueIgnore | undefined;
}

/** What dispatch needs of a pending event: the rest lives on its issue. */
export interface PendingEvent {
  id: string;
  fingerprint: string;
  owner: string;
  receivedAt: Date;
}

/** The ignore state in force at `now`, if any: an expired snooze or risk acceptance no longer counts. */
export function activeIgnore(issue: Pick<Issue, 'ignore'> | undefined, now: Date): IgnoreState | undefined {
  const ignore = issue?.ignore;
  if (!ignore) return undefined;
  return ignore.until === null || ignore.until.getTime() > now.getTime() ? ignore.state : undefined;
}
