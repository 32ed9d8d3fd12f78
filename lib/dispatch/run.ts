import { randomUUID } from 'node:crypto';
import { actionLinks, type LinkSettings, ownerPageUrl } from '../links/action-links.ts';
import type { DeliveredIssue, Digest, EscalatedIssue, Escalation, IssueSummary } from '../model/delivery.ts';
import type { FloodHold, FloodNotifier } from '../model/flood.ts';
import type { Issue, PendingEvent } from '../model/issue.ts';
import type { Registry } from '../plugin/registry.ts';
import type { Source } from '../plugin/source.ts';
import type { DispatchStore, DispatchWrite, SeenEscalation, SourceState } from '../store/dispatch-store.ts';
import type { Logger } from '../util/log.ts';
import { floodThreshold, nextUsual, topCounts } from './flood-guard.ts';
import { type EscalationPlan, type IssueDecision, type OwnerDigestPlan, planBatch, planEscalation, planRealTimeEscalation } from './plan.ts';
import { batchReadiness, type Readiness } from './readiness.ts';

export interface DispatchDependencies {
  registry: Registry;
  store: DispatchStore;
  links: LinkSettings;
  log: Logger;
  now: () => Date;
  /** Pending events read per round trip. */
  pageSize: number;
  /** Distinct issues planned and written together; bounds memory per step. */
  issuesPerStep: number;
  /** Longer than the function's timeout, so a run cannot outlive its lease. */
  leaseTtlMs: number;
  /** Digests delivered at the same time. */
  sendConcurrency: number;
  /** Tells the security team about a held flood; without one, a hold is only logged. */
  notifyFlood: FloodNotifier | undefined;
}

/** What the flood guard made of this batch. */
export type FloodStatus = 'clear' | 'held' | 'released' | 'discarded';

export interface DispatchSummary {
  source: string;
  status: 'busy' | 'not-ready' | 'dispatched' | 'held';
  readiness?: Readiness['reason'];
  flood?: FloodStatus;
  pendingEvents: number;
  /** Issues this batch brought up for the first time. */
  newIssues: number;
  digestsSent: number;
  digestsFailed: number;
  issuesSent: number;
  /** Issues processed without a mail, by reason. */
  held: Record<string, number>;
  escalation: { sent: number; issues: number; skipped?: string };
}

/**
 * One dispatch run for one source: take the lease, check the batch is ready,
 * then page through its pending events, plan each step with the pure
 * planner, deliver, and record what was delivered. A delivery is recorded
 * only after every output accepted it; a failed one stays pending for the
 * next run, and never blocks other owners.
 */
export async function dispatchSource(sourceName: string, deps: DispatchDependencies): Promise<DispatchSummary> {
  const source = deps.registry.source(sourceName);
  if (!source) throw new Error(`no source named "${sourceName}"`);
  const log = deps.log.with({ source_type: source.name });
  const summary: DispatchSummary = {
    source: source.name,
    status: 'busy',
    pendingEvents: 0,
    newIssues: 0,
    digestsSent: 0,
    digestsFailed: 0,
    issuesSent: 0,
    held: {},
    escalation: { sent: 0, issues: 0 },
  };
  const holder = randomUUID();
  // The lease runs on the real clock, whatever time the run is told it is.
  if (!(await deps.store.acquireLease(source.name, holder, new Date(), deps.leaseTtlMs))) {
    log.notice('dispatch skipped: another run holds the lease');
    return summary;
  }
  try {
    const now = deps.now();
    const readiness = batchReadiness(await deps.store.pendingBounds(source.name), source.config, now);
    summary.readiness = readiness.reason;
    summary.status = readiness.ready ? 'dispatched' : 'not-ready';
    if (readiness.ready) await dispatchBatch(source, now, deps, summary, log, holder);
    if (source.config.realTime) await escalateRealTime(source, now, deps, summary, log);
    log.info(`dispatch ${summary.status}`, { summary });
    return summary;
  } finally {
    await deps.store.releaseLease(source.name, holder);
  }
}

async function dispatchBatch(source: Source, now: Date, deps: DispatchDependencies, summary: DispatchSummary, log: Logger, holder: string): Promise<void> {
  const state = await deps.store.sourceState(source.name);
  const hold = state.flood;
  // A held source waits for the security team: no need to read its backlog again.
  if (hold?.state === 'held') {
    if (!hold.alertSentAt) await alertFlood(source, hold, now, deps, log);
    summary.status = 'held';
    summary.flood = 'held';
    return;
  }
  let events: PendingEvent[] = [];
  for await (const page of deps.store.pendingEvents(source.name, deps.pageSize)) events.push(...page);
  // A release covers what was held; anything that came after waits for the next run, and its own check.
  if (hold) events = events.filter((e) => e.receivedAt.getTime() <= hold.detectedAt.getTime());
  summary.pendingEvents = events.length;
  const flood: FloodStatus = hold ? (hold.discard ? 'discarded' : 'released') : await guardAgainstFlood(source, events, state, now, deps, log);
  summary.flood = flood;
  if (flood === 'held') {
    summary.status = 'held';
    return;
  }

  // Only a batched source with a recipient can escalate; others need not keep candidates.
  const canEscalate = !source.config.realTime && source.config.escalationRecipient !== undefined;
  const escalationCandidates: { decision: IssueDecision; issue: IssueSummary; lastEscalatedAt: Date | undefined }[] = [];
  let leaseRenewedAt = Date.now();
  for (const step of stepsByOwner(events, deps.issuesPerStep)) {
    // Renewing the lease once a third of it has passed also stops a run that lost it (it stalled past its expiry).
    if (Date.now() - leaseRenewedAt > deps.leaseTtlMs / 3) {
      if (!(await deps.store.acquireLease(source.name, holder, new Date(), deps.leaseTtlMs))) {
        throw new Error(`dispatch of ${source.name} lost its lease; another run took over`);
      }
      leaseRenewedAt = Date.now();
    }
    const issues = await deps.store.issues([...new Set(step.map((e) => e.fingerprint))]);
    const plan = planBatch({ config: source.config, now, events: step, issues, escalateCadenceFor: (issue) => source.escalateCadenceMs(issue?.metadata ?? {}) });

    // A discarded flood is settled without mail: its issues stay open on their owners' pages.
    const unsent = flood === 'discarded' ? [...plan.held, ...plan.digests.flatMap((d) => d.issues.map((i) => ({ ...i, reason: 'flood-discarded' as const })))] : plan.held;
    const digests = flood === 'discarded' ? [] : plan.digests;
    const writes: DispatchWrite[] = unsent.flatMap((d) => settle(d, now, false));
    for (const d of unsent) summary.held[d.reason] = (summary.held[d.reason] ?? 0) + 1;
    // Escalation considers what this run settled: not ignored issues, nor those whose mail failed.
    const settled = plan.held.filter((d) => d.reason === 'not-due');
    await mapLimit(digests, deps.sendConcurrency, async (digestPlan) => {
      const ownerLog = log.with({ owner: digestPlan.owner });
      let shown = 0;
      try {
        const digest = toDigest(source, digestPlan, issues, now, deps.links);
        if (await deliver(deps.registry.routersFor(source.name), digest, ownerLog)) shown = digest.issues.length;
      } catch (error) {
        // A plugin's instructions() or a template threw: this owner's digest failed, the others go on.
        ownerLog.error('building the digest failed; its issues stay pending', { error });
      }
      if (shown === 0) {
        summary.digestsFailed++;
        return;
      }
      // Issues beyond the digest's cap were not shown: processed, not sent, so a later sighting reminds.
      const listed = digestPlan.issues.slice(0, shown);
      const unlisted = digestPlan.issues.slice(shown);
      summary.digestsSent++;
      summary.issuesSent += listed.length;
      // Only delivered digests count towards the usual figure: a failed one's issues are new again next run.
      summary.newIssues += digestPlan.issues.filter((i) => i.reason === 'new').length;
      writes.push(...listed.flatMap((d) => settle(d, now, true)), ...unlisted.flatMap((d) => settle(d, now, false)));
      settled.push(...digestPlan.issues);
    });
    await deps.store.apply(writes);

    if (!canEscalate) continue;
    for (const decision of settled) {
      const issue = issues.get(decision.fingerprint);
      escalationCandidates.push({ decision, issue: summaryOf(source, decision, issue), lastEscalatedAt: issue?.lastEscalatedAt });
    }
  }

  // A released flood is done with; it does not count towards the usual figure.
  await deps.store.apply([{ kind: 'source', source: source.name, ...(flood === 'clear' ? { usualNewIssues: nextUsual(state.usualNewIssues, summary.newIssues) } : { flood: null }) }]);
  if (source.config.realTime) return;
  // Without a recipient the planner says so; no candidates were kept for it.
  const plan = planEscalation({
    config: source.config,
    now,
    lastEscalationAt: state.lastEscalationAt,
    candidates: escalationCandidates.map((c) => ({ fingerprint: c.decision.fingerprint, firstSeen: c.decision.firstSeen, lastEscalatedAt: c.lastEscalatedAt })),
  });
  const byFingerprint = new Map(escalationCandidates.map((c) => [c.decision.fingerprint, c]));
  await escalate(source, plan, now, deps, summary, log, (fingerprint) => {
    const candidate = byFingerprint.get(fingerprint);
    return candidate ? { summary: candidate.issue, eventIds: candidate.decision.eventIds } : undefined;
  });
}

/**
 * Holds a batch that opens more new issues than the source's flood
 * threshold, and tells the security team. Counting new issues reads
 * the batch's issues, so it happens only when the batch has more distinct
 * issues than the threshold.
 */
async function guardAgainstFlood(source: Source, events: readonly PendingEvent[], state: SourceState, now: Date, deps: DispatchDependencies, log: Logger): Promise<'clear' | 'held'> {
  const threshold = floodThreshold(source.config, state.usualNewIssues);
  const ownerOf = new Map(events.map((e) => [e.fingerprint, e.owner]));
  if (threshold === undefined || ownerOf.size <= threshold) return 'clear';

  const fresh: { owner: string; issueType: string; sourceReadable: string | undefined }[] = [];
  const fingerprints = [...ownerOf.keys()];
  for (let start = 0; start < fingerprints.length; start += deps.issuesPerStep) {
    const issues = await deps.store.issues(fingerprints.slice(start, start + deps.issuesPerStep));
    for (const fp of fingerprints.slice(start, start + deps.issuesPerStep)) {
      const issue = issues.get(fp);
      if (issue?.lastProcessedAt) continue;
      const m = issue?.metadata ?? {};
      fresh.push({ owner: ownerOf.get(fp) as string, issueType: m.issueTypeReadable ?? m.issueType ?? 'unknown', sourceReadable: m.sourceReadable });
    }
  }
  if (fresh.length <= threshold) return 'clear';
  const hold: FloodHold = {
    state: 'held',
    detectedAt: now,
    newIssues: fresh.length,
    threshold,
    usual: state.usualNewIssues,
    owners: new Set(fresh.map((f) => f.owner)).size,
    topOwners: topCounts(fresh.map((f) => f.owner), 10),
    topIssueTypes: topCounts(fresh.map((f) => f.issueType), 10),
    sourceReadable: fresh.find((f) => f.sourceReadable)?.sourceReadable ?? source.name,
    alertSentAt: null,
    releasedAt: null,
    releasedBy: null,
    discard: false,
  };
  log.error('flood held: this batch opens far more new issues than usual; nothing is mailed until the security team releases it', { flood: hold });
  await deps.store.apply([{ kind: 'source', source: source.name, flood: hold }]);
  await alertFlood(source, hold, now, deps, log);
  return 'held';
}

async function alertFlood(source: Source, hold: FloodHold, now: Date, deps: DispatchDependencies, log: Logger): Promise<void> {
  if (!deps.notifyFlood) {
    log.error('flood held, and no security team address (COMET_SECURITY_MAIL) to tell; release it at /v0/floods', { flood: hold });
    return;
  }
  const alert = { source: source.name, hold, floodsPageUrl: `${deps.links.apiBaseUrl}/v0/floods` };
  if (await deliver([deps.notifyFlood], alert, log)) await deps.store.floodAlertSent(source.name, now);
}

async function escalateRealTime(source: Source, now: Date, deps: DispatchDependencies, summary: DispatchSummary, log: Logger): Promise<void> {
  const due = await deps.store.escalationsDue(source.name, now);
  const byFingerprint = new Map(due.map((issue) => [issue.fingerprint, issue]));
  const plan = planRealTimeEscalation({ config: source.config, now, issues: due });
  // Issues addressed since they were sent no longer wait for an escalation.
  const addressed = due.filter((i) => !(plan.send && plan.issues.some((d) => d.fingerprint === i.fingerprint)));
  if (plan.send) {
    await escalate(source, plan, now, deps, summary, log, (fingerprint) => {
      const issue = byFingerprint.get(fingerprint);
      return issue ? { summary: { ...issue, firstSeen: issue.firstSeen ?? issue.lastSeen }, eventIds: [], escalation: escalationSeen(issue) } : undefined;
    });
  }
  if (addressed.length > 0 && (plan.send || plan.reason !== 'no-recipient')) await deps.store.clearEscalations(addressed.map(escalationSeen));
}

function escalationSeen(issue: Issue): SeenEscalation {
  return { fingerprint: issue.fingerprint, requestedAt: issue.escalationRequestedAt, dueAt: issue.escalationDueAt };
}

async function escalate(
  source: Source,
  plan: EscalationPlan,
  now: Date,
  deps: DispatchDependencies,
  summary: DispatchSummary,
  log: Logger,
  /** An issue's summary, its events, and for real-time sources the escalation state the run read. */
  lookup: (fingerprint: string) => { summary: IssueSummary; eventIds: string[]; escalation?: SeenEscalation } | undefined,
): Promise<void> {
  if (!plan.send) {
    summary.escalation.skipped = plan.reason;
    return;
  }
  const issues: EscalatedIssue[] = plan.issues.flatMap((d) => {
    const found = lookup(d.fingerprint);
    return found ? [{ ...found.summary, reason: d.reason, firstEscalation: d.firstEscalation }] : [];
  });
  const limit = source.config.digestLimit;
  const escalation: Escalation = {
    source: source.name,
    sourceReadable: sourceReadable(source, issues),
    recipient: plan.recipient,
    issues: issues.slice(0, limit),
    omitted: Math.max(0, issues.length - limit),
  };
  if (!(await deliver(deps.registry.escalatorsFor(source.name), escalation, log.with({ recipient: plan.recipient })))) return;
  summary.escalation = { sent: 1, issues: escalation.issues.length };
  await deps.store.apply([
    { kind: 'source', source: source.name, lastEscalationAt: now },
    ...escalation.issues.flatMap((i): DispatchWrite[] => [
      { kind: 'issue', fingerprint: i.fingerprint, fields: { lastEscalatedAt: now } },
      ...(lookup(i.fingerprint)?.eventIds ?? []).map((id): DispatchWrite => ({ kind: 'event', id, escalatedAt: now })),
    ]),
  ]);
  await deps.store.clearEscalations(escalation.issues.flatMap((i) => lookup(i.fingerprint)?.escalation ?? []));
}

/** Runs every output; true only if all of them accepted. */
async function deliver<T>(outputs: readonly ((item: T) => Promise<void>)[], item: T, log: Logger): Promise<boolean> {
  if (outputs.length === 0) {
    log.warning('nothing delivered: no output is registered for this source');
    return false;
  }
  // Through a promise, so that an output that throws synchronously counts as a failure like any other.
  const results = await Promise.allSettled(outputs.map((output) => Promise.resolve().then(() => output(item))));
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  for (const failure of failures) log.error('delivery failed; the issues stay pending for the next run', { error: failure.reason });
  return failures.length === 0;
}

function settle(decision: IssueDecision, now: Date, sent: boolean): DispatchWrite[] {
  return [
    ...decision.eventIds.map((id): DispatchWrite => ({ kind: 'event', id, processedAt: now, ...(sent ? { sentAt: now } : {}) })),
    {
      kind: 'issue',
      fingerprint: decision.fingerprint,
      fields: {
        firstSeen: decision.firstSeen,
        lastProcessedAt: now,
        ...(sent ? { lastSentAt: now } : {}),
        ...(sent && decision.escalationDueAt ? { escalationDueAt: decision.escalationDueAt } : {}),
      },
    },
  ];
}

function toDigest(source: Source, plan: OwnerDigestPlan, issues: ReadonlyMap<string, Issue>, now: Date, links: LinkSettings): Digest {
  const limit = source.config.digestLimit;
  const delivered: DeliveredIssue[] = plan.issues.slice(0, limit).map((decision) => {
    const summary = summaryOf(source, decision, issues.get(decision.fingerprint));
    return {
      ...summary,
      reason: decision.reason as DeliveredIssue['reason'],
      instructions: source.instructions(summary.metadata),
      actions: actionLinks(links, now, decision.fingerprint, plan.owner, source.config.realTime),
    };
  });
  return {
    source: source.name,
    sourceReadable: sourceReadable(source, delivered),
    owner: plan.owner,
    issues: delivered,
    omitted: plan.issues.length - delivered.length,
    ownerPageUrl: ownerPageUrl(links),
    subject: source.config.subject,
  };
}

function summaryOf(source: Source, decision: IssueDecision, issue: Issue | undefined): IssueSummary {
  return {
    fingerprint: decision.fingerprint,
    source: source.name,
    owner: decision.owner,
    metadata: issue?.metadata ?? {},
    firstSeen: decision.firstSeen,
    lastSeen: issue?.lastSeen ?? decision.firstSeen,
  };
}

function sourceReadable(source: Source, issues: readonly IssueSummary[]): string {
  return issues.find((i) => i.metadata.sourceReadable)?.metadata.sourceReadable ?? source.name;
}

/**
 * Splits pending events into steps of whole owners (an owner's digest is
 * never split) holding about `issuesPerStep` distinct issues each.
 */
function* stepsByOwner(events: readonly PendingEvent[], issuesPerStep: number): Generator<PendingEvent[]> {
  const newestOwner = new Map<string, PendingEvent>();
  for (const e of events) {
    const seen = newestOwner.get(e.fingerprint);
    if (!seen || e.receivedAt > seen.receivedAt) newestOwner.set(e.fingerprint, e);
  }
  const byOwner = new Map<string, { events: PendingEvent[]; fingerprints: Set<string> }>();
  for (const e of events) {
    const owner = newestOwner.get(e.fingerprint)?.owner ?? e.owner;
    const group = byOwner.get(owner) ?? { events: [], fingerprints: new Set<string>() };
    group.events.push(e);
    group.fingerprints.add(e.fingerprint);
    byOwner.set(owner, group);
  }
  let step: PendingEvent[] = [];
  let issueCount = 0;
  for (const group of byOwner.values()) {
    if (issueCount > 0 && issueCount + group.fingerprints.size > issuesPerStep) {
      yield step;
      step = [];
      issueCount = 0;
    }
    step.push(...group.events);
    issueCount += group.fingerprints.size;
  }
  if (step.length > 0) yield step;
}

async function mapLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(workers);
}
