/**
 * What checks a session's active challenge (`checkColourChallenge` or `checkMouthChallenge`) with
 * the models it needs. Behind an interface, as the analyzer is, so the server can run it where its
 * models live.
 */
import {
  checkColourChallenge,
  checkMouthChallenge,
  DEFAULT_CHALLENGE,
  DEFAULT_MOUTH_CHALLENGE,
  type ChallengeOutcome,
  type ColourSequence,
  type MouthChallengeOutcome,
  type MouthPrompts,
} from '../challenge/index.js';
import type { ObservationDeps } from '../deps.js';
import type { AnalysisInput } from '../ingest/index.js';

/** Which challenge to check, with what the session drew and when the page began showing it. */
export type ChallengeSpec =
  | {
      readonly type: 'colour';
      readonly sequence: ColourSequence;
      /** When the page began flashing, in ms from the start of the recording. */
      readonly flashStartMs: number;
    }
  | {
      readonly type: 'mouth';
      readonly prompts: MouthPrompts;
      /** When the page began prompting, in ms from the start of the recording. */
      readonly promptStartMs: number;
    };

/** The outcome that matches a spec: a colour outcome for a colour spec, a mouth outcome for a mouth one. */
export type ChallengeOutcomeOf<S extends ChallengeSpec> = S extends { readonly type: 'colour' } ? ChallengeOutcome : MouthChallengeOutcome;

export interface ChallengeChecker {
  /** Whether the face in `input` followed the challenge `spec` describes. */
  check<S extends ChallengeSpec>(input: AnalysisInput, spec: S): Promise<ChallengeOutcomeOf<S>>;
}

/**
 * Runs the check a spec names, with the models in `deps`: the one place a spec becomes a call, for
 * the in-process checker and the analysis workers alike. The per-frame samples are left out.
 */
export async function checkChallenge<S extends ChallengeSpec>(input: AnalysisInput, spec: S, deps: ObservationDeps): Promise<ChallengeOutcomeOf<S>> {
  if (spec.type === 'colour') {
    const { samples: _samples, ...outcome } = await checkColourChallenge(input, spec.sequence, deps, { ...DEFAULT_CHALLENGE, flashStartMs: spec.flashStartMs });
    return outcome as ChallengeOutcomeOf<S>;
  }
  const { samples: _samples, ...outcome } = await checkMouthChallenge(input, spec.prompts, deps, { ...DEFAULT_MOUTH_CHALLENGE, promptStartMs: spec.promptStartMs });
  return outcome as ChallengeOutcomeOf<S>;
}

/**
 * Runs the check on the calling thread (tests, tools); `liveness serve` runs it in its worker pool
 * (worker-pool.ts): a second or two of decoding and face landmarks per capture.
 *
 * @example
 * const checker = inProcessChallengeChecker(await loadObservationDeps());
 * const outcome = await checker.check(input, { type: 'mouth', prompts, promptStartMs: 500 });
 */
export function inProcessChallengeChecker(deps: ObservationDeps): ChallengeChecker {
  return { check: (input, spec) => checkChallenge(input, spec, deps) };
}
