import type { RunningEmulators } from '../support/harness.ts';

/** One guarantee checked: what it should be, and what it was. */
export interface Check {
  what: string;
  expected: number | string | boolean;
  actual: number | string | boolean;
}

export interface ScenarioReport {
  /** What was thrown at Comet, in a few words. */
  tried: string;
  checks: Check[];
  /** Alerts, events or mails lost or doubled; anything but 0 fails the scenario. */
  lost: number;
}

/**
 * A reliability scenario: the same code runs small under `npm test` and at
 * full size under `npm run soak`, on real emulators.
 */
export interface Scenario<Size> {
  name: string;
  /** The guarantee it shows, as a sentence. */
  claim: string;
  sizes: { test: Size; soak: Size };
  run(emulators: RunningEmulators, size: Size): Promise<ScenarioReport>;
}

export function check(what: string, expected: Check['expected'], actual: Check['actual']): Check {
  return { what, expected, actual };
}

export const failed = (report: ScenarioReport): Check[] => report.checks.filter((c) => c.actual !== c.expected);

/** One line per scenario: what was tried, what held, what was lost. */
export function reportLine(name: string, report: ScenarioReport, seconds: number): string {
  const held = report.checks.map((c) => (c.actual === c.expected ? `${c.what}: ${c.actual}` : `${c.what}: ${c.actual} (expected ${c.expected}) FAILED`));
  return `${name.padEnd(20)} tried: ${report.tried} | held: ${held.join('; ')} | lost: ${report.lost} | ${seconds.toFixed(1)} s`;
}
