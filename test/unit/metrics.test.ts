import { describe, expect, it } from 'vitest';
import { coverageReport } from '../../lib/metrics/coverage.ts';
import { type EventFact, type FoldIssue, foldFacts, type InteractionFact } from '../../lib/metrics/fold.ts';
import { type DayRollup, type Row, zeroCounts } from '../../lib/metrics/model.ts';
import { percentile } from '../../lib/metrics/quantile.ts';
import { Rollups } from '../../lib/metrics/rollups.ts';
import { computeStats } from '../../lib/metrics/stats.ts';

const T0 = Date.parse('2027-03-10T08:00:00Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const at = (offset: number) => new Date(T0 + offset);

const web = { ou: 'web', issueType: 'xss', severity: 'high' };
const infra = { ou: 'infrastructure', issueType: 'open-bucket', severity: 'medium' };
type Meta = typeof web;
const event = (id: string, fingerprint: string, offset: number, metadata: Meta = web, source = 'detectify'): EventFact => ({ id, fingerprint, source, at: at(offset), metadata: metadata as EventFact['metadata'] });
const action = (id: string, fingerprint: string, offset: number, act: InteractionFact['action'], source = 'detectify'): InteractionFact => ({ id, fingerprint, source, action: act, at: at(offset) });
const issueOf = (source: string, metadata: Meta): FoldIssue => ({ dims: { source, ...metadata } });

function fold(events: EventFact[], interactions: InteractionFact[], issues: Map<string, FoldIssue>) {
  const rollups = new Rollups();
  const { marks } = foldFacts({ events, interactions, issues }, rollups);
  return { rollups: rollups.list(), marks };
}

describe('folding events and interactions into day rollups', () => {
  const issues = new Map([
    ['fa', issueOf('detectify', web)],
    ['fb', issueOf('detectify', web)],
    ['fc', issueOf('forseti', infra)],
  ]);
  const events = [event('e1', 'fa', 0), event('e2', 'fa', 10 * MIN), event('e3', 'fb', 20 * MIN), event('e4', 'fc', 30 * MIN, infra, 'forseti')];
  const interactions = [action('i1', 'fb', 50 * MIN, 'snooze'), action('i2', 'fa', HOUR, 'falsepositive'), action('i3', 'fa', 2 * HOUR, 'reopen'), action('i4', 'fc', 90 * MIN, 'acceptrisk', 'forseti')];

  it('counts every sighting, each issue once as opened, every action, and times first actions', () => {
    const { rollups, marks } = fold(events, interactions, issues);
    expect(rollups).toEqual<DayRollup[]>([
      { day: '2027-03-10', source: 'detectify', rows: [{ source: 'detectify', ...web, ...zeroCounts(), received: 3, opened: 2, falsePositive: 1, snoozed: 1, reopened: 1 }], firstActions: [{ ou: 'web', seconds: 30 * 60 }, { ou: 'web', seconds: 3600 }] },
      { day: '2027-03-10', source: 'forseti', rows: [{ source: 'forseti', ...infra, ...zeroCounts(), received: 1, opened: 1, acceptedRisk: 1 }], firstActions: [{ ou: 'infrastructure', seconds: 3600 }] },
    ]);
    expect(marks.get('fa')).toEqual({ opened: { id: 'e1', at: at(0) }, firstAction: { id: 'i2', at: at(HOUR) } });
    expect(marks.get('fc')).toEqual({ opened: { id: 'e4', at: at(30 * MIN) }, firstAction: { id: 'i4', at: at(90 * MIN) } });
  });

  it('counts the same when repeated after a crash that left its marks written', () => {
    const first = fold(events, interactions, issues);
    const marked = new Map([...issues].map(([fp, issue]) => [fp, { ...issue, ...first.marks.get(fp) }]));
    const again = fold(events, interactions, marked);
    expect(again.rollups).toEqual(first.rollups);
    expect(again.marks.size).toBe(0);
  });

  it('does not open an issue again, or time a later action, once marked by an earlier fold', () => {
    const marked = new Map([['fa', { ...issueOf('detectify', web), opened: { id: 'e1', at: at(0) }, firstAction: { id: 'i2', at: at(HOUR) } }]]);
    const { rollups } = fold([event('e9', 'fa', 3 * DAY)], [action('i9', 'fa', 3 * DAY + MIN, 'resolve')], marked);
    expect(rollups).toEqual([{ day: '2027-03-13', source: 'detectify', rows: [{ source: 'detectify', ...web, ...zeroCounts(), received: 1, resolved: 1 }], firstActions: [] }]);
  });

  it('counts an alert without metadata under (none), and an action on an issue from before metrics without a time', () => {
    const { rollups } = fold([event('e1', 'fz', 0, {} as Meta, 'riskytoaster')], [action('i1', 'old', MIN, 'snooze', 'riskytoaster')], new Map());
    expect(rollups[0]?.rows).toEqual([{ source: 'riskytoaster', ou: '(none)', issueType: '(none)', severity: '(none)', ...zeroCounts(), received: 1, opened: 1, snoozed: 1 }]);
    expect(rollups[0]?.firstActions).toEqual([]);
  });
});

describe('percentiles', () => {
  it('are nearest-rank: always one of the values', () => {
    const tens = [100, 10, 90, 20, 80, 30, 70, 40, 60, 50];
    expect(percentile(tens, 0.5)).toBe(50);
    expect(percentile(tens, 0.9)).toBe(90);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([1, 2], 0.5)).toBe(1);
    expect(percentile([], 0.5)).toBeNull();
  });
});

const row = (source: string, ou: string, issueType: string, counts: Partial<Row>): Row => ({ source, ou, issueType, severity: 'high', ...zeroCounts(), ...counts });
const rollup = (day: string, source: string, rows: Row[], seconds: number[] = []): DayRollup => ({ day, source, rows, firstActions: seconds.map((s) => ({ ou: rows[0]?.ou ?? 'web', seconds: s })) });

describe('stats over day rollups', () => {
  const now = new Date('2027-03-30T12:00:00Z');
  const rollups = [
    rollup('2027-03-30', 'detectify', [row('detectify', 'web', 'xss', { received: 4, opened: 2, falsePositive: 1 })], [60, 120]),
    rollup('2027-03-26', 'detectify', [row('detectify', 'web', 'spf', { received: 3, opened: 3, acceptedRisk: 2, snoozed: 1 })], [600]),
    rollup('2027-03-20', 'forseti', [row('forseti', 'infra', 'iam', { received: 5, opened: 5, resolved: 1, escalated: 2 })], [30, 40, 50]),
    // 31 days ago: outside every window.
    rollup('2027-02-27', 'forseti', [row('forseti', 'infra', 'iam', { received: 100, opened: 100, falsePositive: 100 })], [1]),
  ];
  const stats = computeStats({ now, rollups, ous: ['web', 'infra', 'finance'], sources: ['detectify', 'forseti', 'riskytoaster'], coverageDays: 7 });

  it('gives exact figures for today, the last 7 days and the last 30', () => {
    expect(stats.windows.day).toMatchObject({ from: '2027-03-30', to: '2027-03-30', totals: { received: 4, opened: 2, falsePositive: 1, closed: 1 } });
    expect(stats.windows.week).toMatchObject({ from: '2027-03-24', totals: { received: 7, opened: 5, falsePositive: 1, acceptedRisk: 2, snoozed: 1, closed: 3 } });
    expect(stats.windows['30d']).toMatchObject({ from: '2027-03-01', totals: { received: 12, opened: 10, closed: 4, escalated: 2, resolved: 1 } });
    expect(stats.windows['30d'].bySource.map((g) => [g.key, g.received])).toEqual([['detectify', 7], ['forseti', 5]]);
    expect(stats.windows['30d'].rows.map((r) => [r.source, r.ou, r.issueType, r.severity, r.received, r.closed])).toEqual([
      ['forseti', 'infra', 'iam', 'high', 5, 1],
      ['detectify', 'web', 'xss', 'high', 4, 1],
      ['detectify', 'web', 'spf', 'high', 3, 2],
    ]);
    expect(stats.windows.week.byIssueType.map((g) => [g.key, g.opened])).toEqual([['xss', 2], ['spf', 3]]);
    expect(stats.daily).toHaveLength(30);
    expect(stats.daily.find((d) => d.day === '2027-03-20')).toMatchObject({ received: 5, closed: 1 });
  });

  it('gives the median and p90 time to first action per source and per OU', () => {
    expect(stats.windows['30d'].timeToFirstAction.bySource).toEqual([
      { key: 'detectify', issues: 3, medianSeconds: 120, p90Seconds: 600 },
      { key: 'forseti', issues: 3, medianSeconds: 40, p90Seconds: 50 },
    ]);
    expect(stats.windows['30d'].timeToFirstAction.all).toEqual({ key: 'all', issues: 6, medianSeconds: 50, p90Seconds: 600 });
    expect(stats.windows.day.timeToFirstAction.byOu).toEqual([{ key: 'web', issues: 2, medianSeconds: 60, p90Seconds: 120 }]);
  });

  it('ranks issue types by false positives and accepted risks per issue', () => {
    expect(stats.noisiest).toEqual([
      { source: 'detectify', issueType: 'spf', issues: 3, falsePositive: 0, acceptedRisk: 2, rate: 2 / 3 },
      { source: 'detectify', issueType: 'xss', issues: 2, falsePositive: 1, acceptedRisk: 0, rate: 0.5 },
    ]);
  });
});

describe('coverage', () => {
  const rows = [row('detectify', 'web', 'xss', { received: 2 }), row('forseti', 'web', 'iam', { received: 1 }), row('forseti', 'infra', 'iam', { received: 3 }), row('forseti', 'labs', 'iam', { received: 1 })];

  it('reports configured OUs that a source sent nothing in the window, with the source×OU matrix', () => {
    const report = coverageReport(rows, ['web', 'infra', 'finance'], ['detectify', 'forseti', 'riskytoaster'], 7);
    expect(report.sources).toEqual(['detectify', 'forseti', 'riskytoaster']);
    expect(report.ous).toEqual([
      { ou: 'finance', alerts: { detectify: 0, forseti: 0, riskytoaster: 0 }, silentSources: ['detectify', 'forseti', 'riskytoaster'] },
      { ou: 'infra', alerts: { detectify: 0, forseti: 3, riskytoaster: 0 }, silentSources: ['detectify', 'riskytoaster'] },
      { ou: 'web', alerts: { detectify: 2, forseti: 1, riskytoaster: 0 }, silentSources: ['riskytoaster'] },
    ]);
    expect(report.gaps.map((g) => [g.ou, g.noAlertsAtAll])).toEqual([['finance', true], ['infra', false], ['web', false]]);
    expect(report.unlisted.map((r) => r.ou)).toEqual(['labs']);
  });
});
