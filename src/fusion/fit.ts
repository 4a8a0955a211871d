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

/**
 * The features of a profile. An `optional` signal may be missing from a row (a signal with nothing
 * to say about that input): it then counts as the feature's mean, in fitting as at run time.
 */
export type FeatureSpec = ReadonlyArray<{ readonly signal: string; readonly transform: FeatureTransform; readonly optional?: boolean }>;

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
  /** Held-out scores of the evaluation-only rows (usable ones, in the order of `heldOutRows`). */
  readonly heldOutRows: readonly TrainingRow[];
  readonly heldOut: readonly number[];
}

export const L2 = 1;

/**
 * `evaluationRows` are never trained on: each is scored by the fold model that left its subject out
 * (or, for a subject with no training rows, by the final model). Attacks of a kind the model has
 * never seen, measured on people it has never seen.
 */
export function fitProfile(allRows: readonly TrainingRow[], spec: FeatureSpec, target: ThresholdTarget, evaluationRows: readonly TrainingRow[] = []): FitResult {
  const usable = (r: TrainingRow) => spec.every((f) => f.optional || typeof r.signals[f.signal] === 'number');
  const rows = allRows.filter(usable);
  const heldOutRows = evaluationRows.filter(usable);
  if (!rows.some((r) => r.bonaFide) || !rows.some((r) => !r.bonaFide)) {
    throw new Error('fitting needs both bona fide and attack items with every signal of the profile');
  }
  const x = rows.map((r) => featureRow(r.signals, spec));
  const heldOutX = heldOutRows.map((r) => featureRow(r.signals, spec));
  const heldOut = new Array<number>(heldOutRows.length).fill(Number.NaN);
  const y = rows.map((r) => (r.bonaFide ? 1 : 0));
  const outOfFold = new Array<number>(rows.length).fill(Number.NaN);
  for (const subject of new Set(rows.map((r) => r.subject))) {
    const train = rows.flatMap((r, i) => (r.subject === subject ? [] : [i]));
    const test = rows.flatMap((r, i) => (r.subject === subject ? [i] : []));
    // A subject whose removal leaves one class only is scored by the model of all data.
    const trainable = train.some((i) => y[i] === 1) && train.some((i) => y[i] === 0);
    const model = fitStandardised(trainable ? train.map((i) => x[i]!) : x, trainable ? train.map((i) => y[i]!) : y);
    for (const i of test) outOfFold[i] = model.predict(x[i]!);
    heldOutRows.forEach((r, i) => {
      if (r.subject === subject) heldOut[i] = model.predict(heldOutX[i]!);
    });
  }
  const threshold = chooseThreshold(rows, outOfFold, target);
  const final = fitStandardised(x, y);
  heldOut.forEach((score, i) => {
    if (Number.isNaN(score)) heldOut[i] = final.predict(heldOutX[i]!);
  });
  return {
    rows,
    outOfFold,
    heldOutRows,
    heldOut,
    profile: {
      features: spec.map((f, j) => ({ signal: f.signal, transform: f.transform, mean: round(final.mean[j]!), std: round(final.std[j]!), weight: round(final.fit.weights[j]!), ...(f.optional ? { optional: true } : {}) })),
      bias: round(final.fit.bias),
      // Rounded down: rounding up could reject the very bona fide score the threshold was chosen to accept.
      threshold: Math.floor(threshold.value * 1e6) / 1e6,
      thresholdSource: threshold.source,
    },
  };
}

function fitStandardised(x: readonly number[][], y: readonly number[]) {
  const { mean, std, standardise } = fitStandardiser(x);
  const z = x.map(standardise);
  const positives = y.filter((v) => v === 1).length;
  const weights = y.map((v) => (v === 1 ? y.length / (2 * positives) : y.length / (2 * (y.length - positives))));
  const fit = fitLogistic(z, y, { l2: L2, sampleWeights: weights });
  return { mean, std, fit, predict: (r: readonly number[]) => predictLogistic(fit, standardise(r)) };
}

/** A row's features in `spec` order: transformed values, NaN where a signal has no value. */
export function featureRow(signals: Readonly<Record<string, number | null>>, spec: FeatureSpec): number[] {
  return spec.map((f) => (typeof signals[f.signal] === 'number' ? transformValue(signals[f.signal]!, f.transform) : Number.NaN));
}

/** z-scores with a fitted mean and spread; a missing value (NaN) stands at the mean (z = 0). */
export function standardiser(mean: readonly number[], std: readonly number[]): (row: readonly number[]) => number[] {
  return (row) => row.map((v, j) => (Number.isFinite(v) ? (v - mean[j]!) / std[j]! : 0));
}

/** Mean and spread of each column over its present values (missing ones, NaN, left out). */
export function fitStandardiser(x: readonly number[][]): { mean: number[]; std: number[]; standardise: (row: readonly number[]) => number[] } {
  const columns = Array.from({ length: x[0]!.length }, (_, j) => x.map((r) => r[j]!).filter(Number.isFinite));
  const mean = columns.map((c) => c.reduce((s, v) => s + v, 0) / Math.max(1, c.length));
  const std = columns.map((c, j) => Math.sqrt(c.reduce((s, v) => s + (v - mean[j]!) ** 2, 0) / Math.max(1, c.length)) || 1);
  return { mean, std, standardise: standardiser(mean, std) };
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
