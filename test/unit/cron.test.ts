import { describe, expect, it } from 'vitest';
import { parseCron } from '../../emulator/cron.ts';
import { loadSources } from '../../lib/sources/index.ts';

const at = (iso: string) => new Date(`${iso}Z`);

describe('parseCron', () => {
  it.each([
    ['* * * * *', '2026-12-04T12:34', true],
    ['*/10 * * * *', '2026-12-04T12:30', true],
    ['*/10 * * * *', '2026-12-04T12:35', false],
    ['0 9-17 * * 1-5', '2026-12-04T09:00', true],
    ['0 9-17 * * 1-5', '2026-12-05T09:00', false],
    ['0 0 1 * *', '2026-12-01T00:00', true],
    ['0 0 * * 0', '2026-12-06T00:00', true],
    ['0 0 * * 7', '2026-12-06T00:00', true],
    ['0 0 1 * 1', '2026-12-07T00:00', true],
    ['15,45 * * * *', '2026-12-04T12:45', true],
  ])('"%s" at %s: %s', (expression, when, expected) => {
    expect(parseCron(expression).matches(at(when))).toBe(expected);
  });

  it.each(['* * * *', '61 * * * *', '*/0 * * * *', 'a * * * *', '5-1 * * * *'])('refuses "%s"', (expression) => {
    expect(() => parseCron(expression)).toThrow();
  });

  it("reads every shipped source's schedule", async () => {
    for (const source of (await loadSources()).all()) expect(() => parseCron(source.config.schedule)).not.toThrow();
  });
});
