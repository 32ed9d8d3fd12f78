import type { DocumentData, Timestamp } from '@google-cloud/firestore';
import type { Issue, IssueIgnore } from '../model/issue.ts';

/** An issue document as the domain type. */
export function toIssue(fingerprint: string, data: DocumentData): Issue {
  const date = (value: unknown) => (value ? (value as Timestamp).toDate() : undefined);
  const ignore = data.ignore as { state: IssueIgnore['state']; until?: Timestamp | null } | null | undefined;
  return {
    fingerprint,
    source: data.source,
    owner: data.owner,
    metadata: data.metadata ?? {},
    lastSeen: date(data.lastSeen) ?? new Date(0),
    firstSeen: date(data.firstSeen),
    lastProcessedAt: date(data.lastProcessedAt),
    lastSentAt: date(data.lastSentAt),
    lastEscalatedAt: date(data.lastEscalatedAt),
    escalationDueAt: date(data.escalationDueAt),
    escalationRequestedAt: date(data.escalationRequestedAt),
    ignore: ignore ? { state: ignore.state, until: date(ignore.until) ?? null } : undefined,
  };
}
