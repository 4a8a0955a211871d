/**
 * Presentation-attack detection metrics (ISO/IEC 30107-3): scores are real probabilities, a sample
 * is accepted as bona fide when its score is at or above the threshold.
 * APCER: share of attacks accepted. BPCER: share of bona fide samples rejected.
 */
export interface Scored {
  readonly score: number;
  /** True for a bona fide (live) sample. */
  readonly bonaFide: boolean;
}

export function apcer(samples: readonly Scored[], threshold: number): number {
  const attacks = samples.filter((s) => !s.bonaFide);
  return attacks.length === 0 ? Number.NaN : attacks.filter((s) => s.score >= threshold).length / attacks.length;
}

export function bpcer(samples: readonly Scored[], threshold: number): number {
  const live = samples.filter((s) => s.bonaFide);
  return live.length === 0 ? Number.NaN : live.filter((s) => s.score < threshold).length / live.length;
}

/** Area under the ROC curve: the chance a random live sample outscores a random attack (ties count half). */
export function rocAuc(samples: readonly Scored[]): number {
  const live = samples.filter((s) => s.bonaFide).map((s) => s.score);
  const attacks = samples.filter((s) => !s.bonaFide).map((s) => s.score);
  if (live.length === 0 || attacks.length === 0) return Number.NaN;
  let wins = 0;
  for (const l of live) for (const a of attacks) wins += l > a ? 1 : l === a ? 0.5 : 0;
  return wins / (live.length * attacks.length);
}

/** The threshold where APCER and BPCER are closest, and their mean there. */
export function equalErrorRate(samples: readonly Scored[]): { eer: number; threshold: number } {
  let best = { eer: Number.NaN, threshold: Number.NaN, gap: Infinity };
  for (const t of candidateThresholds(samples)) {
    const a = apcer(samples, t);
    const b = bpcer(samples, t);
    if (Math.abs(a - b) < best.gap) best = { eer: (a + b) / 2, threshold: t, gap: Math.abs(a - b) };
  }
  return { eer: best.eer, threshold: best.threshold };
}

/** Every threshold at which a decision changes: each distinct score, and one above the highest. */
export function candidateThresholds(samples: readonly Scored[]): number[] {
  const scores = [...new Set(samples.map((s) => s.score))].sort((p, q) => p - q);
  return [...scores, (scores.at(-1) ?? 0) + 1e-9];
}

/** BPCER at the lowest threshold whose APCER is at most `target` (ISO/IEC 30107-3 "BPCER@APCER=x"); NaN without both classes. */
export function bpcerAtApcer(samples: readonly Scored[], target: number): { bpcer: number; threshold: number } {
  if (!hasBothClasses(samples)) return { bpcer: Number.NaN, threshold: Number.NaN };
  const threshold = candidateThresholds(samples).find((t) => apcer(samples, t) <= target) ?? Number.NaN;
  return { bpcer: bpcer(samples, threshold), threshold };
}

/** APCER at the highest threshold whose BPCER is at most `target`; NaN without both classes. */
export function apcerAtBpcer(samples: readonly Scored[], target: number): { apcer: number; threshold: number } {
  if (!hasBothClasses(samples)) return { apcer: Number.NaN, threshold: Number.NaN };
  const threshold = [...candidateThresholds(samples)].reverse().find((t) => bpcer(samples, t) <= target) ?? Number.NaN;
  return { apcer: apcer(samples, threshold), threshold };
}

function hasBothClasses(samples: readonly Scored[]): boolean {
  return samples.some((s) => s.bonaFide) && samples.some((s) => !s.bonaFide);
}

/**
 * A 95 % percentile interval by resampling whole subjects with replacement: items of one person
 * are not independent, so resampling items would make the interval too narrow.
 */
export function bootstrapBySubject<T>(
  items: readonly T[],
  subjectOf: (item: T) => string,
  statistic: (sample: readonly T[]) => number,
  options: { readonly replicates: number; readonly random: () => number },
): { low: number; high: number } {
  const bySubject = new Map<string, T[]>();
  for (const item of items) bySubject.set(subjectOf(item), [...(bySubject.get(subjectOf(item)) ?? []), item]);
  const groups = [...bySubject.values()];
  const values: number[] = [];
  for (let r = 0; r < options.replicates; r++) {
    const sample: T[] = [];
    for (let g = 0; g < groups.length; g++) sample.push(...groups[Math.floor(options.random() * groups.length)]!);
    const value = statistic(sample);
    if (Number.isFinite(value)) values.push(value);
  }
  if (values.length === 0) return { low: Number.NaN, high: Number.NaN };
  values.sort((p, q) => p - q);
  const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))))]!;
  return { low: at(0.025), high: at(0.975) };
}
