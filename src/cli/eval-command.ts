import { parseArgs } from 'node:util';
import { withOverrides } from '../config.js';
import { loadDeps } from '../deps.js';
import { EXIT, invalidArgument } from '../errors.js';
import { evaluateSet } from '../eval/index.js';
import { createProgress } from './progress.js';

export interface EvalCommandOptions {
  readonly location: string;
  readonly outDir: string;
  readonly concurrency: number;
  readonly threshold: number | null;
  readonly calibration: string | null;
}

export function parseEvalArgs(args: readonly string[]): EvalCommandOptions {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      concurrency: { type: 'string', default: '2' },
      threshold: { type: 'string' },
      calibration: { type: 'string' },
      debug: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 1) throw invalidArgument('one manifest.csv or folder', 'eval', positionals);
  if (!values.out) throw invalidArgument('a folder for the reports', '--out', values.out);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw invalidArgument('an integer from 1 to 64', '--concurrency', values.concurrency);
  const threshold = values.threshold === undefined ? null : Number(values.threshold);
  if (threshold !== null && !(threshold > 0 && threshold < 1)) throw invalidArgument('a number between 0 and 1', '--threshold', values.threshold);
  return { location: positionals[0]!, outDir: values.out, concurrency, threshold, calibration: values.calibration ?? null };
}

/** `liveness eval`: writes report.md, results.json, items.csv, roc.png, det.png, index.html. */
export async function runEval(options: EvalCommandOptions): Promise<number> {
  const deps = await loadDeps(options.calibration ? { fusionPath: options.calibration } : {});
  let progress: ReturnType<typeof createProgress> | null = null;
  const { figures, files } = await evaluateSet(deps, {
    location: options.location,
    outDir: options.outDir,
    concurrency: options.concurrency,
    config: withOverrides({ decision: { threshold: options.threshold } }),
    onProgress: { start: (total) => (progress = createProgress(total)), tick: () => progress?.tick() },
  });
  (progress as ReturnType<typeof createProgress> | null)?.done();
  const percent = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : 'n/a');
  process.stdout.write(
    `${figures.counts.items} items, ${figures.counts.subjects} subjects: BPCER ${percent(figures.bpcer.value)}, worst-species APCER ${percent(figures.apcerWorst.value)} (${figures.apcerWorst.species ?? 'none'}), ACER ${percent(figures.acer)}, ROC AUC ${Number.isFinite(figures.rocAuc.value) ? figures.rocAuc.value.toFixed(4) : 'n/a'}\n` +
      `wrote ${files.map((f) => `${options.outDir}/${f}`).join(', ')}\n`,
  );
  return EXIT.live;
}
