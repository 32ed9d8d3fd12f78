/**
 * Five-field cron (minute hour day-of-month month day-of-week), as Cloud
 * Scheduler reads it: numbers, `*`, ranges `a-b`, lists `a,b` and steps
 * `*\/n` or `a-b/n`. Day-of-week 0 and 7 are Sunday. As in Vixie cron, when
 * both day fields are restricted a day matching either one matches.
 */
export interface Cron {
  matches(at: Date): boolean;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

export function parseCron(expression: string): Cron {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`"${expression}" is not a five-field cron expression`);
  const [minute, hour, dom, month, dow] = parts.map((part, i) => parseField(part, FIELDS[i] as (typeof FIELDS)[number])) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (dow.has(7)) dow.add(0);
  const domRestricted = parts[2] !== '*';
  const dowRestricted = parts[4] !== '*';
  return {
    matches(at) {
      const dayOk =
        domRestricted && dowRestricted ? dom.has(at.getUTCDate()) || dow.has(at.getUTCDay()) : dom.has(at.getUTCDate()) && dow.has(at.getUTCDay());
      return minute.has(at.getUTCMinutes()) && hour.has(at.getUTCHours()) && month.has(at.getUTCMonth() + 1) && dayOk;
    },
  };
}

function parseField(text: string, field: { name: string; min: number; max: number }): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!match) throw new Error(`bad ${field.name} "${item}" in cron field "${text}"`);
    const from = match[1] === '*' ? field.min : Number(match[2]);
    const to = match[1] === '*' ? field.max : match[3] !== undefined ? Number(match[3]) : match[4] !== undefined ? field.max : from;
    const step = match[4] !== undefined ? Number(match[4]) : 1;
    if (from < field.min || to > field.max || from > to || step < 1) throw new Error(`${field.name} "${item}" is out of range ${field.min}-${field.max}`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}
