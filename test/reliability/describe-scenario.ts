import { expect, it } from 'vitest';
import { describeWithEmulators, emulators } from '../support/stack.ts';
import type { Scenario } from './scenario.ts';

/** A scenario as a test, at its test size: every check must hold and nothing be lost. */
export function describeScenario<Size>(scenario: Scenario<Size>, timeoutMs = 180_000): void {
  describeWithEmulators(`reliability: ${scenario.name}`, () => {
    it(scenario.claim, async () => {
      const report = await scenario.run(emulators!, scenario.sizes.test);
      for (const c of report.checks) expect.soft(c.actual, c.what).toEqual(c.expected);
      expect(report.lost, 'lost or doubled').toBe(0);
    }, timeoutMs);
  });
}
