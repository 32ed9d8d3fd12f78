import type { IssueAction } from '../model/interaction.ts';
import type { EventMetadata } from '../model/metadata.ts';

/** What each action adds to: one count per action taken. */
export const ACTION_COUNTS = {
  snooze: 'snoozed',
  falsepositive: 'falsePositive',
  acceptrisk: 'acceptedRisk',
  acknowledge: 'acknowledged',
  resolve: 'resolved',
  escalate: 'escalated',
  reopen: 'reopened',
} as const satisfies Record<IssueAction, string>;

/** `received`: alert sightings stored (duplicates excluded); `opened`: issues seen for the first time; then actions taken. */
export const COUNT_NAMES = ['received', 'opened', ...Object.values(ACTION_COUNTS)] as const;
export type CountName = (typeof COUNT_NAMES)[number];
export type Counts = Record<CountName, number>;

/** The actions that close an issue: `closed` is their sum. */
export const CLOSING_COUNTS = ['falsePositive', 'acceptedRisk', 'resolved'] as const satisfies readonly CountName[];

/** The unit every figure is kept by. */
export interface Dimensions {
  source: string;
  ou: string;
  issueType: string;
  severity: string;
}

/** An alert without an OU, issue type or severity is counted under this name. */
export const NONE = '(none)';

export function dimensionsOf(source: string, metadata: EventMetadata): Dimensions {
  return { source, ou: metadata.ou || NONE, issueType: metadata.issueType || NONE, severity: metadata.severity || NONE };
}

export type Row = Dimensions & Counts;

/** How long an issue waited for its first action, by the day of that action. */
export interface FirstAction {
  ou: string;
  seconds: number;
}

/** One source's figures for one UTC day: the document the rollup writes (`metricsDays/{day}_{source}`). */
export interface DayRollup {
  /** YYYY-MM-DD, UTC. */
  day: string;
  source: string;
  rows: Row[];
  firstActions: FirstAction[];
}

export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function zeroCounts(): Counts {
  return Object.fromEntries(COUNT_NAMES.map((name) => [name, 0])) as Counts;
}

/** Adds `from` to `into`; a count a stored document predates adds nothing. */
export function addCounts(into: Counts, from: Partial<Counts>): void {
  for (const name of COUNT_NAMES) into[name] += from[name] ?? 0;
}
