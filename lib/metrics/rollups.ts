import { addCounts, type CountName, type DayRollup, type Dimensions, type FirstAction, type Row, zeroCounts } from './model.ts';

/**
 * What one day document may hold, so that it stays well under Firestore's
 * 1 MiB whatever scanners send: rows past the limit (issue types are the
 * scanner's words) are counted under OTHER, and first actions past theirs
 * are counted but not timed.
 */
export const MAX_ROWS_PER_DAY = 1_500;
export const MAX_FIRST_ACTIONS_PER_DAY = 8_000;
export const OTHER = '(other)';

/** Day rollups being added up: stored ones, and what a fold adds to them. */
export class Rollups {
  private readonly days = new Map<string, { rollup: DayRollup; rows: Map<string, Row> }>();

  constructor(stored: Iterable<DayRollup> = []) {
    for (const rollup of stored) this.merge(rollup);
  }

  count(day: string, dims: Dimensions, name: CountName): void {
    this.row(day, dims)[name]++;
  }

  firstAction(day: string, source: string, action: FirstAction): void {
    const { firstActions } = this.day(day, source).rollup;
    if (firstActions.length < MAX_FIRST_ACTIONS_PER_DAY) firstActions.push(action);
  }

  merge(rollup: DayRollup): void {
    for (const row of rollup.rows) addCounts(this.row(rollup.day, row), row);
    for (const action of rollup.firstActions) this.firstAction(rollup.day, rollup.source, action);
  }

  list(): DayRollup[] {
    return [...this.days.values()].map((d) => d.rollup).sort((a, b) => a.day.localeCompare(b.day) || a.source.localeCompare(b.source));
  }

  private day(day: string, source: string) {
    const key = JSON.stringify([day, source]);
    let entry = this.days.get(key);
    if (!entry) {
      entry = { rollup: { day, source, rows: [], firstActions: [] }, rows: new Map() };
      this.days.set(key, entry);
    }
    return entry;
  }

  private row(day: string, dims: Dimensions): Row {
    const entry = this.day(day, dims.source);
    let key = JSON.stringify([dims.ou, dims.issueType, dims.severity]);
    let issueType = dims.issueType;
    if (!entry.rows.has(key) && entry.rows.size >= MAX_ROWS_PER_DAY) {
      issueType = OTHER;
      key = JSON.stringify([dims.ou, OTHER, dims.severity]);
    }
    let row = entry.rows.get(key);
    if (!row) {
      row = { source: dims.source, ou: dims.ou, issueType, severity: dims.severity, ...zeroCounts() };
      entry.rows.set(key, row);
      entry.rollup.rows.push(row);
    }
    return row;
  }
}
