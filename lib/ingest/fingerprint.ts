import { createHash } from 'node:crypto';
import { canonicalJson } from '../util/canonical-json.ts';
import type { JsonObject, JsonValue } from '../model/json.ts';

/** A top-level field name, or a path into nested objects such as `['violation_data', 'member']`. */
export type IgnoredField = string | readonly string[];

/** What the v0 API accepts as a fingerprint; overrides must match it too. */
export const FINGERPRINT_PATTERN = /^[a-zA-Z0-9._-]{8,1024}$/;

/**
 * `<source>_` plus the hex of a 128-bit SHAKE-256 hash of the alert's
 * canonical JSON after removing ignored fields: the original Comet's
 * fingerprint, so the same finding seen again maps to the same issue.
 */
export function defaultFingerprint(source: string, alert: JsonObject, ignore: readonly IgnoredField[] = []): string {
  const kept = withoutFields(alert, ignore);
  return `${source}_${createHash('shake256', { outputLength: 16 }).update(canonicalJson(kept), 'utf8').digest('hex')}`;
}

/** Identifies one alert body exactly: the same JSON, whatever its key order or spacing. */
export function contentId(source: string, alert: JsonObject): string {
  return `${source}_${createHash('sha256').update(canonicalJson(alert), 'utf8').digest('hex').slice(0, 40)}`;
}

function withoutFields(alert: JsonObject, ignore: readonly IgnoredField[]): JsonObject {
  if (ignore.length === 0) return alert;
  const copy = structuredClone(alert);
  for (const field of ignore) {
    const path = typeof field === 'string' ? [field] : field;
    removePath(copy, path);
  }
  return copy;
}

function removePath(target: JsonObject, path: readonly string[]): void {
  let node: JsonValue | undefined = target;
  for (const key of path.slice(0, -1)) {
    if (!isObject(node)) return;
    node = Object.hasOwn(node, key) ? node[key] : undefined;
  }
  const last = path.at(-1);
  if (last !== undefined && isObject(node) && Object.hasOwn(node, last)) Reflect.deleteProperty(node, last);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
