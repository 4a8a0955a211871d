/**
 * The models load while the server already answers /healthz; /readyz and the analysis routes wait
 * for them. Loading takes about a second (see `loadDeps`), longer on a cold disk.
 */
import type { Deps } from '../deps.js';
import { LivenessError } from '../errors.js';

export interface Readiness {
  /** The loaded deps; throws `not_ready` while they load (or if they failed to). */
  deps(): Deps;
  readonly ready: boolean;
}

export function trackReadiness(deps: Deps | Promise<Deps>, onFailure: (error: unknown) => void): Readiness {
  let loaded: Deps | null = deps instanceof Promise ? null : deps;
  let failure: string | null = null;
  if (deps instanceof Promise) {
    deps.then(
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
    deps() {
      if (loaded) return loaded;
      throw new LivenessError('not_ready', failure ? `Expected the models to load but they failed: ${failure}` : 'Expected the models to be loaded but they are still loading; retry in a few seconds');
    },
    get ready() {
      return loaded !== null;
    },
  };
}
