/**
 * What checks a session's colour challenge: `checkColourChallenge` with the models it needs.
 * Behind an interface, as the analyzer is, so the server can run it where its models live.
 */
import { checkColourChallenge, DEFAULT_CHALLENGE, type ChallengeOutcome, type ColourSequence } from '../challenge/index.js';
import type { ObservationDeps } from '../deps.js';
import type { AnalysisInput } from '../ingest/index.js';

export interface ChallengeChecker {
  /** Whether the face in `input` reflects `sequence`, flashed from `flashStartMs` into the recording. */
  check(input: AnalysisInput, sequence: ColourSequence, flashStartMs: number): Promise<ChallengeOutcome>;
}

/**
 * Runs the check on the calling thread (tests, tools); `liveness serve` runs it in its worker pool
 * (worker-pool.ts): about a second of decoding and face landmarks per capture.
 *
 * @example
 * const checker = inProcessChallengeChecker(await loadObservationDeps());
 */
export function inProcessChallengeChecker(deps: ObservationDeps): ChallengeChecker {
  return {
    async check(input, sequence, flashStartMs) {
      const { samples: _samples, ...outcome } = await checkColourChallenge(input, sequence, deps, { ...DEFAULT_CHALLENGE, flashStartMs });
      return outcome;
    },
  };
}

