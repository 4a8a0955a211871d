/**
 * Attack typing: which instrument, given that the input is an attack. A multinomial logistic
 * (softmax) model over the same signals as the fusion, fitted on attack items only with classes
 * weighted to balance; its probabilities are checked by leave-one-subject-out cross-validation.
 * The verdict's `attack_type_confidence` is the probability of the type it names.
 */
import type { ComputedSignal } from '../signals/index.js';
import type { AttackTypeName } from '../verdict/attack-types.js';
import { featureRow, fitStandardiser, standardiser, type FeatureSpec } from './fit.js';
import type { FeatureTransform } from './model.js';

export interface TypingModel {
  readonly types: readonly AttackTypeName[];
  readonly features: ReadonlyArray<{ readonly signal: string; readonly transform: FeatureTransform; readonly mean: number; readonly std: number }>;
  /** weights[type][feature], on standardised features (a missing value stands at the mean). */
  readonly weights: readonly (readonly number[])[];
  readonly bias: readonly number[];
}

export interface TypingRow {
  readonly subject: string;
  readonly type: AttackTypeName;
  readonly signals: Readonly<Record<string, number | null>>;
}

export interface TypingFit {
  readonly model: TypingModel;
  readonly rows: readonly TypingRow[];
  /** Cross-validated probabilities of each row, in the order of `model.types`. */
  readonly outOfFold: readonly (readonly number[])[];
}

const L2 = 1;
const STEPS = 3000;
const LEARNING_RATE = 0.2;

export function fitTyping(rows: readonly TypingRow[], spec: FeatureSpec): TypingFit {
  const types = [...new Set(rows.map((r) => r.type))].sort();
  if (types.length < 2) throw new Error('typing needs attacks of at least two types');
  const x = rows.map((r) => featureRow(r.signals, spec));
  const y = rows.map((r) => types.indexOf(r.type));
  const outOfFold = rows.map(() => types.map(() => Number.NaN));
  for (const subject of new Set(rows.map((r) => r.subject))) {
    const train = rows.flatMap((r, i) => (r.subject === subject ? [] : [i]));
    const model = fitSoftmax(train.map((i) => x[i]!), train.map((i) => y[i]!), types, spec);
    rows.forEach((r, i) => {
      if (r.subject === subject) outOfFold[i] = typeProbabilities(model, x[i]!);
    });
  }
  return { model: fitSoftmax(x, y, types, spec), rows, outOfFold };
}

/** The most likely type of an attack and its probability; null without a typing model. */
export function typeAttack(model: TypingModel | undefined, signals: readonly ComputedSignal[]): { name: AttackTypeName; probability: number } | null {
  if (!model) return null;
  const p = typeProbabilities(model, featureRow(Object.fromEntries(signals.map((s) => [s.name, s.value])), model.features));
  const best = p.indexOf(Math.max(...p));
  return { name: model.types[best]!, probability: p[best]! };
}

function typeProbabilities(model: TypingModel, values: readonly number[]): number[] {
  const z = standardiser(model.features.map((f) => f.mean), model.features.map((f) => f.std))(values);
  return softmax(model.types.map((_, k) => model.bias[k]! + z.reduce((sum, v, j) => sum + v * model.weights[k]![j]!, 0)));
}

/** Full-batch gradient descent on the class-balanced, L2-penalised cross-entropy. */
function fitSoftmax(x: readonly number[][], y: readonly number[], types: readonly AttackTypeName[], spec: FeatureSpec): TypingModel {
  const d = spec.length;
  const { mean, std, standardise } = fitStandardiser(x);
  const z = x.map(standardise);
  const counts = types.map((_, k) => y.filter((c) => c === k).length);
  const sampleWeight = y.map((c) => y.length / (types.length * Math.max(1, counts[c]!)));
  const weights = types.map(() => new Array<number>(d).fill(0));
  const bias = types.map(() => 0);
  for (let step = 0; step < STEPS; step++) {
    const gradW = types.map(() => new Array<number>(d).fill(0));
    const gradB = types.map(() => 0);
    for (let i = 0; i < z.length; i++) {
      const p = softmax(types.map((_, k) => bias[k]! + z[i]!.reduce((sum, v, j) => sum + v * weights[k]![j]!, 0)));
      for (let k = 0; k < types.length; k++) {
        const error = sampleWeight[i]! * (p[k]! - (y[i] === k ? 1 : 0));
        gradB[k]! += error;
        for (let j = 0; j < d; j++) gradW[k]![j]! += error * z[i]![j]!;
      }
    }
    for (let k = 0; k < types.length; k++) {
      bias[k]! -= (LEARNING_RATE * gradB[k]!) / z.length;
      for (let j = 0; j < d; j++) weights[k]![j]! -= (LEARNING_RATE * (gradW[k]![j]! + L2 * weights[k]![j]!)) / z.length;
    }
  }
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return {
    types,
    features: spec.map((f, j) => ({ signal: f.signal, transform: f.transform, mean: round(mean[j]!), std: round(std[j]!) })),
    weights: weights.map((row) => row.map(round)),
    bias: bias.map(round),
  };
}

function softmax(logits: readonly number[]): number[] {
  const top = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - top));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
}
