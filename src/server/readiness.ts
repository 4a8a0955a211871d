/**
 * The models load while the server already answers /healthz; /readyz and the analysis routes wait
 * for them. Loading takes about a second (see `loadDeps`), longer on a cold disk.
 */
import { LivenessError } from '../errors.js';
import type { Analyzer } from './analyzer.js';

export interface Readiness {
  /** The loaded analyzer; throws `not_ready` while its models load (or if they failed to). */
  analyzer(): Analyzer;
  readonly ready: boolean;
}

export function trackReadiness(analyzer: Analyzer | Promise<Analyzer>, onFailure: (error: unknown) => void): Readiness {
  let loaded: Analyzer | null = analyzer instanceof Promise ? null : analyzer;
  let failure: string | null = null;
  if (analyzer instanceof Promise) {
    analyzer.then(
      (value) => {
        loaded = value;
      },
      (error: unknown) => {
        failure = (error as Error)?.message ?? String(error);
        onFailure(error);
      },
    );
  }
  return {
    analyzer() {
      if (loaded) return loaded;
      throw new LivenessError('not_ready', failure ? `Expected the models to load but they failed: ${failure}` : 'Expected the models to be loaded but they are still loading; retry in a few seconds');
    },
    get ready() {
      return loaded !== null;
    },
  };
}
