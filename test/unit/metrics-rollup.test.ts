import { describe, expect, it } from 'vitest';
import type { EventFact, FoldIssue, InteractionFact, IssueMarks } from '../../lib/metrics/fold.ts';
import { type DayRollup, dimensionsOf } from '../../lib/metrics/model.ts';
import { MAX_FIRST_ACTIONS_PER_DAY, MAX_ROWS_PER_DAY, OTHER, Rollups } from '../../lib/metrics/rollups.ts';
import { type RollupStore, runRollup } from '../../lib/metrics/rollup.ts';
import { createLogger } from '../../lib/util/log.ts';

const NOW = new Date('2027-03-10T12:00:00Z');
const HOUR = 3_600_000;
const metadata = { ou: 'web', issueType: 'xss', severity: 'high' } as const;

/** The store in memory, with the watermark's compare-and-set, and a way to fail one commit. */
class MemoryStore implements RollupStore {
  watermark: Date | undefined;
  readonly days = new Rollups();
  readonly marks = new Map<string, IssueMarks>();
  commits: number[] = [];
  failNextCommit = false;
  readonly facts: { events: EventFact[]; interactions: InteractionFact[] };
  private readonly onCommit: () => void;
  constructor(facts: { events: EventFact[]; interactions: InteractionFact[] }, onCommit: () => void = () => {}) {
    this.facts = facts;
    this.onCommit = onCommit;
  }

  async foldedUpTo() {
    return this.watermark;
  }
  async events(after: Date, upTo: Date) {
    return this.facts.events.filter((e) => e.at > after && e.at <= upTo);
  }
  async interactions(after: Date, upTo: Date) {
    return this.facts.interactions.filter((i) => i.at > after && i.at <= upTo);
  }
  async issues(fingerprints: Iterable<string>) {
    return new Map<string, FoldIssue>([...new Set(fingerprints)].map((fp) => [fp, { dims: dimensionsOf('detectify', metadata), ...this.marks.get(fp) }]));
  }
  async mark(marks: ReadonlyMap<string, IssueMarks>) {
    for (const [fp, mark] of marks) this.marks.set(fp, { ...this.marks.get(fp), ...mark });
  }
  async commit(expected: Date | undefined, upTo: Date, folded: readonly DayRollup[]) {
    this.onCommit();
    if (this.failNextCommit) {
      this.failNextCommit = false;
      throw new Error('the function crashed');
    }
    if (this.watermark?.getTime() !== expected?.getTime()) return false;
    for (const rollup of folded) this.days.merge(rollup);
    this.watermark = upTo;
    this.commits.push(folded.reduce((n, r) => n + r.rows.reduce((m, row) => m + row.received + row.snoozed, 0), 0));
    return true;
  }
}

const log = createLogger(() => {});
const deps = (store: RollupStore) => ({ store, now: () => NOW, settleMs: 5 * 60_000, log });
const totals = (store: MemoryStore) => store.days.list().flatMap((d) => d.rows).reduce((n, r) => ({ received: n.received + r.received, opened: n.opened + r.opened, snoozed: n.snoozed + r.snoozed }), { received: 0, opened: 0, snoozed: 0 });

/** 12,000 sightings of 4,000 issues over the last three days, and an action on each of the first 100 issues. */
function backlog() {
  const events: EventFact[] = Array.from({ length: 12_000 }, (_, i) => ({
    id: `e${i}`,
    fingerprint: `f${i % 4_000}`,
    source: 'detectify',
    metadata,
    at: new Date(NOW.getTime() - 72 * HOUR + i * 20_000),
  }));
  const interactions: InteractionFact[] = Array.from({ length: 100 }, (_, i) => ({ id: `i${i}`, fingerprint: `f${i}`, source: 'detectify', action: 'snooze', at: new Date(NOW.getTime() - HOUR + i) }));
  return { events, interactions };
}

describe('the rollup run', () => {
  it('folds a backlog in commits of at least 5,000 facts, leaving the last minutes to settle', async () => {
    const store = new MemoryStore({ ...backlog(), events: [...backlog().events, { id: 'late', fingerprint: 'late', source: 'detectify', metadata, at: new Date(NOW.getTime() - 60_000) }] });
    expect(await runRollup(deps(store))).toEqual({ status: 'folded', facts: 12_100, foldedUpTo: '2027-03-10T11:55:00.000Z' });
    expect(store.commits.slice(0, -1).every((n) => n >= 5_000)).toBe(true);
    expect(store.commits.reduce((a, b) => a + b)).toBe(12_100);
    expect(totals(store)).toEqual({ received: 12_000, opened: 4_000, snoozed: 100 });
    expect(store.days.list().flatMap((d) => d.firstActions)).toHaveLength(100);

    expect(await runRollup(deps(store))).toMatchObject({ status: 'up-to-date', facts: 0 });
    expect(await runRollup({ ...deps(store), now: () => new Date(NOW.getTime() + 10 * 60_000) })).toMatchObject({ status: 'folded', facts: 1 });
    expect(totals(store)).toEqual({ received: 12_001, opened: 4_001, snoozed: 100 });
  });

  it('counts the same after a crash between writing its marks and committing its counts', async () => {
    const clean = new MemoryStore(backlog());
    await runRollup(deps(clean));
    const crashed = new MemoryStore(backlog());
    crashed.failNextCommit = true;
    await expect(runRollup(deps(crashed))).rejects.toThrow('the function crashed');
    expect(crashed.marks.size).toBeGreaterThan(0);
    await runRollup(deps(crashed));
    expect(crashed.days.list()).toEqual(clean.days.list());
  });

  it('stops without counting when another rollup moved the watermark first', async () => {
    // Another run commits just before this one does.
    const store: MemoryStore = new MemoryStore(backlog(), () => {
      store.watermark ??= new Date(NOW.getTime() - 48 * HOUR);
    });
    expect(await runRollup(deps(store))).toMatchObject({ status: 'lost-race' });
    expect(store.days.list()).toEqual([]);
  });
});

describe('day rollup bounds', () => {
  it('counts rows past the limit under (other), and times no more first actions than the limit', () => {
    const rollups = new Rollups();
    const dims = (i: number) => ({ source: 'forseti', ou: 'web', issueType: `type-${i}`, severity: 'high' });
    for (let i = 0; i < MAX_ROWS_PER_DAY + 10; i++) rollups.count('2026-12-01', dims(i), 'received');
    for (let i = 0; i < MAX_FIRST_ACTIONS_PER_DAY + 5; i++) rollups.firstAction('2026-12-01', 'forseti', { ou: 'web', seconds: i });
    const [day] = rollups.list();
    expect(day!.rows).toHaveLength(MAX_ROWS_PER_DAY + 1);
    expect(day!.rows.find((r) => r.issueType === OTHER)?.received).toBe(10);
    expect(day!.rows.reduce((n, r) => n + r.received, 0)).toBe(MAX_ROWS_PER_DAY + 10);
    expect(day!.firstActions).toHaveLength(MAX_FIRST_ACTIONS_PER_DAY);
  });
});
