/**
 * JSON serialised the way Python's `json.dumps(value, sort_keys=True)` does it:
 * sorted keys, `", "` and `": "` separators, non-ASCII escaped as `\uXXXX`.
 *
 * Matching the original Comet byte for byte keeps fingerprints stable across
 * a migration, so ignore states (snoozes, false positives) carry over. The one
 * known difference: JSON has no int/float distinction once parsed in
 * JavaScript, so a float with an integral value (`2.0`) serialises as `2`.
 */
export function canonicalJson(value: unknown, omit?: OmitTree): string {
  const out: string[] = [];
  write(value, out, omit);
  return out.join('');
}

/**
 * The canonical JSON of a value whole and without the omitted fields, in one
 * pass: ingest needs both (content id and fingerprint) for every alert.
 */
export function canonicalJsonPair(value: unknown, omit: OmitTree): { whole: string; kept: string } {
  const whole: string[] = [];
  const kept: string[] = [];
  writePair(value, whole, kept, omit);
  return { whole: whole.join(''), kept: kept.join('') };
}

function writePair(value: unknown, whole: string[], kept: string[], omit: OmitTree | undefined): void {
  if (omit === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) {
    const text = canonicalJson(value);
    whole.push(text);
    kept.push(text);
    return;
  }
  const record = value as Record<string, unknown>;
  whole.push('{');
  kept.push('{');
  let firstWhole = true;
  let firstKept = true;
  for (const key of Object.keys(record).sort()) {
    const omitted = omit.get(key);
    if (!firstWhole) whole.push(', ');
    firstWhole = false;
    whole.push(quote(key), ': ');
    if (omitted === true) {
      write(record[key], whole, undefined);
      continue;
    }
    if (!firstKept) kept.push(', ');
    firstKept = false;
    kept.push(quote(key), ': ');
    writePair(record[key], whole, kept, omitted);
  }
  whole.push('}');
  kept.push('}');
}

/**
 * Fields to leave out, as a tree of keys: `true` leaves the field out, a
 * nested tree leaves out fields inside it. Leaving them out while writing
 * saves copying the alert to delete them.
 */
export type OmitTree = ReadonlyMap<string, OmitTree | true>;

function write(value: unknown, out: string[], omit: OmitTree | undefined): void {
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
      write(item, out, undefined);
    });
    out.push(']');
  } else if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    out.push('{');
    let first = true;
    for (const key of keys) {
      const omitted = omit?.get(key);
      if (omitted === true) continue;
      if (!first) out.push(', ');
      first = false;
      out.push(quote(key), ': ');
      write(record[key], out, omitted);
    }
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

const NEEDS_ESCAPE = /[^\x20-\x7e]|["\\]/;

function quote(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
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
