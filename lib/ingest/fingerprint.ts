import { hash } from 'node:crypto';
import { canonicalJson, canonicalJsonPair, type OmitTree } from '../util/canonical-json.ts';
import type { JsonObject } from '../model/json.ts';

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
  return fingerprintOf(source, canonicalJson(alert, omitTree(ignore)));
}

/** Identifies one alert body exactly: the same JSON, whatever its key order or spacing. */
export function contentId(source: string, alert: JsonObject): string {
  return contentIdOf(source, canonicalJson(alert));
}

/** Both identities of an alert from one serialisation: what ingest computes for every alert. */
export function alertIdentity(source: string, alert: JsonObject, ignore: readonly IgnoredField[]): { contentId: string; fingerprint: string } {
  const tree = omitTree(ignore);
  if (!tree) {
    const text = canonicalJson(alert);
    return { contentId: contentIdOf(source, text), fingerprint: fingerprintOf(source, text) };
  }
  const { whole, kept } = canonicalJsonPair(alert, tree);
  return { contentId: contentIdOf(source, whole), fingerprint: fingerprintOf(source, kept) };
}

// One-shot `hash` is the fast path for small inputs, and SHAKE-256 is an
// extendable-output function: its first 16 bytes are the 16-byte digest.
function contentIdOf(source: string, canonical: string): string {
  return `${source}_${hash('sha256', canonical, 'hex').slice(0, 40)}`;
}

function fingerprintOf(source: string, canonical: string): string {
  return `${source}_${hash('shake256', canonical, 'hex').slice(0, 32)}`;
}

/** The ignore list as a tree for `canonicalJson`; the same list always yields the same tree. */
const omitTrees = new WeakMap<readonly IgnoredField[], OmitTree>();

function omitTree(ignore: readonly IgnoredField[]): OmitTree | undefined {
  if (ignore.length === 0) return undefined;
  let tree = omitTrees.get(ignore);
  if (!tree) {
    const root = new Map<string, OmitTree | true>();
    for (const field of ignore) {
      const path = typeof field === 'string' ? [field] : field;
      let node = root;
      path.forEach((key, i) => {
        if (i === path.length - 1) {
          node.set(key, true);
          return;
        }
        const next = node.get(key);
        if (next === true) return;
        const child = next ?? new Map<string, OmitTree | true>();
        node.set(key, child);
        node = child as Map<string, OmitTree | true>;
      });
    }
    tree = root;
    omitTrees.set(ignore, tree);
  }
  return tree;
}
