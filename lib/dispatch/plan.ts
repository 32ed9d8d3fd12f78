import { activeIgnore, type IgnoreState, type Issue, type PendingEvent } from '../model/issue.ts';
import type { EscalationReason, SendReason } from '../model/delivery.ts';
import type { SourceConfig } from '../plugin/source-config.ts';

/**
 * Dispatch decisions as pure functions: a snapshot in, a plan out, every
 * decision with its reason. No I/O and no clock of their own.
 */

/** Why an issue is processed without a mail. */
export type HoldReason = 'not-due' | 'snoozed' | 'false-positive' | 'accepted-risk' | 'acknowledged' | 'resolved' | 'flood-discarded';

const HOLD_FOR_IGNORE: Record<IgnoreState, HoldReason> = {
  snoozed: 'snoozed',
  false_positive: 'false-positive',
  accepted_risk: 'accepted-risk',
  acknowledged: 'acknowledged',
  resolved: 'resolved',
};

export interface IssueDecision {
  fingerprint: string;
  owner: string;
  send: boolean;
  reason: SendReason | HoldReason;
  /** The pending events this decision settles. */
  eventIds: string[];
  /** The earliest sighting known, the issue's or its pending events'. */
  firstSeen: Date;
  /** Real-time sources: when this issue escalates if nobody acts on the mail. */
  escalationDueAt?: Date | undefined;
}

export interface OwnerDigestPlan {
  owner: string;
  /** New issues and regressions first, then reminders, then the rest. */
  issues: IssueDecision[];
}

export interface BatchSnapshot {
  config: SourceConfig;
  now: Date;
  events: readonly PendingEvent[];
  /** The aggregates of the events' fingerprints; a missing one has never been stored by dispatch. */
  issues: ReadonlyMap<string, Issue>;
  /** Real-time sources: how long a sent issue may go unanswered. Defaults to `config.escalateCadence`. */
  escalateCadenceFor?: (issue: Issue | undefined) => number;
}

export interface BatchPlan {
  digests: OwnerDigestPlan[];
  /** Processed without a mail: ignored, or not due in non-digest mode. */
  held: IssueDecision[];
}

const SEND_ORDER: Record<SendReason, number> = { new: 0, regression: 0, 'reminder-due': 1, open: 2 };

/** Who hears about which pending issues in this batch, and why. */
export function planBatch(snapshot: BatchSnapshot): BatchPlan {
  const { config, now } = snapshot;
  const byOwner = new Map<string, IssueDecision[]>();
  const held: IssueDecision[] = [];

  for (const [fingerprint, events] of groupBy(snapshot.events, (e) => e.fingerprint)) {
    const issue = snapshot.issues.get(fingerprint);
    const newest = events.reduce((a, b) => (b.receivedAt > a.receivedAt ? b : a));
    const earliest = Math.min(...events.map((e) => e.receivedAt.getTime()), issue?.firstSeen?.getTime() ?? Number.POSITIVE_INFINITY);
    const decision: IssueDecision = {
      fingerprint,
      owner: newest.owner,
      send: false,
      reason: 'not-due',
      eventIds: events.map((e) => e.id),
      firstSeen: new Date(earliest),
    };
    const ignored = activeIgnore(issue, now);
    if (ignored) {
      held.push({ ...decision, reason: HOLD_FOR_IGNORE[ignored] });
      continue;
    }
    decision.reason = sendReason(issue, config, now);
    const list = byOwner.get(decision.owner) ?? [];
    list.push(decision);
    byOwner.set(decision.owner, list);
  }

  const digests: OwnerDigestPlan[] = [];
  for (const [owner, decisions] of byOwner) {
    const due = decisions.filter((d) => d.reason !== 'not-due');
    if (due.length === 0) {
      held.push(...decisions);
      continue;
    }
    // Digest mode: anything due brings the owner's whole list; otherwise only what is due.
    const sent = config.communicationDigestMode ? decisions.map((d) => (d.reason === 'not-due' ? { ...d, reason: 'open' as const } : d)) : due;
    if (!config.communicationDigestMode) held.push(...decisions.filter((d) => d.reason === 'not-due'));
    const issues = sent
      // Only a mail that asks for action starts the escalation clock; a listing in a digest neither restarts nor re-arms it.
      .map((d) => ({ ...d, send: true, escalationDueAt: config.realTime && d.reason !== 'open' ? realTimeDue(d, snapshot) : undefined }))
      .sort((a, b) => SEND_ORDER[a.reason as SendReason] - SEND_ORDER[b.reason as SendReason] || a.firstSeen.getTime() - b.firstSeen.getTime());
    digests.push({ owner, issues });
  }
  digests.sort((a, b) => a.owner.localeCompare(b.owner));
  return { digests, held };
}

function sendReason(issue: Issue | undefined, config: SourceConfig, now: Date): SendReason | 'not-due' {
  if (!issue?.lastProcessedAt) return 'new';
  if (now.getTime() - issue.lastProcessedAt.getTime() > config.newThreshold) return 'regression';
  if (!issue.lastSentAt || now.getTime() - issue.lastSentAt.getTime() >= config.ownerReminderCadence) return 'reminder-due';
  return 'not-due';
}

function realTimeDue(decision: IssueDecision, snapshot: BatchSnapshot): Date {
  const issue = snapshot.issues.get(decision.fingerprint);
  const cadence = snapshot.escalateCadenceFor ? snapshot.escalateCadenceFor(issue) : snapshot.config.escalateCadence;
  return new Date(snapshot.now.getTime() + cadence);
}

export interface EscalationDecision {
  fingerprint: string;
  reason: EscalationReason;
  /** False when the issue was escalated before: a repeat. */
  firstEscalation: boolean;
}

export type EscalationPlan =
  | { send: true; recipient: string; issues: EscalationDecision[] }
  | { send: false; reason: 'no-recipient' | 'none-due' | 'within-cadence' };

export interface EscalationCandidate {
  fingerprint: string;
  firstSeen: Date;
  lastEscalatedAt: Date | undefined;
}

/**
 * Batched sources: issues first seen longer ago than `escalationTime` go to
 * the source's escalation recipient, in at most one mail per
 * `escalationReminderCadence`.
 */
export function planEscalation(input: {
  config: SourceConfig;
  now: Date;
  lastEscalationAt: Date | undefined;
  candidates: readonly EscalationCandidate[];
}): EscalationPlan {
  const { config, now } = input;
  if (!config.escalationRecipient) return { send: false, reason: 'no-recipient' };
  const due = input.candidates.filter((c) => now.getTime() - c.firstSeen.getTime() > config.escalationTime);
  if (due.length === 0) return { send: false, reason: 'none-due' };
  if (input.lastEscalationAt && now.getTime() - input.lastEscalationAt.getTime() < config.escalationReminderCadence) {
    return { send: false, reason: 'within-cadence' };
  }
  return {
    send: true,
    recipient: config.escalationRecipient,
    issues: due.map((c) => ({ fingerprint: c.fingerprint, reason: 'escalation-due', firstEscalation: c.lastEscalatedAt === undefined })),
  };
}

/**
 * Real-time sources: a sent issue escalates when nobody acknowledged,
 * resolved or otherwise addressed it by its `escalationDueAt`, or at once
 * when its owner escalates it by hand.
 */
export function planRealTimeEscalation(input: { config: SourceConfig; now: Date; issues: readonly Issue[] }): EscalationPlan {
  const { config, now } = input;
  const due: EscalationDecision[] = [];
  for (const issue of input.issues) {
    const firstEscalation = issue.lastEscalatedAt === undefined;
    if (issue.escalationRequestedAt) {
      due.push({ fingerprint: issue.fingerprint, reason: 'owner-escalated', firstEscalation });
    } else if (!activeIgnore(issue, now) && issue.escalationDueAt && issue.escalationDueAt.getTime() <= now.getTime()) {
      due.push({ fingerprint: issue.fingerprint, reason: 'escalation-due', firstEscalation });
    }
  }
  if (due.length === 0) return { send: false, reason: 'none-due' };
  if (!config.escalationRecipient) return { send: false, reason: 'no-recipient' };
  return { send: true, recipient: config.escalationRecipient, issues: due };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
