import type { NameCount } from '../model/flood.ts';
import type { SourceConfig } from '../plugin/source-config.ts';

/**
 * Flood guard decisions, pure: how many new issues one batch may open
 * before it is held, and how the source's usual figure moves.
 */

/** How fast the usual figure follows recent batches: each batch weighs a fifth. */
const USUAL_WEIGHT = 0.2;

/** More new issues than this in one batch is a flood; undefined when the guard is off. */
export function floodThreshold(config: SourceConfig, usual: number | null): number | undefined {
  const guard = config.floodGuard;
  if (!guard) return undefined;
  return Math.max(guard.minNewIssues, Math.ceil(guard.factor * (usual ?? 0)));
}

/** The usual number of new issues per batch, after a batch that opened `newIssues`. */
export function nextUsual(usual: number | null, newIssues: number): number {
  return usual === null ? newIssues : usual + USUAL_WEIGHT * (newIssues - usual);
}

/** The largest groups first, then by name, at most `limit`. */
export function topCounts(names: Iterable<string>, limit: number): NameCount[] {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
    .slice(0, limit);
}
