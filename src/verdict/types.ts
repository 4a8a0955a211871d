import type { AttackTypeCode, AttackTypeName } from './attack-types.js';

/**
 * The contract's `result` object, field for field (../shared/spec/face-liveness-api.txt).
 * Keys are snake_case because clients already parse these names.
 */
export interface LivenessResult {
  /** True if a live face was verified. Never true for an inconclusive analysis. */
  readonly is_real: boolean;
  /** Always `!is_real`. */
  readonly is_spoof: boolean;
  /** Calibrated probability (0–1) that the face is real. 0 when inconclusive. */
  readonly real_probability: number;
  /** How sure the decision is (0–1); lowered by poor quality and few frames. 0 when inconclusive. */
  readonly confidence: number;
  /** Attack type code, see `ATTACK_TYPES`. */
  readonly attack_type: AttackTypeCode;
  /** Attack type name, see `ATTACK_TYPES`. */
  readonly attack_type_name: AttackTypeName;
  /** Confidence (0–1) in the attack type. */
  readonly attack_type_confidence: number;
}

/** Why the quality gates (stage 4) found too little to analyse. */
export type QualityFailureCode =
  | 'no_face'
  | 'several_faces'
  | 'face_too_small'
  | 'face_cut_off'
  | 'too_dark'
  | 'overexposed'
  | 'too_blurry'
  | 'extreme_pose'
  | 'too_few_usable_frames';

/**
 * Why an analysis could not decide. Stable codes: clients may switch on them. `single_image`: one
 * still (or fewer than 3 usable frames of a sequence) carries no signal validated to tell a face from
 * its photo. `not_one_capture`: the images of a frame array differ in size, the scene around the
 * face changes between the frames of a video or an array as it does between separate photos, or a
 * video's face stands pixel-still between some frames and leaps between others, as in a slideshow.
 * `not_one_person`: the face in the frames before some point and the face after it look like two
 * people (a photo or a screen with someone else's face lifted before the camera partway through).
 */
export type InconclusiveCode = QualityFailureCode | 'single_image' | 'not_one_capture' | 'not_one_person';

export interface Inconclusive {
  readonly code: InconclusiveCode;
  readonly message: string;
}

/** The outcome of one analysis: a decision, or an inconclusive analysis (fails closed). */
export type Outcome = 'live' | 'attack' | 'inconclusive';
