import { isUtf8 } from 'node:buffer';
import type { JsonObject } from '../model/json.ts';
import { Refusal } from './refusal.ts';

export const MAX_DEPTH = 32;

/**
 * Keys that pollute prototypes when an alert is later copied into plain
 * objects, or that Firestore reserves (`__name__`-style field names). Found
 * in the text: a key is a string directly followed by a colon, and its
 * opening quote is never escaped. (A JSON.parse reviver would do the same
 * at a fifth of the ingest pipeline's time.)
 */
const FORBIDDEN_KEY = /(?<!\\)"(__proto__|constructor|prototype|__(?:[^"\\]|\\.)*__)"\s*:/g;

/** Alert bytes to a JSON object, refusing anything unsafe to store or render. */
export function parseAlertJson(bytes: Buffer): JsonObject {
  if (!isUtf8(bytes)) throw new Refusal('invalid_utf8');
  const text = bytes.toString('utf8');
  // Checked on the text, before JSON.parse builds a structure deep enough to
  // overflow the stack of every recursive walk that follows.
  const depth = fewOpenings(text) ? 0 : maxNesting(text);
  if (depth > MAX_DEPTH) throw new Refusal('too_deep', `the alert nests ${depth} levels deep, over the limit of ${MAX_DEPTH}`);

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Refusal('invalid_json', `the alert is not valid JSON: ${(error as Error).message}`);
  }
  // A key spelled with \u escapes hides from the text search: then look at the parsed keys.
  const forbidden = text.includes('\\u') ? collect(value, (key) => FORBIDDEN_NAME.test(key), () => false).keys : [...text.matchAll(FORBIDDEN_KEY)].map((m) => m[1] as string);
  if (forbidden.length > 0) {
    throw new Refusal('forbidden_key', `the alert uses the reserved key ${JSON.stringify(forbidden[0])}`, [...new Set(forbidden)]);
  }
  const control = CONTROL_ESCAPE.exec(text);
  // JSON forbids the other control characters raw, but not DEL.
  if (control) throw new Refusal('control_characters', `the alert's text holds the control character ${control[1] ?? 'DEL'}`);
  const longDigits = LONG_DIGITS.test(text);
  if (longDigits || HUGE_EXPONENT.test(text)) {
    // An integer past 2^53 would be stored rounded, merging identifiers that differ; a huge exponent parses to Infinity.
    const inexact = collect(value, () => false, (n) => !Number.isFinite(n) || (longDigits && Number.isInteger(n) && !Number.isSafeInteger(n))).numbers;
    if (inexact.length > 0) throw new Refusal('out_of_range', `the alert holds a number JSON cannot carry exactly (${inexact[0]})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Refusal('not_an_object', `the alert is ${Array.isArray(value) ? 'an array' : `a ${value === null ? 'null' : typeof value}`}, not a JSON object`);
  }
  return value as JsonObject;
}

const FORBIDDEN_NAME = /^(__proto__|constructor|prototype|__.*__)$/;

/**
 * An escaped control character other than tab, line feed and carriage
 * return, or a raw DEL: no scanner's text needs one, and NUL or backspace in a stored
 * field or a mail hides what follows. The backslash must not itself be escaped.
 */
const CONTROL_ESCAPE = /(?<!\\)(?:\\\\)*(\\(?:u00(?:0[0-8bcef]|1[0-9a-f])|u007f|[bf]))|\u007f/i;

/** Only text with a run of 16 digits, or a three-digit exponent, can hold such numbers: then, and only then, they are walked. */
const LONG_DIGITS = /\d{16}/;
const HUGE_EXPONENT = /\d[eE]\+?\d{3}/;

/** The keys and the numbers in a parsed alert that the tests pick out; iterative, so no alert can overflow the stack. */
function collect(root: unknown, pickKey: (key: string) => boolean, pickNumber: (n: number) => boolean): { keys: string[]; numbers: number[] } {
  const found = { keys: [] as string[], numbers: [] as number[] };
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'number' && pickNumber(node)) found.numbers.push(node);
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    for (const key of Object.keys(node)) {
      if (pickKey(key)) found.keys.push(key);
      stack.push((node as Record<string, unknown>)[key]);
    }
  }
  return found;
}

/** True when the text opens too few objects and arrays to nest past the limit: the common case, found natively. */
function fewOpenings(text: string): boolean {
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i !== -1; i = text.indexOf(bracket, i + 1)) {
      if (++count > MAX_DEPTH) return false;
    }
  }
  return true;
}

function maxNesting(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > max) max = depth;
    } else if (ch === 0x7d || ch === 0x5d) {
      depth--;
    }
  }
  return max;
}
