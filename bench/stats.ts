/** Small helpers the benchmarks share. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export interface Figure {
  benchmark: string;
  figure: string;
  value: number;
  unit: string;
  /** How the value compares with its target, in words: `<= 2`. */
  target?: string;
  met?: boolean;
}

export function report(figures: readonly Figure[]): void {
  for (const f of figures) {
    const value = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(f.value < 10 ? 3 : 1);
    const target = f.target ? `target ${f.target}${f.met === undefined ? '' : f.met ? '  ok' : '  MISSED'}` : '';
    console.log(`${f.benchmark.padEnd(18)} ${f.figure.padEnd(44)} ${`${value} ${f.unit}`.padStart(18)}   ${target}`);
  }
}

export const mib = (bytes: number) => bytes / 1024 / 1024;
