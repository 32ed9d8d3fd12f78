import { addCounts, type CountName, type DayRollup, type Dimensions, type FirstAction, type Row, zeroCounts } from './model.ts';

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
    this.day(day, source).rollup.firstActions.push(action);
  }

  merge(rollup: DayRollup): void {
    for (const row of rollup.rows) addCounts(this.row(rollup.day, row), row);
    this.day(rollup.day, rollup.source).rollup.firstActions.push(...rollup.firstActions);
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
    const key = JSON.stringify([dims.ou, dims.issueType, dims.severity]);
    let row = entry.rows.get(key);
    if (!row) {
      row = { source: dims.source, ou: dims.ou, issueType: dims.issueType, severity: dims.severity, ...zeroCounts() };
      entry.rows.set(key, row);
      entry.rollup.rows.push(row);
    }
    return row;
  }
}
