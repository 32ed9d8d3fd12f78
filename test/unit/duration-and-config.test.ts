import { describe, expect, it } from 'vitest';
import { parseSourceConfig } from '../../lib/plugin/source-config.ts';
import { parseDuration } from '../../lib/util/duration.ts';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['3s', 3_000],
    ['10m', 600_000],
    ['36h', 129_600_000],
    ['7d', 604_800_000],
    ['1w', 604_800_000],
    ['1.5h', 5_400_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '10', '5 minutes', '-3s', '3x'])('refuses %j with an example of the format', (text) => {
    expect(() => parseDuration(text)).toThrow(/e\.g\. "10m"/);
  });
});

describe('parseSourceConfig', () => {
  it("fills in the original Comet's defaults", () => {
    expect(parseSourceConfig('s', undefined)).toEqual({
      communicationDigestMode: true,
      waitForMore: 3_000,
      maxWait: 4_000,
      newThreshold: 604_800_000,
      ownerReminderCadence: 604_800_000,
      escalationTime: 10_000,
      escalationReminderCadence: 604_800_000,
      digestLimit: 50,
      subject: '{source}: {count} open security issues for you, {new} new',
      schedule: '* * * * *',
      dedupeWindow: 3_600_000,
      maxAlertBytes: 262_144,
      realTime: false,
      escalateCadence: 129_600_000,
      floodGuard: { minNewIssues: 500, factor: 10 },
    });
  });

  it('turns the flood guard off with false, and fills in what a partial one leaves out', () => {
    expect(parseSourceConfig('s', { floodGuard: false }).floodGuard).toBe(false);
    expect(parseSourceConfig('s', { floodGuard: { factor: 3 } }).floodGuard).toEqual({ minNewIssues: 500, factor: 3 });
    expect(() => parseSourceConfig('s', { floodGuard: { minNewIssues: 0 } })).toThrow(/floodGuard/);
  });

  it('names the source and the key of a bad value', () => {
    expect(() => parseSourceConfig('forseti', { maxWait: '4 hours' })).toThrow(/source "forseti"[\s\S]*maxWait: "4 hours" is not a duration/);
    expect(() => parseSourceConfig('forseti', { escalationRecipient: 'not-an-email' })).toThrow(/source "forseti"[\s\S]*escalationRecipient/);
    expect(() => parseSourceConfig('forseti', { schedule: 'hourly' })).toThrow(/schedule: must be a five-field cron/);
  });

  it('names an unknown key, catching typos', () => {
    expect(() => parseSourceConfig('detectify', { waitForMoar: '3s' } as never)).toThrow(/source "detectify"[\s\S]*waitForMoar/);
  });
});
