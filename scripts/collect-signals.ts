/**
 * Runs stages 1–5 of the pipeline over the dev bench (../shared/bench) and over attacks made from
 * its bona fide clips (a looped still, a hand-moved still), and writes one JSON line per item with
 * its label, subject and signal values. `fit-fusion` reads that file.
 *
 *   node dist/scripts/collect-signals.js [--bench DIR] [--out .cache/signals.jsonl] [--only video,frames,image]
 *     [--synth DIR/manifest.csv ...] [--frames N [--window S]] [--dump DIR]
 *
 * `--frames 8` observes what the contract's array of 8 frames shows: N frames of each video over its
 * first S seconds (`--window`, default 3 with --frames, else the analysis's 6), and N evenly spaced
 * frames of each frames folder. `scripts/score-signals.ts` scores such a file with the shipped model.
 * `--synth` adds the items of a `liveness synth` manifest made from bench clips; each counts as the
 * subject of its source clip (videos/<subject>/…), so cross-validation holds it out with that person,
 * and a species named like one of the bench's becomes `synth_<species>`.
 * `--dump DIR` also writes each item's usable frames and landmarks under DIR (one folder per item), so
 * that a candidate signal can be studied offline without running the face models again.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG, withOverrides } from '../src/config.js';
import { loadObservationDeps } from '../src/deps.js';
import type { AnalysisInput } from '../src/ingest/index.js';
import { observeMedia, type Observation } from '../src/pipeline/index.js';
import { makeHandMovedStill, makeLoopedStill } from '../src/synth/still-attacks.js';
import { FRANCK, loadBench, loadSynth, type DevItem } from './dev-set.js';

const { values } = parseArgs({
  options: {
    bench: { type: 'string', default: process.env.BENCH_DIR ?? resolve('..', 'shared', 'bench') },
    out: { type: 'string', default: '.cache/signals.jsonl' },
    only: { type: 'string', default: 'video,frames,image,crop' },
    synth: { type: 'string', multiple: true, default: [] },
    frames: { type: 'string' },
    window: { type: 'string' },
    dump: { type: 'string' },
  },
});
const frameCount = values.frames === undefined ? null : Number(values.frames);
// Fewer frames than the analysis takes come from the first 3 s of a video unless --window says otherwise.
const windowS = values.window !== undefined ? Number(values.window) : frameCount !== null ? 3 : DEFAULT_CONFIG.decode.videoWindowS;
const config = withOverrides({ decode: { videoFrames: frameCount ?? DEFAULT_CONFIG.decode.videoFrames, videoWindowS: windowS } });
/** N of a frames array, evenly spaced; the input as it is otherwise. */
function fewerFrames(input: AnalysisInput): AnalysisInput {
  if (frameCount === null || input.kind !== 'frames' || input.frames.length <= frameCount) return input;
  const step = input.frames.length / frameCount;
  return { kind: 'frames', frames: Array.from({ length: frameCount }, (_, i) => input.frames[Math.floor(i * step)]!) };
}
const benchDir = values.bench!;
const kinds = new Set(values.only!.split(','));
const deps = await loadObservationDeps();
const synthDir = resolve('.cache', 'synth');
mkdirSync(synthDir, { recursive: true });

const { bench, items: benchItems } = await loadBench(benchDir);
const items: DevItem[] = benchItems.filter((item) => kinds.has(item.kind));

// The bona fide clips, franck.mp4 (s30) included, become still attacks of their own subject.
const liveClips = bench.filter((b) => b.kind === 'video' && b.label === 'live').map((b) => ({ path: b.path, subject: b.subject }));
if (existsSync(FRANCK)) liveClips.push({ path: FRANCK, subject: 's30' });
if (kinds.has('video')) {
  for (const [n, clip] of liveClips.entries()) {
    for (const species of ['looped_still', 'moved_still'] as const) {
      const output = join(synthDir, `${clip.subject}-${n}-${species}.mp4`);
      if (!existsSync(output)) {
        const make = species === 'looped_still' ? makeLoopedStill : makeHandMovedStill;
        await make(deps.tools, clip.path, output, { seed: n + 1, atS: 0.5 }).catch((error: Error) => console.error(`synth ${output}: ${error.message}`));
      }
      if (existsSync(output)) {
        items.push({ id: `synth/${clip.subject}-${n}-${species}`, input: { kind: 'media', source: { path: output } }, label: 'print', species, subject: clip.subject, kind: 'video', origin: 'synth' });
      }
    }
  }
}

for (const manifestPath of values.synth!) items.push(...(await loadSynth(manifestPath, bench, { keepApart: true })));

await writeFile(values.out!, '');
let done = 0;
for (const item of items) {
  const startedAt = performance.now();
  const record: Record<string, unknown> = { id: item.id, label: item.label, species: item.species, subject: item.subject, kind: item.kind, synthetic: item.origin === 'synth' };
  try {
    const observation = await observeMedia(fewerFrames(item.input), deps, config);
    record.mode = observation.mode;
    record.inconclusive = observation.quality.inconclusive?.code ?? null;
    record.usable = observation.quality.usableFrameIndices.length;
    record.decoded = observation.frames.length;
    record.failures = observation.quality.frames.map((f) => f.failure);
    record.quality = observation.quality.frames.map(({ faceLuma, sharpness, yaw, pitch, interocularPx }) => ({ faceLuma, sharpness, yaw, pitch, interocularPx }));
    record.signals = Object.fromEntries(observation.signals.map((s) => [s.name, s.value]));
    record.details = Object.fromEntries(observation.signals.map((s) => [s.name, s.details]));
    if (values.dump) await dumpObservation(values.dump, done, record, observation);
  } catch (error) {
    record.error = (error as Error).message;
  }
  record.seconds = Math.round(performance.now() - startedAt) / 1000;
  await appendFile(values.out!, `${JSON.stringify(record)}\n`);
  if (++done % 25 === 0) console.error(`${done}/${items.length}`);
}
console.error(`wrote ${items.length} items to ${values.out}`);

/**
 * `--dump DIR`: each item's usable frames (raw RGB, one file) and their landmarks, for studying
 * candidate signals offline without running the face models again. Bench-derived: it stays in DIR.
 */
async function dumpObservation(dir: string, n: number, record: Record<string, unknown>, observation: Observation): Promise<void> {
  const folder = join(dir, String(n).padStart(4, '0'));
  mkdirSync(folder, { recursive: true });
  const usable = observation.quality.usableFrameIndices;
  const frames = usable.map((i) => observation.frames[i]!);
  const faces = usable.map((i) => observation.faces[i]!.face!);
  await writeFile(join(folder, 'frames.rgb'), Buffer.concat(frames.map((f) => f.rgb)));
  const meta = { ...record, frames: frames.map((f) => ({ width: f.width, height: f.height, timestampMs: f.timestampMs })), faces: faces.map((f) => ({ box: f.box, mesh: f.mesh })) };
  await writeFile(join(folder, 'meta.json'), JSON.stringify(meta));
}
