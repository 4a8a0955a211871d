/**
 * The contract's response envelope around a result, as `POST /v1/inferences` returns it. Built here
 * so that the CLI and the HTTP API print the very same shape.
 */
import { randomBytes } from 'node:crypto';
import type { Analysis, Evidence } from './pipeline/index.js';
import type { Inconclusive, LivenessResult } from './verdict/index.js';

export const MODEL_ID = 'face_liveness';
export const MODEL_NAME = 'Face Liveness Detection';

export interface Envelope {
  readonly inference_id: string;
  readonly model_id: typeof MODEL_ID;
  readonly model_name: typeof MODEL_NAME;
  readonly moderation_type: 'video' | 'image';
  readonly status: 'completed';
  readonly result: LivenessResult;
  readonly response_time_ms: number;
  readonly created_at: string;
  readonly completed_at: string;
  /** Ours: present only when the analysis was inconclusive (the result then fails closed). */
  readonly inconclusive?: Inconclusive;
  /** Ours: present only when asked for. */
  readonly evidence?: Evidence;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `inf_` and 24 lowercase letters or digits, from a CSPRNG. */
export function newInferenceId(): string {
  const bytes = randomBytes(24);
  let id = 'inf_';
  // 252 is the largest multiple of 36 under 256; rejecting above it keeps the letters uniform.
  for (let i = 0; i < 24; i++) {
    let byte = bytes[i]!;
    while (byte >= 252) byte = randomBytes(1)[0]!;
    id += ID_ALPHABET[byte % 36];
  }
  return id;
}

/** ISO 8601 in UTC with a `Z` and whole seconds, as the contract's examples show. */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

export function buildEnvelope(
  analysis: Analysis,
  timing: { readonly createdAt: Date; readonly completedAt: Date },
  options: { readonly inferenceId?: string; readonly includeEvidence?: boolean } = {},
): Envelope {
  return {
    inference_id: options.inferenceId ?? newInferenceId(),
    model_id: MODEL_ID,
    model_name: MODEL_NAME,
    moderation_type: analysis.evidence.input.mode === 'image' ? 'image' : 'video',
    status: 'completed',
    result: analysis.result,
    response_time_ms: timing.completedAt.getTime() - timing.createdAt.getTime(),
    created_at: isoSeconds(timing.createdAt),
    completed_at: isoSeconds(timing.completedAt),
    ...(analysis.inconclusive ? { inconclusive: analysis.inconclusive } : {}),
    ...(options.includeEvidence ? { evidence: analysis.evidence } : {}),
  };
}
