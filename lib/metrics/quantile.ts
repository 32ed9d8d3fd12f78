/**
 * The nearest-rank percentile: the smallest value with at least `p` of the
 * values at or below it. Always one of the values, so figures are exact
 * seconds rather than interpolations.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? null;
}
