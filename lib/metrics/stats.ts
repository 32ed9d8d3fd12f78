import { type CoverageReport, coverageReport } from './coverage.ts';
import { addCounts, CLOSING_COUNTS, type Counts, type DayRollup, type Dimensions, type Row, zeroCounts } from './model.ts';
import { percentile } from './quantile.ts';

const DAY_MS = 86_400_000;

/** The windows every figure is given for, in whole UTC days ending today (today counts as one). */
export const WINDOWS = { day: 1, week: 7, '30d': 30 } as const;
export type WindowName = keyof typeof WINDOWS;
/** The longest window: the rollups a report reads. */
export const MAX_DAYS = 30;

export type Figures = Counts & { closed: number };
export type Group = { key: string } & Figures;

export interface Latency {
  key: string;
  /** Issues first acted on in the window. */
  issues: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface WindowStats {
  /** First and last day of the window, YYYY-MM-DD. */
  from: string;
  to: string;
  totals: Figures;
  /** Figures per source, OU, issue type and severity together, most alerts first. */
  rows: (Dimensions & Figures)[];
  bySource: Group[];
  byOu: Group[];
  byIssueType: Group[];
  bySeverity: Group[];
  /** From an issue's first sighting to its first action. */
  timeToFirstAction: { all: Latency; bySource: Latency[]; byOu: Latency[] };
}

export interface NoisyRule {
  source: string;
  issueType: string;
  /** Issues opened in the last 30 days. */
  issues: number;
  falsePositive: number;
  acceptedRisk: number;
  /** (false positives + accepted risks) / issues; null without issues opened in the window. */
  rate: number | null;
}

export interface Stats {
  generatedAt: string;
  windows: Record<WindowName, WindowStats>;
  /** Each of the last 30 days, oldest first. */
  daily: ({ day: string } & Figures)[];
  coverage: CoverageReport;
  noisiest: NoisyRule[];
}

export interface StatsInput {
  now: Date;
  /** Day rollups of at least the last 30 days, the not-yet-rolled-up tail folded in. */
  rollups: readonly DayRollup[];
  /** The OUs coverage is reported for. */
  ous: readonly string[];
  /** Every registered source, so that one that sent nothing shows as a gap. */
  sources: readonly string[];
  coverageDays: number;
}

export function computeStats(input: StatsInput): Stats {
  const windows = Object.fromEntries(
    Object.entries(WINDOWS).map(([name, days]) => [name, windowStats(input.rollups, lastDays(input.now, days))]),
  ) as Record<WindowName, WindowStats>;
  const month = lastDays(input.now, MAX_DAYS);
  const rows = rowsIn(input.rollups, month);
  return {
    generatedAt: input.now.toISOString(),
    windows,
    daily: month.map((day) => ({ day, ...figures(rowsIn(input.rollups, [day])) })),
    coverage: coverageReport(rowsIn(input.rollups, lastDays(input.now, input.coverageDays)), input.ous, input.sources, input.coverageDays),
    noisiest: noisiest(rows),
  };
}

/** The `n` UTC days ending with today's, oldest first. */
export function lastDays(now: Date, n: number): string[] {
  return Array.from({ length: n }, (_, i) => new Date(now.getTime() - (n - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

function rowsIn(rollups: readonly DayRollup[], days: readonly string[]): Row[] {
  const wanted = new Set(days);
  return rollups.filter((r) => wanted.has(r.day)).flatMap((r) => r.rows);
}

function windowStats(rollups: readonly DayRollup[], days: string[]): WindowStats {
  const rows = rowsIn(rollups, days);
  const wanted = new Set(days);
  const actions = rollups.filter((r) => wanted.has(r.day)).flatMap((r) => r.firstActions.map((a) => ({ source: r.source, ...a })));
  return {
    from: days[0] ?? '',
    to: days[days.length - 1] ?? '',
    totals: figures(rows),
    rows: [...Map.groupBy(rows, (r) => JSON.stringify([r.source, r.ou, r.issueType, r.severity]))]
      .map(([, members]) => {
        const { source, ou, issueType, severity } = members[0] as Row;
        return { source, ou, issueType, severity, ...figures(members) };
      })
      .sort((a, b) => b.received - a.received || a.source.localeCompare(b.source) || a.ou.localeCompare(b.ou) || a.issueType.localeCompare(b.issueType)),
    bySource: groups(rows, 'source'),
    byOu: groups(rows, 'ou'),
    byIssueType: groups(rows, 'issueType'),
    bySeverity: groups(rows, 'severity'),
    timeToFirstAction: {
      all: latency('all', actions.map((a) => a.seconds)),
      bySource: latencies(actions, 'source'),
      byOu: latencies(actions, 'ou'),
    },
  };
}

export function figures(rows: readonly Counts[]): Figures {
  const sum = zeroCounts();
  for (const row of rows) addCounts(sum, row);
  return { ...sum, closed: CLOSING_COUNTS.reduce((n, name) => n + sum[name], 0) };
}

/** Figures per value of one dimension, busiest first. */
function groups(rows: readonly Row[], by: keyof Dimensions): Group[] {
  return [...Map.groupBy(rows, (r) => r[by])].map(([key, members]) => ({ key, ...figures(members) })).sort((a, b) => b.received - a.received || a.key.localeCompare(b.key));
}

function latencies(actions: readonly { source: string; ou: string; seconds: number }[], by: 'source' | 'ou'): Latency[] {
  return [...Map.groupBy(actions, (a) => a[by])].map(([key, members]) => latency(key, members.map((a) => a.seconds))).sort((a, b) => a.key.localeCompare(b.key));
}

function latency(key: string, seconds: readonly number[]): Latency {
  return { key, issues: seconds.length, medianSeconds: percentile(seconds, 0.5), p90Seconds: percentile(seconds, 0.9) };
}

/** Issue types ranked by how often owners call them false or accept them: the rules to tune. */
function noisiest(rows: readonly Row[]): NoisyRule[] {
  return [...Map.groupBy(rows, (r) => JSON.stringify([r.source, r.issueType]))]
    .map(([, members]): NoisyRule => {
      const { source, issueType } = members[0] as Row;
      const sum = figures(members);
      const dismissed = sum.falsePositive + sum.acceptedRisk;
      return { source, issueType, issues: sum.opened, falsePositive: sum.falsePositive, acceptedRisk: sum.acceptedRisk, rate: sum.opened > 0 ? dismissed / sum.opened : null };
    })
    .filter((rule) => rule.falsePositive + rule.acceptedRisk > 0)
    .sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || b.falsePositive + b.acceptedRisk - (a.falsePositive + a.acceptedRisk) || a.source.localeCompare(b.source) || a.issueType.localeCompare(b.issueType));
}
