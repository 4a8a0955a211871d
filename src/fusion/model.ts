import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { invalidArgument } from '../errors.js';
import type { ComputedSignal } from '../signals/index.js';
import type { TypingModel } from './typing.js';

/** How a signal's value becomes a model feature. */
export type FeatureTransform = 'identity' | 'log' | 'logit';

export interface FusionFeature {
  readonly signal: string;
  readonly transform: FeatureTransform;
  /** Standardisation fitted on the training set. */
  readonly mean: number;
  readonly std: number;
  readonly weight: number;
  /** A signal that has nothing to say about some inputs (no value): it then stands at its mean. */
  readonly optional?: boolean;
}

/** A logistic model over the signals that apply to one kind of input. */
export interface FusionProfile {
  readonly features: readonly FusionFeature[];
  readonly bias: number;
  /** Operating point on real_probability, with where it came from. */
  readonly threshold: number;
  readonly thresholdSource: string;
  /** Which attack instrument, for inputs this profile calls attacks (absent: not typed). */
  readonly typing?: TypingModel;
}

export type ProfileName = 'temporal' | 'short' | 'single';

export interface FusionModel {
  readonly version: string;
  /**
   * `temporal`: videos and frame arrays with at least 12 usable frames (fitted on 16). `short`: 3–11
   * usable frames, such as the contract's array of 8 (fitted on 8: the signals' ranges shrink with
   * fewer frames); a model file without it uses `temporal`. `single`: one still, or fewer than 3.
   */
  readonly profiles: Readonly<Record<'temporal' | 'single', FusionProfile>> & { readonly short?: FusionProfile };
  /** How and on what the model was fitted, with its cross-validated figures. */
  readonly provenance: Readonly<Record<string, unknown>>;
}

export interface Contribution {
  readonly signal: string;
  readonly value: number | null;
  /** weight × standardised feature; positive pushes towards real. 0 when the value is missing. */
  readonly contribution: number;
}

export interface Fused {
  readonly profile: ProfileName;
  readonly logit: number;
  readonly realProbability: number;
  readonly contributions: readonly Contribution[];
  /** Signals the profile needs that had no value for this input (optional ones are not listed). */
  readonly missing: readonly string[];
}

const EPSILON = 1e-4;

/**
 * Reads a fusion model. Its version becomes the declared one plus a digest of the file, so that
 * caches keyed by model versions (liveness eval) never serve results of an edited or refitted model
 * that kept its declared version.
 */
export async function loadFusionModel(path: string): Promise<FusionModel> {
  const text = await readFile(path, 'utf8');
  const model = JSON.parse(text) as FusionModel;
  for (const name of ['temporal', 'short', 'single'] as const) {
    const profile = model.profiles?.[name];
    if (name === 'short' && profile === undefined) continue;
    if (!profile || !Array.isArray(profile.features) || typeof profile.bias !== 'number' || typeof profile.threshold !== 'number') {
      throw invalidArgument(`a fusion model with a '${name}' profile`, path, profile);
    }
  }
  return { ...model, version: `${model.version}+${createHash('sha256').update(text).digest('hex').slice(0, 12)}` };
}

/** The profile that decides `name`'s inputs: `temporal` stands in for a `short` the model lacks. */
export function profileOf(model: FusionModel, name: ProfileName): FusionProfile {
  return model.profiles[name] ?? model.profiles.temporal;
}

export function transformValue(value: number, transform: FeatureTransform): number {
  switch (transform) {
    case 'log': return Math.log(Math.max(value, EPSILON));
    case 'logit': {
      const p = Math.min(1 - EPSILON, Math.max(EPSILON, value));
      return Math.log(p / (1 - p));
    }
    default: return value;
  }
}

/** Stage 6a: the fused, calibrated probability that the face is real. */
export function fuseSignals(signals: readonly ComputedSignal[], model: FusionModel, profileName: ProfileName): Fused {
  const profile = profileOf(model, profileName);
  let logit = profile.bias;
  const missing: string[] = [];
  const contributions = profile.features.map((feature) => {
    const value = signals.find((s) => s.name === feature.signal)?.value ?? null;
    if (value === null) {
      if (!feature.optional) missing.push(feature.signal);
      return { signal: feature.signal, value, contribution: 0 };
    }
    const contribution = (feature.weight * (transformValue(value, feature.transform) - feature.mean)) / feature.std;
    logit += contribution;
    return { signal: feature.signal, value, contribution: Math.round(contribution * 1000) / 1000 };
  });
  return { profile: profileName, logit, realProbability: 1 / (1 + Math.exp(-logit)), contributions, missing };
}
