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
