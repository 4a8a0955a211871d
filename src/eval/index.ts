/**
 * `liveness eval`: the product's own pipeline over the user's own data, with ISO/IEC 30107-3
 * figures. One code path with the CLI and the API: every item goes through `analyzeMedia`.
 */
import { mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalysisConfig } from '../config.js';
import type { Deps } from '../deps.js';
import { computeFigures, type Figures } from './figures.js';
import { renderIndexHtml } from './html.js';
import { loadEvalSet } from './manifest.js';
import { renderDet, renderRoc } from './plots.js';
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
  const plots = { roc: renderRoc(results, figures), det: renderDet(results, figures) };
  await writeFile(join(options.outDir, 'roc.png'), plots.roc);
  await writeFile(join(options.outDir, 'det.png'), plots.det);
  const summary = await readFile(join(options.outDir, 'report.md'), 'utf8');
  await writeFile(join(options.outDir, 'index.html'), await renderIndexHtml(results, figures, plots, summary, { tools: deps.tools, config: options.config }));
  return { results, figures, files: [...files, 'roc.png', 'det.png', 'index.html'] };
}
