import type { Fused } from '../fusion/model.js';
import { attackTypeCode, type AttackTypeName } from './attack-types.js';
import type { LivenessResult } from './types.js';

export { ATTACK_TYPES, type AttackTypeCode, type AttackTypeName } from './attack-types.js';
export type { Inconclusive, InconclusiveCode, LivenessResult, Outcome } from './types.js';

export interface VerdictInput {
  readonly fused: Fused;
  readonly threshold: number;
  /** The typing model's most likely instrument, were it an attack, and its probability; null: not typed. */
  readonly attackType: { readonly name: AttackTypeName; readonly probability: number } | null;
  readonly usableFrames: number;
  readonly decodedFrames: number;
}

/** A single still carries no motion: its decisions rest on texture alone and are trusted less. */
const SINGLE_FRAME_FACTOR = 0.6;
/** Temporal signals settle at about 8 usable frames (the contract's frame count). */
const FULL_CONFIDENCE_FRAMES = 8;

/**
 * Stage 6b: the decision at the operating point, how sure it is, and the attack type.
 *
 * confidence = (0.5 + 0.5·margin) × quality × frames, where margin is the distance from the
 * threshold as a share of the room on that side, quality the share of decoded frames that passed the
 * gates, and frames min(1, usable / 8) for a sequence or 0.6 for a single still.
 */
export function decideVerdict({ fused, threshold, attackType, usableFrames, decodedFrames }: VerdictInput): LivenessResult {
  const p = fused.realProbability;
  const isReal = p >= threshold;
  const margin = isReal ? (p - threshold) / Math.max(1e-9, 1 - threshold) : (threshold - p) / Math.max(1e-9, threshold);
  const quality = Math.max(0.5, usableFrames / Math.max(1, decodedFrames));
  const frames = fused.profile === 'single' ? SINGLE_FRAME_FACTOR : Math.min(1, usableFrames / FULL_CONFIDENCE_FRAMES);
  const missingPenalty = fused.missing.length > 0 ? 0.8 : 1;
  const confidence = round((0.5 + 0.5 * Math.min(1, margin)) * quality * frames * missingPenalty);
  const attack = isReal
    ? { name: 'real' as const, confidence }
    : attackType
      ? { name: attackType.name, confidence: round(attackType.probability) }
      : { name: 'unknown_attack' as const, confidence: 0 };
  return {
    is_real: isReal,
    is_spoof: !isReal,
    real_probability: round(p),
    confidence,
    attack_type: attackTypeCode(attack.name),
    attack_type_name: attack.name,
    attack_type_confidence: attack.confidence,
  };
}

/** The fail-closed result of an inconclusive analysis: never real, nothing claimed. */
export function inconclusiveResult(): LivenessResult {
  return {
    is_real: false,
    is_spoof: true,
    real_probability: 0,
    confidence: 0,
    attack_type: attackTypeCode('unknown_attack'),
    attack_type_name: 'unknown_attack',
    attack_type_confidence: 0,
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
