import { describe, expect, it } from 'vitest';
import { planBatch, planEscalation, planRealTimeEscalation } from '../../lib/dispatch/plan.ts';
import { floodThreshold, nextUsual, topCounts } from '../../lib/dispatch/flood-guard.ts';
import { batchReadiness } from '../../lib/dispatch/readiness.ts';
import type { Issue, PendingEvent } from '../../lib/model/issue.ts';
import { parseSourceConfig, type SourceConfigInput } from '../../lib/plugin/source-config.ts';

const NOW = new Date('2026-12-04T12:00:00Z');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const config = (overrides: SourceConfigInput = {}) => parseSourceConfig('test', overrides);

const event = (fingerprint: string, owner = 'alice@example.com', receivedAgo = MIN, id = `${fingerprint}-${receivedAgo}`): PendingEvent => ({
  id,
  fingerprint,
  owner,
  receivedAt: ago(receivedAgo),
});

const issue = (fingerprint: string, state: Partial<Issue> = {}): Issue => ({
  fingerprint,
  source: 'test',
  owner: 'alice@example.com',
  metadata: {},
  lastSeen: ago(MIN),
  firstSeen: undefined,
  lastProcessedAt: undefined,
  lastSentAt: undefined,
  lastEscalatedAt: undefined,
  escalationDueAt: undefined,
  escalationRequestedAt: undefined,
  ignore: undefined,
  ...state,
});

const issues = (...list: Issue[]) => new Map(list.map((i) => [i.fingerprint, i]));
/** An issue mailed and processed `sentAgo` ago. */
const seen = (fingerprint: string, sentAgo: number, processedAgo = sentAgo) => issue(fingerprint, { lastSentAt: ago(sentAgo), lastProcessedAt: ago(processedAgo), firstSeen: ago(30 * DAY) });

/** owner -> [fingerprint, reason] for the mails, and fingerprint -> reason for the held ones. */
function summary(plan: ReturnType<typeof planBatch>) {
  return {
    mails: Object.fromEntries(plan.digests.map((d) => [d.owner, d.issues.map((i) => `${i.fingerprint}:${i.reason}`)])),
    held: Object.fromEntries(plan.held.map((d) => [d.fingerprint, d.reason])),
  };
}

describe('batchReadiness', () => {
  const cfg = config({ waitForMore: '3s', maxWait: '4s' });
  it.each([
    ['nothing pending', undefined, cfg, { ready: false, reason: 'empty' }],
    ['events still arriving', { oldest: ago(3_500), newest: ago(1_000) }, cfg, { ready: false, reason: 'waiting-for-more' }],
    ['quiet for waitForMore', { oldest: ago(3_500), newest: ago(3_000) }, cfg, { ready: true, reason: 'quiet' }],
    ['arriving, but the oldest waited maxWait', { oldest: ago(4_000), newest: ago(100) }, cfg, { ready: true, reason: 'max-wait' }],
    ['a real-time source', { oldest: ago(0), newest: ago(0) }, config({ realTime: true }), { ready: true, reason: 'real-time' }],
  ])('%s', (_name, pending, c, expected) => {
    expect(batchReadiness(pending, c, NOW)).toEqual(expected);
  });
});

describe('planBatch', () => {
  it.each([
    {
      rule: 'digest mode: anything new brings the owner every open issue, new first',
      config: {},
      events: [event('old-a'), event('new-b'), event('old-c', 'bob@example.com')],
      issues: issues(seen('old-a', DAY), seen('old-c', DAY)),
      mails: { 'alice@example.com': ['new-b:new', 'old-a:open'] },
      held: { 'old-c': 'not-due' },
    },
    {
      rule: 'digest mode: a reminder due brings the whole list too',
      config: {},
      events: [event('old-a'), event('old-b')],
      issues: issues(seen('old-a', 8 * DAY, DAY), seen('old-b', DAY)),
      mails: { 'alice@example.com': ['old-a:reminder-due', 'old-b:open'] },
      held: {},
    },
    {
      rule: 'non-digest mode: only the new ones and those due a reminder',
      config: { communicationDigestMode: false },
      events: [event('new-a'), event('old-b'), event('old-c')],
      issues: issues(seen('old-b', 8 * DAY, DAY), seen('old-c', DAY)),
      mails: { 'alice@example.com': ['new-a:new', 'old-b:reminder-due'] },
      held: { 'old-c': 'not-due' },
    },
    {
      rule: 'a regression: last processed longer ago than newThreshold',
      config: { newThreshold: '7d' },
      events: [event('back')],
      issues: issues(seen('back', 8 * DAY, 8 * DAY)),
      mails: { 'alice@example.com': ['back:regression'] },
      held: {},
    },
    {
      rule: 'ignored fingerprints are processed but not sent',
      config: {},
      events: [event('snoozed'), event('fp'), event('risk'), event('expired')],
      issues: issues(
        issue('snoozed', { ignore: { state: 'snoozed', until: new Date(NOW.getTime() + DAY) } }),
        issue('fp', { ignore: { state: 'false_positive', until: null } }),
        issue('risk', { ignore: { state: 'accepted_risk', until: new Date(NOW.getTime() + DAY) } }),
        issue('expired', { ignore: { state: 'snoozed', until: ago(MIN) } }),
      ),
      mails: { 'alice@example.com': ['expired:new'] },
      held: { snoozed: 'snoozed', fp: 'false-positive', risk: 'accepted-risk' },
    },
    {
      rule: 'the same fingerprint seen several times in a batch is one issue, for the newest owner',
      config: {},
      events: [event('dup', 'alice@example.com', 3 * MIN), event('dup', 'bob@example.com', MIN)],
      issues: issues(),
      mails: { 'bob@example.com': ['dup:new'] },
      held: {},
    },
  ])('$rule', ({ config: c, events, issues: known, mails, held }) => {
    expect(summary(planBatch({ config: config(c), now: NOW, events, issues: known }))).toEqual({ mails, held });
  });

  it('settles every pending event of an issue and keeps its earliest sighting', () => {
    const plan = planBatch({
      config: config(),
      now: NOW,
      events: [event('a', undefined, 5 * MIN), event('a', undefined, MIN)],
      issues: issues(issue('a', { firstSeen: ago(2 * MIN) })),
    });
    const [decision] = plan.digests[0]!.issues;
    expect(decision!.eventIds.sort()).toEqual([`a-${5 * MIN}`, `a-${MIN}`]);
    expect(decision!.firstSeen).toEqual(ago(5 * MIN));
  });

  it('real-time sources: a sent issue is due for escalation after its escalate cadence, which may depend on the issue', () => {
    const plan = planBatch({
      config: config({ realTime: true, escalateCadence: '36h' }),
      now: NOW,
      events: [event('a'), event('b')],
      issues: issues(issue('b', { metadata: { severity: 'critical' } })),
      escalateCadenceFor: (i) => (i?.metadata.severity === 'critical' ? 60 * MIN : 36 * 60 * MIN),
    });
    const due = Object.fromEntries(plan.digests[0]!.issues.map((i) => [i.fingerprint, i.escalationDueAt]));
    expect(due).toEqual({ a: new Date(NOW.getTime() + 36 * 60 * MIN), b: new Date(NOW.getTime() + 60 * MIN) });
  });

  it('real-time sources: an issue only listed in a digest keeps its escalation clock', () => {
    const plan = planBatch({
      config: config({ realTime: true }),
      now: NOW,
      events: [event('new'), event('listed')],
      issues: issues(seen('listed', MIN)),
    });
    const due = Object.fromEntries(plan.digests[0]!.issues.map((i) => [`${i.fingerprint}:${i.reason}`, i.escalationDueAt !== undefined]));
    expect(due).toEqual({ 'new:new': true, 'listed:open': false });
  });
});

describe('planEscalation', () => {
  const cfg = config({ escalationRecipient: 'secteam@example.com', escalationTime: '10s', escalationReminderCadence: '7d' });
  const candidates = [
    { fingerprint: 'old', firstSeen: ago(MIN), lastEscalatedAt: undefined },
    { fingerprint: 'repeat', firstSeen: ago(DAY), lastEscalatedAt: ago(8 * DAY) },
    { fingerprint: 'young', firstSeen: ago(5_000), lastEscalatedAt: undefined },
  ];

  it.each([
    {
      rule: 'issues first seen longer ago than escalationTime go out, flagged first-time or repeat',
      input: { config: cfg, lastEscalationAt: undefined, candidates },
      plan: {
        send: true,
        recipient: 'secteam@example.com',
        issues: [
          { fingerprint: 'old', reason: 'escalation-due', firstEscalation: true },
          { fingerprint: 'repeat', reason: 'escalation-due', firstEscalation: false },
        ],
      },
    },
    { rule: 'at most once per escalationReminderCadence per source', input: { config: cfg, lastEscalationAt: ago(DAY), candidates }, plan: { send: false, reason: 'within-cadence' } },
    { rule: 'again once the cadence has passed', input: { config: cfg, lastEscalationAt: ago(7 * DAY), candidates: candidates.slice(0, 1) }, plan: { send: true, recipient: 'secteam@example.com', issues: [{ fingerprint: 'old', reason: 'escalation-due', firstEscalation: true }] } },
    { rule: 'nothing old enough', input: { config: cfg, lastEscalationAt: undefined, candidates: candidates.slice(2) }, plan: { send: false, reason: 'none-due' } },
    { rule: 'no recipient, no escalation', input: { config: config(), lastEscalationAt: undefined, candidates }, plan: { send: false, reason: 'no-recipient' } },
  ])('$rule', ({ input, plan }) => {
    expect(planEscalation({ ...input, now: NOW })).toEqual(plan);
  });
});

describe('planRealTimeEscalation', () => {
  const cfg = config({ realTime: true, escalationRecipient: 'oncall@example.com' });

  it('escalates sent issues nobody addressed by their due time, and those an owner escalated by hand', () => {
    const plan = planRealTimeEscalation({
      config: cfg,
      now: NOW,
      issues: [
        issue('overdue', { escalationDueAt: ago(MIN) }),
        issue('not-yet', { escalationDueAt: new Date(NOW.getTime() + MIN) }),
        issue('acked', { escalationDueAt: ago(MIN), ignore: { state: 'acknowledged', until: null } }),
        issue('resolved', { escalationDueAt: ago(MIN), ignore: { state: 'resolved', until: null } }),
        issue('by-hand', { escalationRequestedAt: ago(MIN), lastEscalatedAt: ago(DAY) }),
      ],
    });
    expect(plan).toEqual({
      send: true,
      recipient: 'oncall@example.com',
      issues: [
        { fingerprint: 'overdue', reason: 'escalation-due', firstEscalation: true },
        { fingerprint: 'by-hand', reason: 'owner-escalated', firstEscalation: false },
      ],
    });
  });

  it('sends nothing when nothing is due', () => {
    expect(planRealTimeEscalation({ config: cfg, now: NOW, issues: [issue('a', { escalationDueAt: new Date(NOW.getTime() + 1) })] })).toEqual({ send: false, reason: 'none-due' });
  });
});

describe('the flood guard', () => {
  it('holds more new issues than the minimum before a source has a usual figure', () => {
    expect(floodThreshold(config({ floodGuard: { minNewIssues: 100, factor: 10 } }), null)).toBe(100);
  });

  it('takes factor times the usual figure once that is above the minimum', () => {
    expect(floodThreshold(config({ floodGuard: { minNewIssues: 100, factor: 10 } }), 42.3)).toBe(423);
    expect(floodThreshold(config({ floodGuard: { minNewIssues: 100, factor: 10 } }), 3)).toBe(100);
  });

  it('is off when configured false', () => {
    expect(floodThreshold(config({ floodGuard: false }), 5)).toBeUndefined();
  });

  it('moves the usual figure a fifth of the way to each new batch, starting from the first', () => {
    expect(nextUsual(null, 40)).toBe(40);
    expect(nextUsual(40, 90)).toBe(50);
    expect(nextUsual(50, 0)).toBe(40);
  });

  it('ranks the largest groups first, ties by name, up to the limit', () => {
    expect(topCounts(['b', 'a', 'b', 'c', 'a', 'b', 'd'], 3)).toEqual([
      { name: 'b', count: 3 },
      { name: 'a', count: 2 },
      { name: 'c', count: 1 },
    ]);
  });
});
