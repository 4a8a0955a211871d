/**
 * `liveness eval`: the product's own pipeline over the user's own data, with ISO/IEC 30107-3
 * figures. One code path with the CLI and the API: every item goes through `analyzeMedia`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AnalysisConfig } from '../config.js';
import type { Deps } from '../deps.js';
import { computeFigures, type Figures } from './figures.js';
import { loadEvalSet } from './manifest.js';
import { writeReports } from './report.js';
import { evaluateItems, type ItemResult } from './run.js';

export { loadEvalSet, type EvalItem } from './manifest.js';
export { computeFigures, type Figures } from './figures.js';

export interface EvalOptions {
  readonly location: string;
  readonly outDir: string;
  readonly concurrency: number;
  readonly config: AnalysisConfig;
  readonly onProgress?: { readonly start: (total: number) => void; readonly tick: () => void };
}

export async function evaluateSet(deps: Deps, options: EvalOptions): Promise<{ results: ItemResult[]; figures: Figures; files: string[] }> {
  const items = await loadEvalSet(options.location);
  mkdirSync(options.outDir, { recursive: true });
  options.onProgress?.start(items.length);
  const results = await evaluateItems(items, deps, {
    concurrency: options.concurrency,
    cacheDir: join(options.outDir, 'cache'),
    config: options.config,
    onItemDone: options.onProgress?.tick,
  });
  const figures = computeFigures(results);
  const thresholds = Object.entries(deps.fusion.profiles).map(([name, p]) => `${name} ${options.config.decision.threshold ?? p.threshold}`);
  const files = await writeReports(options.outDir, results, figures, {
    source: options.location,
    threshold: `real_probability ≥ ${thresholds.join(', ')} (fusion ${deps.fusion.version})`,
    models: deps.versions,
    createdAt: new Date(),
  });
  return { results, figures, files };
}
