import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../lib/util/canonical-json.ts';

describe('canonicalJson', () => {
  it('writes what Python json.dumps(sort_keys=True) writes', () => {
    // Expected text produced by CPython 3.11's json.dumps for the same value.
    const value = { b: [1.5, 1e-5, 1.5e-7, 2.5e-300, 123456789.123], a: 'é\x7f\u2028😀' };
    expect(canonicalJson(value)).toBe('{"a": "\\u00e9\\u007f\\u2028\\ud83d\\ude00", "b": [1.5, 1e-05, 1.5e-07, 2.5e-300, 123456789.123]}');
  });

  it('sorts keys at every level and escapes quotes, backslashes and control characters', () => {
    expect(canonicalJson({ z: { y: 1, x: [true, null] }, a: 'q"\\\n\t\u0001' })).toBe('{"a": "q\\"\\\\\\n\\t\\u0001", "z": {"x": [true, null], "y": 1}}');
  });

  it('prints integers in full and empty containers compactly', () => {
    expect(canonicalJson({ big: 1e21, neg: -0, list: [], obj: {} })).toBe('{"big": 1000000000000000000000, "list": [], "neg": 0, "obj": {}}');
  });

  it('refuses values JSON cannot hold', () => {
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });
});
