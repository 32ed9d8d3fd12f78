import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertIdentity, contentId, defaultFingerprint, FINGERPRINT_PATTERN } from '../../lib/ingest/fingerprint.ts';
import type { JsonObject } from '../../lib/model/json.ts';

const sample = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'emulator', 'samples', `${name}.json`), 'utf8')) as JsonObject;

describe('defaultFingerprint', () => {
  it("equals the original Comet's fingerprint of the reference samples", () => {
    // Computed with comet-core's algorithm: shake_256(json.dumps(alert, sort_keys=True)).hexdigest(16).
    expect(defaultFingerprint('forseti', sample('forseti'))).toBe('forseti_90c3e6c463ed7fcea708b0dee809417f');
    expect(defaultFingerprint('detectify', sample('detectify'))).toBe('detectify_2d98bb62a934612143109382515aecc0');
    expect(defaultFingerprint('forseti', sample('forseti'), ['id', ['violation_data', 'member']])).toBe('forseti_c8f180283fa59bad02bafb84b708146b');
  });

  it('is stable under key order', () => {
    const alert = sample('detectify');
    const reversed = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(alert).reverse()))) as JsonObject;
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(alert));
    expect(defaultFingerprint('detectify', reversed)).toBe(defaultFingerprint('detectify', alert));
  });

  it('changes with a relevant field', () => {
    const alert = sample('forseti');
    expect(defaultFingerprint('forseti', { ...alert, resource_id: 'other' })).not.toBe(defaultFingerprint('forseti', alert));
  });

  it('ignores top-level fields and nested paths it is told to ignore, and nothing else', () => {
    const alert = sample('forseti');
    const ignore = ['id', ['violation_data', 'member']] as const;
    const changedIgnored = { ...alert, id: 99, violation_data: { ...(alert.violation_data as JsonObject), member: 'user:other@example.com' } };
    expect(defaultFingerprint('forseti', changedIgnored, ignore)).toBe(defaultFingerprint('forseti', alert, ignore));
    const changedKept = { ...alert, violation_data: { ...(alert.violation_data as JsonObject), role: 'roles/viewer' } };
    expect(defaultFingerprint('forseti', changedKept, ignore)).not.toBe(defaultFingerprint('forseti', alert, ignore));
  });

  it('tolerates ignored paths that are missing or run through non-objects', () => {
    const alert = sample('forseti');
    expect(defaultFingerprint('forseti', alert, [['nope', 'deeper'], ['project_id', 'x'], []])).toBe(defaultFingerprint('forseti', alert));
  });

  it('does not modify the alert', () => {
    const alert = sample('forseti');
    defaultFingerprint('forseti', alert, ['id', ['violation_data', 'member']]);
    expect(alert).toEqual(sample('forseti'));
  });

  it('is prefixed by the source and valid as an API fingerprint', () => {
    expect(defaultFingerprint('riskytoaster', { a: 1 })).toMatch(/^riskytoaster_[0-9a-f]{32}$/);
    expect(FINGERPRINT_PATTERN.test(defaultFingerprint('riskytoaster', { a: 1 }))).toBe(true);
  });
});

describe('contentId', () => {
  it('identifies a body whatever its key order, and tells bodies and sources apart', () => {
    expect(contentId('s', { a: 1, b: 2 })).toBe(contentId('s', { b: 2, a: 1 }));
    expect(contentId('s', { a: 1 })).not.toBe(contentId('s', { a: 2 }));
    expect(contentId('s', { a: 1 })).not.toBe(contentId('t', { a: 1 }));
  });
});

describe('alertIdentity', () => {
  it('gives the same content id and fingerprint as computing each on its own', () => {
    const ignore = ['id', ['violation_data', 'member'], ['missing', 'path']] as const;
    for (const alert of [sample('forseti'), sample('detectify'), { a: [1, { b: 2 }], id: 'x' }]) {
      expect(alertIdentity('s', alert, ignore)).toEqual({ contentId: contentId('s', alert), fingerprint: defaultFingerprint('s', alert, ignore) });
      expect(alertIdentity('s', alert, [])).toEqual({ contentId: contentId('s', alert), fingerprint: defaultFingerprint('s', alert) });
    }
  });
});
