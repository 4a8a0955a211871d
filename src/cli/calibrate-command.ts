import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG } from '../config.js';
import { loadDeps } from '../deps.js';
import { EXIT, invalidArgument } from '../errors.js';
import { calibrate, parseTarget } from '../eval/calibrate.js';
import type { Figures } from '../eval/figures.js';
import type { ThresholdTarget } from '../fusion/fit.js';
import { createProgress } from './progress.js';

export interface CalibrateCommandOptions {
  readonly location: string;
  readonly target: ThresholdTarget;
  readonly outPath: string;
  readonly concurrency: number;
  readonly calibration: string | null;
}

export function parseCalibrateArgs(args: readonly string[]): CalibrateCommandOptions {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { target: { type: 'string' }, out: { type: 'string' }, concurrency: { type: 'string', default: '2' }, calibration: { type: 'string' } },
  });
  if (positionals.length !== 1) throw invalidArgument('one manifest.csv or folder', 'calibrate', positionals);
  if (!values.out) throw invalidArgument('a path for the calibration file', '--out', values.out);
  if (!values.target) throw invalidArgument("'apcer=<rate>' or 'bpcer=<rate>'", '--target', values.target);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw invalidArgument('an integer from 1 to 64', '--concurrency', values.concurrency);
  return { location: positionals[0]!, target: parseTarget(values.target), outPath: values.out, concurrency, calibration: values.calibration ?? null };
}

/** `liveness calibrate`: fits on the user's data and prints the figures before and after. */
export async function runCalibrate(options: CalibrateCommandOptions): Promise<number> {
  const deps = await loadDeps(options.calibration ? { fusionPath: options.calibration } : {});
  let progress: ReturnType<typeof createProgress> | null = null;
  const { before, after, model, fitted } = await calibrate(deps, {
    location: options.location,
    target: options.target,
    outPath: options.outPath,
    cacheDir: `${options.outPath}.cache`,
    concurrency: options.concurrency,
    config: DEFAULT_CONFIG,
    onProgress: { start: (total) => (progress = createProgress(total)), tick: () => progress?.tick() },
  });
  (progress as ReturnType<typeof createProgress> | null)?.done();
  const refits = Object.entries(fitted).map(([name, items]) => {
    const profile = model.profiles[name as keyof typeof fitted]!;
    return `${name}: fitted on ${items} items with every signal of the profile; threshold ${profile.threshold} — ${profile.thresholdSource}`;
  });
  process.stdout.write(
    [
      ...refits,
      `before (${deps.fusion.version}): ${summary(before)}`,
      `after  (cross-validated by subject): ${summary(after)}`,
      `wrote ${options.outPath}; use it with --calibration ${options.outPath} or LIVENESS_CALIBRATION=${options.outPath}`,
      '',
    ].join('\n'),
  );
  return EXIT.live;
}

function summary(f: Figures): string {
  const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : 'n/a');
  return `BPCER ${pct(f.bpcer.value)} [${pct(f.bpcer.low)}, ${pct(f.bpcer.high)}], worst-species APCER ${pct(f.apcerWorst.value)} (${f.apcerWorst.species ?? 'none'}), pooled APCER ${pct(f.pooled.apcer.value)} [${pct(f.pooled.apcer.low)}, ${pct(f.pooled.apcer.high)}]`;
}
