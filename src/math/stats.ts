/** Order statistics and correlation over plain number lists. */

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile, q in 0–1. NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((p, r) => p - r);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/** Pearson correlation of two equally long lists; 0 when either is constant or shorter than 3. */
export function pearson(p: readonly number[], q: readonly number[]): number {
  const n = p.length;
  if (n < 3) return 0;
  const mp = p.reduce((a, v) => a + v, 0) / n;
  const mq = q.reduce((a, v) => a + v, 0) / n;
  let cov = 0, vp = 0, vq = 0;
  for (let i = 0; i < n; i++) {
    cov += (p[i]! - mp) * (q[i]! - mq);
    vp += (p[i]! - mp) ** 2;
    vq += (q[i]! - mq) ** 2;
  }
  return vp > 0 && vq > 0 ? cov / Math.sqrt(vp * vq) : 0;
}
