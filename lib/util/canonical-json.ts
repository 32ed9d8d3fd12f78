/**
 * JSON serialised the way Python's `json.dumps(value, sort_keys=True)` does it:
 * sorted keys, `", "` and `": "` separators, non-ASCII escaped as `\uXXXX`.
 *
 * Matching the original Comet byte for byte keeps fingerprints stable across
 * a migration, so ignore states (snoozes, false positives) carry over. The one
 * known difference: JSON has no int/float distinction once parsed in
 * JavaScript, so a float with an integral value (`2.0`) serialises as `2`.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

function write(value: unknown, out: string[]): void {
  if (value === null || value === undefined) {
    out.push('null');
  } else if (typeof value === 'string') {
    out.push(quote(value));
  } else if (typeof value === 'number') {
    out.push(formatNumber(value));
  } else if (typeof value === 'boolean') {
    out.push(value ? 'true' : 'false');
  } else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, i) => {
      if (i > 0) out.push(', ');
      write(item, out);
    });
    out.push(']');
  } else if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    out.push('{');
    keys.forEach((key, i) => {
      if (i > 0) out.push(', ');
      out.push(quote(key), ': ');
      write(record[key], out);
    });
    out.push('}');
  } else {
    throw new TypeError(`cannot serialise a ${typeof value} as JSON`);
  }
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function quote(s: string): string {
  // Printable ASCII passes through; everything else is escaped per UTF-16 unit,
  // which yields surrogate pairs for astral characters exactly as Python does.
  return `"${s.replace(/[^\x20-\x7e]|["\\]/g, (ch) => {
    return SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  })}"`;
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`cannot serialise ${n} as JSON`);
  if (Number.isInteger(n)) return Object.is(n, -0) ? '0' : BigInt(n).toString();
  // Python's float repr: shortest round-trip digits, scientific notation when
  // the decimal exponent is below -4 or at least 16.
  const [mantissa = '', expText = '0'] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}
