import type { Row } from './model.ts';

export interface CoverageRow {
  ou: string;
  /** Alerts received from each source in the window. */
  alerts: Record<string, number>;
  /** Sources that sent this OU nothing in the window. */
  silentSources: string[];
}

export interface CoverageReport {
  days: number;
  sources: string[];
  /** The configured OUs: a source×OU matrix. */
  ous: CoverageRow[];
  /** OUs with no alert from at least one source: very clean, or not scanned. */
  gaps: { ou: string; silentSources: string[]; noAlertsAtAll: boolean }[];
  /** OUs that received alerts but are not in the configured list. */
  unlisted: CoverageRow[];
}

/**
 * Which sources reach which OUs. An OU that no source alerted on in the
 * window is either very clean or not scanned at all; the matrix says which
 * scanners do cover it.
 */
export function coverageReport(rows: readonly Row[], ous: readonly string[], registered: readonly string[], days: number): CoverageReport {
  const received = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const bySource = received.get(row.ou) ?? new Map<string, number>();
    bySource.set(row.source, (bySource.get(row.source) ?? 0) + row.received);
    received.set(row.ou, bySource);
  }
  const sources = [...new Set([...registered, ...rows.map((r) => r.source)])].sort();
  const coverageRow = (ou: string): CoverageRow => {
    const alerts = Object.fromEntries(sources.map((s) => [s, received.get(ou)?.get(s) ?? 0]));
    return { ou, alerts, silentSources: sources.filter((s) => alerts[s] === 0) };
  };
  const listed = [...new Set(ous)].sort().map(coverageRow);
  const known = new Set(ous);
  return {
    days,
    sources,
    ous: listed,
    gaps: listed.filter((r) => r.silentSources.length > 0).map((r) => ({ ou: r.ou, silentSources: r.silentSources, noAlertsAtAll: r.silentSources.length === sources.length })),
    unlisted: [...received.keys()].filter((ou) => !known.has(ou) && [...(received.get(ou)?.values() ?? [])].some((n) => n > 0)).sort().map(coverageRow),
  };
}
