import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Firestore, Timestamp } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_SECURITY_TEAM } from '../../emulator/local-stack.ts';
import type { Stats } from '../../lib/metrics/stats.ts';
import { MetricsStore } from '../../lib/store/metrics-store.ts';
import { describeWithEmulators, eventually, firestoreFor, functionLog, publish, sample, startTestStack, type TestStack } from '../support/stack.ts';

const XSS = '<script>alert(1)</script>';
const FORSETI_TYPE = 'policy_violations:IAM whitelist roles';
const OUS = ['facilities', 'finance', 'infrastructure', 'web'];
const CLOUD = 'cloud-platform@example.com';
const WEB = 'web-team@example.com';
const TOASTERS = 'floor1-toasters@example.com';

/**
 * Known traffic through the real emulators: alerts published to Pub/Sub,
 * actions taken through the API, the rollup and the weekly summary run by
 * the dispatch function; then every figure of /v0/stats, checked exactly.
 */
describeWithEmulators('metrics after known traffic', () => {
  let stack: TestStack;
  let db: Firestore;
  let forsetiIssues: string[];
  let detectifyIssue: string;
  const [T1, T2] = ['riskytoaster_t1_high-default-level', 'riskytoaster_t2_high-default-level'];

  const forseti = (member: string, id = 3) => JSON.stringify({ ...JSON.parse(sample('forseti')), id, violation_data: { member, role: 'roles/owner' } });
  const toaster = (toasterId: string, comment: string) => JSON.stringify({ ...JSON.parse(sample('riskytoaster')), toaster_id: toasterId, comment });
  const detectify = () => {
    const alert = JSON.parse(sample('detectify'));
    alert.payload.title = XSS;
    return JSON.stringify(alert);
  };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'comet-owners-'));
    const owners = { ...JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'lib', 'sources', 'owners.json'), 'utf8')), ous: OUS };
    writeFileSync(join(dir, 'owners.json'), JSON.stringify(owners));
    // Nothing is left to settle: the rollup folds up to the moment it runs.
    stack = await startTestStack('metrics', { COMET_OWNERS_FILE: join(dir, 'owners.json'), COMET_METRICS_SETTLE: '0s' });
    db = firestoreFor(stack);

    // 9 messages: 8 sightings of 6 issues, and one duplicate that is not counted.
    const messages: [string, string][] = [
      ['forseti', forseti('user:a@example.com')],
      ['forseti', forseti('user:a@example.com', 99)],
      ['forseti', forseti('user:b@example.com')],
      ['forseti', forseti('user:c@example.com')],
      ['detectify', detectify()],
      ['riskytoaster', toaster('t1', 'Default level set to 7.')],
      ['riskytoaster', toaster('t1', 'Default level set to 8.')],
      ['riskytoaster', toaster('t2', 'Default level set to 9.')],
      ['riskytoaster', toaster('t2', 'Default level set to 9.')],
    ];
    for (const [source, data] of messages) await publish(stack, data, { source_type: source });
    await eventually('9 alerts ingested', () => (functionLog(stack).filter((l) => l.message.startsWith('alert ')).length >= 9 ? true : undefined));
    const events = await db.collection('events').get();
    expect(events.size).toBe(8);
    const issues = [...new Set(events.docs.map((doc) => doc.get('fingerprint') as string))].sort();
    forsetiIssues = issues.filter((fp) => fp.startsWith('forseti_'));
    detectifyIssue = issues.find((fp) => fp.startsWith('detectify_'))!;
    expect([forsetiIssues.length, issues.length]).toEqual([3, 6]);
  });
  afterAll(async () => {
    await db?.terminate();
    await stack?.stop();
  });

  const url = (path: string) => `${stack.api.url}${path}`;
  const as = (user: string) => ({ 'x-comet-user': user });
  const act = async (owner: string, action: string, fingerprint: string, body: Record<string, unknown> = {}) => {
    const res = await fetch(url(`/v0/${action}`), { method: 'POST', headers: { 'content-type': 'application/json', ...as(owner) }, body: JSON.stringify({ fingerprint, ...body }) });
    expect(res.status).toBe(200);
  };
  const stats = async (query = '') => {
    const res = await fetch(url(`/v0/stats${query}`), { headers: as(LOCAL_SECURITY_TEAM) });
    expect(res.status).toBe(200);
    return (await res.json()) as Stats & { foldedUpTo: string | null };
  };
  const job = async (name: string, headers: Record<string, string> = {}) => {
    const res = await fetch(stack.dispatch.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ job: name }) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { result: Record<string, unknown> }).result;
  };
  /** Figures without the fields that only say when they were computed. */
  const figures = ({ generatedAt: _at, foldedUpTo: _folded, ...rest }: Stats & { foldedUpTo: string | null }) => rest;

  describe('the role check', () => {
    it('refuses /v0/stats without an identity (401) and to anyone outside the security team (403)', async () => {
      expect((await fetch(url('/v0/stats'))).status).toBe(401);
      const outsider = await fetch(url('/v0/stats'), { headers: as(CLOUD) });
      expect(outsider.status).toBe(403);
      expect(await outsider.json()).toEqual({ error: `${CLOUD} is not in COMET_SECURITY_TEAM` });
      expect((await fetch(url('/v0/stats'), { headers: { ...as(WEB), accept: 'text/html' } })).status).toBe(403);
      expect((await fetch(url('/v0/stats'), { headers: as(LOCAL_SECURITY_TEAM) })).status).toBe(200);
    });
  });

  describe('after publishing 9 alerts and acting on 5 issues 7 times', () => {
    let before: Stats & { foldedUpTo: string | null };

    beforeAll(async () => {
      const [f1, f2, f3] = forsetiIssues as [string, string, string];
      await act(CLOUD, 'falsepositive', f1);
      await act(CLOUD, 'acceptrisk', f2);
      await act(CLOUD, 'snooze', f3, { days: 7 });
      await act(CLOUD, 'reopen', f3);
      await act(WEB, 'falsepositive', detectifyIssue);
      await act(TOASTERS, 'resolve', T1);
      await act(TOASTERS, 'escalate', T1);
      before = await stats();
    });

    it('counts every alert, issue and action, per source, OU, issue type and severity, in every window', () => {
      const expected = { received: 8, opened: 6, closed: 4, snoozed: 1, falsePositive: 2, acceptedRisk: 1, acknowledged: 0, resolved: 1, escalated: 1, reopened: 1 };
      for (const window of ['day', 'week', '30d'] as const) expect(before.windows[window].totals).toEqual(expected);
      const zero = { received: 0, opened: 0, closed: 0, snoozed: 0, falsePositive: 0, acceptedRisk: 0, acknowledged: 0, resolved: 0, escalated: 0, reopened: 0 };
      const forsetiFigures = { ...zero, received: 4, opened: 3, closed: 2, falsePositive: 1, acceptedRisk: 1, snoozed: 1, reopened: 1 };
      const toasterFigures = { ...zero, received: 3, opened: 2, closed: 1, resolved: 1, escalated: 1 };
      const detectifyFigures = { ...zero, received: 1, opened: 1, closed: 1, falsePositive: 1 };
      const month = before.windows['30d'];
      expect(month.bySource).toEqual([
        { key: 'forseti', ...forsetiFigures },
        { key: 'riskytoaster', ...toasterFigures },
        { key: 'detectify', ...detectifyFigures },
      ]);
      expect(month.byOu).toEqual([
        { key: 'infrastructure', ...forsetiFigures },
        { key: 'facilities', ...toasterFigures },
        { key: 'web', ...detectifyFigures },
      ]);
      expect(month.byIssueType).toEqual([
        { key: FORSETI_TYPE, ...forsetiFigures },
        { key: 'high-default-level', ...toasterFigures },
        { key: XSS, ...detectifyFigures },
      ]);
      expect(month.rows).toEqual([
        { source: 'forseti', ou: 'infrastructure', issueType: FORSETI_TYPE, severity: 'high', ...forsetiFigures },
        { source: 'riskytoaster', ou: 'facilities', issueType: 'high-default-level', severity: 'low', ...toasterFigures },
        { source: 'detectify', ou: 'web', issueType: XSS, severity: 'high', ...detectifyFigures },
      ]);
      expect(month.bySeverity).toEqual([
        { key: 'high', ...forsetiFigures, received: 5, opened: 4, closed: 3, falsePositive: 2 },
        { key: 'low', ...toasterFigures },
      ]);
      const today = before.daily[before.daily.length - 1];
      expect(today).toEqual({ day: before.windows.day.from, ...expected });
      expect(before.daily.slice(0, -1).every((d) => d.received === 0)).toBe(true);
    });

    it('times each issue from its first sighting to its first action: median and p90 per source and OU', async () => {
      // Worked out here from the stored events and interactions, independently of the rollup.
      const firstSeen = new Map<string, number>();
      for (const doc of (await db.collection('events').get()).docs) {
        const at = (doc.get('receivedAt') as Timestamp).toMillis();
        const fp = doc.get('fingerprint') as string;
        firstSeen.set(fp, Math.min(at, firstSeen.get(fp) ?? Infinity));
      }
      const firstAction = new Map<string, { at: number; source: string }>();
      for (const doc of (await db.collection('interactions').orderBy('at').get()).docs) {
        const fp = doc.get('fingerprint') as string;
        if (!firstAction.has(fp)) firstAction.set(fp, { at: (doc.get('at') as Timestamp).toMillis(), source: doc.get('source') as string });
      }
      expect(firstAction.size).toBe(5);
      const seconds = (source: string) => [...firstAction].filter(([, a]) => a.source === source).map(([fp, a]) => Math.round((a.at - firstSeen.get(fp)!) / 1000)).sort((a, b) => a - b);
      const nearestRank = (values: number[], p: number) => values[Math.ceil(p * values.length) - 1];
      const latency = (key: string, values: number[]) => ({ key, issues: values.length, medianSeconds: nearestRank(values, 0.5), p90Seconds: nearestRank(values, 0.9) });
      const all = ['detectify', 'forseti', 'riskytoaster'].flatMap(seconds).sort((a, b) => a - b);
      const month = before.windows['30d'].timeToFirstAction;
      expect(month.all).toEqual(latency('all', all));
      expect(month.bySource).toEqual([latency('detectify', seconds('detectify')), latency('forseti', seconds('forseti')), latency('riskytoaster', seconds('riskytoaster'))]);
      expect(month.byOu).toEqual([latency('facilities', seconds('riskytoaster')), latency('infrastructure', seconds('forseti')), latency('web', seconds('detectify'))]);
      expect(month.bySource.map((l) => l.issues)).toEqual([1, 3, 1]);
    });

    it('reports the configured OUs a source sent nothing, and which sources cover which OUs', () => {
      expect(before.coverage).toEqual({
        days: 7,
        sources: ['detectify', 'forseti', 'riskytoaster'],
        ous: [
          { ou: 'facilities', alerts: { detectify: 0, forseti: 0, riskytoaster: 3 }, silentSources: ['detectify', 'forseti'] },
          { ou: 'finance', alerts: { detectify: 0, forseti: 0, riskytoaster: 0 }, silentSources: ['detectify', 'forseti', 'riskytoaster'] },
          { ou: 'infrastructure', alerts: { detectify: 0, forseti: 4, riskytoaster: 0 }, silentSources: ['detectify', 'riskytoaster'] },
          { ou: 'web', alerts: { detectify: 1, forseti: 0, riskytoaster: 0 }, silentSources: ['forseti', 'riskytoaster'] },
        ],
        gaps: [
          { ou: 'facilities', silentSources: ['detectify', 'forseti'], noAlertsAtAll: false },
          { ou: 'finance', silentSources: ['detectify', 'forseti', 'riskytoaster'], noAlertsAtAll: true },
          { ou: 'infrastructure', silentSources: ['detectify', 'riskytoaster'], noAlertsAtAll: false },
          { ou: 'web', silentSources: ['forseti', 'riskytoaster'], noAlertsAtAll: false },
        ],
        unlisted: [],
      });
    });

    it('reports coverage over the days asked for, 1 to 30', async () => {
      expect((await stats('?coverageDays=30')).coverage).toMatchObject({ days: 30, gaps: before.coverage.gaps });
      for (const bad of ['0', '31', 'week']) expect((await fetch(url(`/v0/stats?coverageDays=${bad}`), { headers: as(LOCAL_SECURITY_TEAM) })).status).toBe(400);
    });

    it('ranks the noisiest rules by false positives and accepted risks per issue', () => {
      expect(before.noisiest).toEqual([
        { source: 'detectify', issueType: XSS, issues: 1, falsePositive: 1, acceptedRisk: 0, rate: 1 },
        { source: 'forseti', issueType: FORSETI_TYPE, issues: 3, falsePositive: 1, acceptedRisk: 1, rate: 2 / 3 },
      ]);
    });

    it('logs each alert received once, with the fields the log-based metrics read', () => {
      const received = functionLog(stack).filter((l) => l.metric === 'alert_received');
      expect(received.map((l) => `${l.severity} ${l.source_type}/${l.ou}/${l.alert_severity}`).sort()).toEqual([
        'INFO detectify/web/high',
        ...Array(4).fill('INFO forseti/infrastructure/high'),
        ...Array(3).fill('INFO riskytoaster/facilities/low'),
      ]);
    });

    it('gives the same figures once rolled up, then from the rollups plus the newer tail, and never counts a fact twice', async () => {
      expect(await job('metrics-rollup')).toMatchObject({ status: 'folded', facts: 15 });
      const rolled = await stats();
      expect(rolled.foldedUpTo).not.toBeNull();
      expect(figures(rolled)).toEqual(figures(before));
      const days = await db.collection('metricsDays').get();
      expect(days.docs.map((d) => d.id).sort()).toEqual(['detectify', 'forseti', 'riskytoaster'].map((s) => `${before.windows.day.from}_${s}`));
      const counted = (metric: string) => functionLog(stack, 'dispatch').filter((l) => l.metric === metric);
      expect(counted('issue_opened')).toHaveLength(6);
      expect(counted('first_action').map((l) => l.seconds)).toEqual(expect.arrayContaining([expect.any(Number)]));
      expect(counted('first_action')).toHaveLength(5);
      expect(counted('issue_action').map((l) => `${l.source_type}/${l.ou}/${l.alert_severity}/${l.action}`).sort()).toEqual([
        'detectify/web/high/falsepositive',
        'forseti/infrastructure/high/acceptrisk',
        'forseti/infrastructure/high/falsepositive',
        'forseti/infrastructure/high/reopen',
        'forseti/infrastructure/high/snooze',
        'riskytoaster/facilities/low/escalate',
        'riskytoaster/facilities/low/resolve',
      ]);

      // A fact after the rollup is counted from the tail, then from the rollup; no rollup adds it twice.
      await act(TOASTERS, 'snooze', T2, { days: 1 });
      const tail = await stats();
      expect(tail.windows.day.totals).toMatchObject({ snoozed: 2, received: 8, opened: 6 });
      expect(tail.windows['30d'].timeToFirstAction.bySource.find((l) => l.key === 'riskytoaster')?.issues).toBe(2);
      // Two rollups at once (a scheduler retry): one folds the fact, the other loses the race or finds nothing new.
      const racing = (await Promise.all([job('metrics-rollup'), job('metrics-rollup')])) as { status: string; facts: number }[];
      expect(racing.filter((r) => r.status === 'folded')).toEqual([expect.objectContaining({ facts: 1 })]);
      expect(racing.filter((r) => r.status !== 'folded').map((r) => r.status)).toEqual([expect.stringMatching(/^(lost-race|up-to-date)$/)]);
      expect(await job('metrics-rollup')).toMatchObject({ facts: 0 });
      expect(figures(await stats())).toEqual(figures(tail));
      expect(counted('issue_action')).toHaveLength(8);
    });

    it('shows the same figures on the dashboard, with alert text escaped', async () => {
      const res = await fetch(url('/v0/stats'), { headers: { ...as(LOCAL_SECURITY_TEAM), accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      const page = await res.text();
      expect(page).toContain('<svg');
      expect(page).toMatch(/<td>Alerts received<\/td><td class="n">8<\/td><td class="n">8<\/td><td class="n">8<\/td>/);
      expect(page).toContain('Coverage gaps, last 7 days');
      expect(page).toContain('4 of 4 OUs have a gap');
      expect(page).not.toContain(XSS);
      expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    });

    it('mails the summary of the 7 days before today to the security team once, with their figures', async () => {
      stack.sink.clear();
      // Run tomorrow, the summary covers today's traffic; a rollup told it is tomorrow keeps the real clock.
      const tomorrow = { 'x-comet-now': new Date(Date.now() + 86_400_000).toISOString() };
      expect(await job('metrics-rollup', tomorrow)).toMatchObject({ facts: 0 });
      expect(await job('weekly-summary', tomorrow)).toMatchObject({ status: 'sent', to: LOCAL_SECURITY_TEAM, lastDay: before.windows.day.to });
      const [mail, ...others] = stack.sink.mails();
      expect(others).toHaveLength(0);
      expect(mail?.to).toEqual([LOCAL_SECURITY_TEAM]);
      expect(mail?.categories).toEqual(['comet', 'weekly-summary']);
      expect(mail?.subject).toBe('Comet weekly summary: 8 alerts, 6 issues opened, 4 closed');
      expect(mail?.text).toContain('  Snoozed: 2\n');
      expect(mail?.text).toContain('  forseti: 4, 3, 2,');
      expect(mail?.text).toContain('  finance: no alerts from any source');
      expect(mail?.text).toContain('  web: no alerts from forseti, riskytoaster');
      expect(mail?.text).toContain(`  detectify ${XSS}: 1, 1, 0, 100%`);
      expect(mail?.html).not.toContain(XSS);
      expect(mail?.text).toContain(`${stack.api.url}/v0/stats`);
      expect(await job('weekly-summary', tomorrow)).toMatchObject({ status: 'already-sent' });
      expect(stack.sink.mails()).toHaveLength(1);
    });

    it('lets one of two overlapping summary runs claim a week; a given-up claim is free again, a lapsed one too', async () => {
      const store = new MetricsStore(db, { timeoutMs: 10_000 });
      const now = new Date();
      const claim = (day: string, at = now) => store.claimWeeklySummary(day, at, 60_000);
      expect((await Promise.all([claim('2030-01-06'), claim('2030-01-06')])).sort()).toEqual(['claimed', 'in-progress']);
      await store.finishWeeklySummary('2030-01-06', false);
      expect(await claim('2030-01-06')).toBe('claimed');
      await store.finishWeeklySummary('2030-01-06', true);
      expect(await claim('2030-01-06')).toBe('already-sent');
      expect(await claim('2030-01-13')).toBe('claimed');
      expect(await claim('2030-01-13', new Date(now.getTime() + 30_000))).toBe('in-progress');
      expect(await claim('2030-01-13', new Date(now.getTime() + 61_000))).toBe('claimed');
    });
  });

  it('refuses a dispatch body naming both a source and a job', async () => {
    const res = await fetch(stack.dispatch.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"source": "forseti", "job": "metrics-rollup"}' });
    expect(res.status).toBe(400);
  });
});
