/**
 * What the server analyses with: `analyzeMedia` and the versions it reports, either in this thread
 * (tests, tools) or in a pool of worker threads (`liveness serve`, see worker-pool.ts).
 */
import type { AnalysisConfig } from '../config.js';
import type { Deps } from '../deps.js';
import type { AnalysisInput } from '../ingest/index.js';
import { analyzeMedia, type Analysis } from '../pipeline/index.js';

export interface Analyzer {
  /** Versions of everything that shapes a verdict, as `loadDeps` reports them. */
  readonly versions: Readonly<Record<string, string>>;
  analyze(input: AnalysisInput, config: AnalysisConfig): Promise<Analysis>;
}

/**
 * Runs analyses on the calling thread: simple, but the face models then hold the event loop.
 *
 * @example
 * const analyzer = inProcessAnalyzer(await loadDeps());
 */
export function inProcessAnalyzer(deps: Deps): Analyzer {
  return { versions: deps.versions, analyze: (input, config) => analyzeMedia(input, deps, config) };
}
