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
 * Runs the check on the calling thread (tests; `liveness serve` while the worker pool has no
 * challenge job): about a second of decoding and face landmarks per capture.
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

/**
 * Loads the models on the first check and keeps them for the next: a server that never sees a
 * colour session never pays for them. A failed load is retried on the next check.
 *
 * @example
 * const checker = lazyChallengeChecker(() => loadObservationDeps());
 */
export function lazyChallengeChecker(load: () => Promise<ObservationDeps>): ChallengeChecker {
  let loading: Promise<ChallengeChecker> | null = null;
  return {
    async check(input, sequence, flashStartMs) {
      loading ??= load().then(inProcessChallengeChecker, (error: unknown) => {
        loading = null;
        throw error;
      });
      return (await loading).check(input, sequence, flashStartMs);
    },
  };
}
