/**
 * Fitting a fusion profile on labelled signal values, shared by `scripts/fit-fusion.ts` (the
 * shipped model) and `liveness calibrate` (a user's own data). Logistic regression on standardised,
 * transformed features with classes weighted to balance; every reported figure and the threshold
 * come from leave-one-subject-out cross-validation.
 */
import { apcer, bpcer, candidateThresholds, type Scored } from '../metrics/index.js';
import { fitLogistic, predictLogistic } from './logistic.js';
import { transformValue, type FeatureTransform, type FusionProfile } from './model.js';

export interface TrainingRow {
  readonly subject: string;
  readonly bonaFide: boolean;
  /** Attack species, or `bona_fide`. */
  readonly species: string;
  readonly signals: Readonly<Record<string, number | null>>;
}

export type FeatureSpec = ReadonlyArray<{ readonly signal: string; readonly transform: FeatureTransform }>;

/**
 * Where to put the threshold, on cross-validated scores:
 * - `security-first`: the lowest with APCER = 0 if BPCER ≤ `maxBpcer` there, else where BPCER = `maxBpcer`;
 * - `apcer`: the lowest whose worst-species APCER ≤ value;
 * - `bpcer`: the highest whose BPCER ≤ value.
 */
export type ThresholdTarget =
  | { readonly kind: 'security-first'; readonly maxBpcer: number }
  | { readonly kind: 'apcer'; readonly value: number }
  | { readonly kind: 'bpcer'; readonly value: number };

export interface FitResult {
  readonly profile: FusionProfile;
  /** Cross-validated (out-of-fold) score of each usable row, in the order of `rows`. */
  readonly rows: readonly TrainingRow[];
  readonly outOfFold: readonly number[];
}

export const L2 = 1;

export function fitProfile(allRows: readonly TrainingRow[], spec: FeatureSpec, target: ThresholdTarget): FitResult {
  const rows = allRows.filter((r) => spec.every((f) => typeof r.signals[f.signal] === 'number'));
  if (!rows.some((r) => r.bonaFide) || !rows.some((r) => !r.bonaFide)) {
    throw new Error('fitting needs both bona fide and attack items with every signal of the profile');
  }
  const x = rows.map((r) => spec.map((f) => transformValue(r.signals[f.signal]!, f.transform)));
  const y = rows.map((r) => (r.bonaFide ? 1 : 0));
  const outOfFold = new Array<number>(rows.length).fill(Number.NaN);
  for (const subject of new Set(rows.map((r) => r.subject))) {
    const train = rows.flatMap((r, i) => (r.subject === subject ? [] : [i]));
    const test = rows.flatMap((r, i) => (r.subject === subject ? [i] : []));
    // A subject whose removal leaves one class only is scored by the model of all data.
    const trainable = train.some((i) => y[i] === 1) && train.some((i) => y[i] === 0);
    const model = fitStandardised(trainable ? train.map((i) => x[i]!) : x, trainable ? train.map((i) => y[i]!) : y);
    for (const i of test) outOfFold[i] = model.predict(x[i]!);
  }
  const threshold = chooseThreshold(rows, outOfFold, target);
  const final = fitStandardised(x, y);
  return {
    rows,
    outOfFold,
    profile: {
      features: spec.map((f, j) => ({ ...f, mean: round(final.mean[j]!), std: round(final.std[j]!), weight: round(final.fit.weights[j]!) })),
      bias: round(final.fit.bias),
      threshold: round(threshold.value),
      thresholdSource: threshold.source,
    },
  };
}

function fitStandardised(x: readonly number[][], y: readonly number[]) {
  const d = x[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + r[j]!, 0) / x.length);
  const std = Array.from({ length: d }, (_, j) => Math.sqrt(x.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / x.length) || 1);
  const z = x.map((r) => r.map((v, j) => (v - mean[j]!) / std[j]!));
  const positives = y.filter((v) => v === 1).length;
  const weights = y.map((v) => (v === 1 ? y.length / (2 * positives) : y.length / (2 * (y.length - positives))));
  const fit = fitLogistic(z, y, { l2: L2, sampleWeights: weights });
  return { mean, std, fit, predict: (r: readonly number[]) => predictLogistic(fit, r.map((v, j) => (v - mean[j]!) / std[j]!)) };
}

function chooseThreshold(rows: readonly TrainingRow[], scores: readonly number[], target: ThresholdTarget): { value: number; source: string } {
  const scored: Scored[] = rows.map((r, i) => ({ score: scores[i]!, bonaFide: r.bonaFide }));
  const thresholds = candidateThresholds(scored);
  const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
  const worstApcer = (t: number) => Math.max(...[...new Set(rows.filter((r) => !r.bonaFide).map((r) => r.species))].map((s) => apcer(scored.filter((_, i) => rows[i]!.bonaFide || rows[i]!.species === s), t)));
  if (target.kind !== 'bpcer') {
    const wanted = target.kind === 'apcer' ? target.value : 0;
    const t = thresholds.find((c) => worstApcer(c) <= wanted)!;
    if (target.kind === 'apcer' || bpcer(scored, t) <= target.maxBpcer) {
      return { value: t, source: `lowest threshold with cross-validated worst-species APCER ≤ ${pct(wanted)} (BPCER there ${pct(bpcer(scored, t))})` };
    }
  }
  const maxBpcer = target.kind === 'security-first' ? target.maxBpcer : target.value;
  const t = [...thresholds].reverse().find((c) => bpcer(scored, c) <= maxBpcer)!;
  return { value: t, source: `highest threshold with cross-validated BPCER ≤ ${pct(maxBpcer)} (worst-species APCER there ${pct(worstApcer(t))})` };
}

function round(value: number, digits = 6): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
