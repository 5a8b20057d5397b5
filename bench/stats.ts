/** Small statistics helpers of the benchmark: percentiles by the nearest-rank method. */

/** The p-th percentile (0–100) of `values` by nearest rank; NaN for no values. Does not modify `values`. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  let max = Number.NaN;
  for (const v of values) if (!(v <= max)) max = v;
  return { n: values.length, p50: percentile(values, 50), p99: percentile(values, 99), max };
}

/** Rounds for reports: 3 significant digits below 100, integers above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  if (Math.abs(value) >= 100) return Math.round(value);
  return Number(value.toPrecision(3));
}
