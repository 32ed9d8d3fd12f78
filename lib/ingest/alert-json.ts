import type { JsonObject } from '../model/json.ts';
import { Refusal } from './refusal.ts';

export const MAX_DEPTH = 32;

/**
 * Keys that pollute prototypes when an alert is later copied into plain
 * objects, or that Firestore reserves (`__name__`-style field names).
 */
const FORBIDDEN_KEY = /^(__proto__|constructor|prototype|__.*__)$/;

/** Alert bytes to a JSON object, refusing anything unsafe to store or render. */
export function parseAlertJson(bytes: Buffer): JsonObject {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Refusal('invalid_utf8');
  }
  // Checked on the text, before JSON.parse builds a structure deep enough to
  // overflow the stack of every recursive walk that follows.
  const depth = maxNesting(text);
  if (depth > MAX_DEPTH) throw new Refusal('too_deep', `the alert nests ${depth} levels deep, over the limit of ${MAX_DEPTH}`);

  let value: unknown;
  const forbidden: string[] = [];
  try {
    value = JSON.parse(text, function collectForbidden(key, v: unknown) {
      if (FORBIDDEN_KEY.test(key)) forbidden.push(key);
      return v;
    });
  } catch (error) {
    throw new Refusal('invalid_json', `the alert is not valid JSON: ${(error as Error).message}`);
  }
  if (forbidden.length > 0) {
    throw new Refusal('forbidden_key', `the alert uses the reserved key ${JSON.stringify(forbidden[0])}`, [...new Set(forbidden)]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Refusal('not_an_object', `the alert is ${Array.isArray(value) ? 'an array' : `a ${value === null ? 'null' : typeof value}`}, not a JSON object`);
  }
  return value as JsonObject;
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
