import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { withOverrides } from '../config.js';
import { loadDeps, type Deps } from '../deps.js';
import { buildEnvelope, type Envelope } from '../envelope.js';
import { EXIT, LivenessError } from '../errors.js';
import type { AnalysisInput } from '../ingest/index.js';
import { analyzeMedia } from '../pipeline/index.js';
import { mapWithConcurrency } from '../util/pool.js';
import { HELP, parseCommand, type CheckOptions } from './args.js';
import { runCalibrate } from './calibrate-command.js';
import { runEval } from './eval-command.js';
import { runSynth } from './synth-command.js';
import { runKeys } from './keys-command.js';
import { createProgress } from './progress.js';
import { runServe } from './serve-command.js';
import { formatTable } from './table.js';

interface Job {
  readonly label: string;
  readonly input: AnalysisInput;
}

type JobOutcome = { readonly label: string; readonly envelope: Envelope; readonly exitCode: number } | { readonly label: string; readonly error: LivenessError; readonly exitCode: number };

/** Runs the CLI and returns its exit code; never throws. */
export async function main(argv: readonly string[], version: string): Promise<number> {
  let debug = argv.includes('--debug');
  try {
    const command = parseCommand(argv);
    if (command.name === 'help') {
      process.stdout.write(HELP);
      return EXIT.live;
    }
    if (command.name === 'version') {
      process.stdout.write(`${version}\n`);
      return EXIT.live;
    }
    if (command.name === 'eval') return await runEval(command.options);
    if (command.name === 'calibrate') return await runCalibrate(command.options);
    if (command.name === 'synth') return await runSynth(command.options);
    if (command.name === 'serve') return await runServe();
    if (command.name === 'keys') return await runKeys(command.options);
    debug = command.options.debug;
    return await runCheck(command.options);
  } catch (error) {
    const coded = asLivenessError(error);
    reportError(coded, null, debug ? error : null);
    return coded.exitCode;
  }
}

async function runCheck(options: CheckOptions): Promise<number> {
  const jobs = await planJobs(options);
  const deps = await loadDeps(options.calibration ? { fusionPath: options.calibration } : {});
  const config = withOverrides({ decision: { threshold: options.threshold } });
  const several = jobs.length > 1;
  const progress = createProgress(jobs.length);
  const outcomes = await mapWithConcurrency(jobs, options.concurrency, async (job) => {
    const outcome = await runJob(job, deps, config, options);
    progress.tick();
    if ('error' in outcome) reportError(outcome.error, several ? job.label : null, options.debug ? outcome.error : null);
    return outcome;
  });
  progress.done();
  if (options.format === 'table') {
    process.stdout.write(formatTable(outcomes));
  } else if (several) {
    for (const outcome of outcomes) {
      const line = 'error' in outcome ? { input: outcome.label, error: { code: outcome.error.code, message: outcome.error.message } } : { input: outcome.label, ...outcome.envelope };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  } else {
    const [only] = outcomes;
    if (only && 'envelope' in only) process.stdout.write(`${JSON.stringify(only.envelope, null, 2)}\n`);
  }
  return Math.max(...outcomes.map((o) => o.exitCode));
}

async function runJob(job: Job, deps: Deps, config: ReturnType<typeof withOverrides>, options: CheckOptions): Promise<JobOutcome> {
  const createdAt = new Date();
  try {
    const analysis = await analyzeMedia(job.input, deps, config);
    const envelope = buildEnvelope(analysis, { createdAt, completedAt: new Date() }, { includeEvidence: options.evidence });
    return { label: job.label, envelope, exitCode: EXIT[analysis.outcome === 'live' ? 'live' : analysis.outcome === 'attack' ? 'attack' : 'inconclusive'] };
  } catch (error) {
    const coded = asLivenessError(error);
    if (options.debug && coded !== error) console.error(error);
    return { label: job.label, error: coded, exitCode: coded.exitCode };
  }
}

/** Expands folders (sorted, recursively) and, with --frames, gathers everything into one frame array. */
async function planJobs(options: CheckOptions): Promise<Job[]> {
  const files: string[] = [];
  for (const path of options.paths) files.push(...(await expand(path)));
  if (files.length === 0) throw new LivenessError('file_not_found', `Expected media files but ${options.paths.join(', ')} holds none`);
  if (options.frames) return [{ label: options.paths.join(' '), input: { kind: 'frames', frames: files.map((path) => ({ path })) } }];
  return files.map((path) => ({ label: path, input: { kind: 'media', source: { path } } }));
}

async function expand(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new LivenessError('file_not_found', `Expected a file or folder but ${path} does not exist`);
  if (!info.isDirectory()) return [path];
  const entries = (await readdir(path)).sort((p, q) => p.localeCompare(q, 'en', { numeric: true }));
  const nested = await Promise.all(entries.filter((name) => !name.startsWith('.')).map((name) => expand(join(path, name))));
  return nested.flat();
}

function asLivenessError(error: unknown): LivenessError {
  if (error instanceof LivenessError) return error;
  // node:util parseArgs throws TypeErrors with codes for unknown options and missing values.
  const code = (error as { code?: string }).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) return new LivenessError('invalid_argument', (error as Error).message);
  return new LivenessError('internal_error', `Unexpected failure: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}

function reportError(error: LivenessError, label: string | null, debugDetail: unknown): void {
  process.stderr.write(`liveness: ${error.code}: ${label ? `${label}: ` : ''}${error.message}\n`);
  if (debugDetail instanceof Error && debugDetail.stack) process.stderr.write(`${debugDetail.stack}\n`);
}
