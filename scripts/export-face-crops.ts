/**
 * Cuts eye-aligned face crops (`src/faces/align.ts`, the geometry the `texture_cnn` signal uses) out
 * of the dev bench and out of attacks that `liveness synth` made from its bona fide clips, through the
 * product's own stages 1–4 (decode, BlazeFace + FaceMesh, quality gates). Writes, into --out:
 * `crops.bin` (N × size × size × 3 bytes, RGB: the whole face, `alignFace`), `patches.bin` (the same
 * layout: the face's centre at the camera's scale, `alignFacePatch`) and `meta.jsonl` (one line per
 * crop, same order).
 * The crops come from bench files, which must never be committed: keep --out under .cache/.
 *
 *   node dist/scripts/export-face-crops.js [--bench DIR] [--synth DIR[,DIR...]] [--sets bench,synth] [--out .cache/texture]
 */
import { existsSync, mkdirSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadObservationDeps } from '../src/deps.js';
import { alignFace, alignFacePatch, FACE_CROP } from '../src/faces/align.js';
import { interocularPx } from '../src/faces/geometry.js';
import { observeMedia } from '../src/pipeline/index.js';
import { loadBench, loadSynth, type DevItem } from './dev-set.js';

const { values } = parseArgs({
  options: {
    bench: { type: 'string', default: process.env.BENCH_DIR ?? resolve('..', 'shared', 'bench') },
    synth: { type: 'string', default: resolve('.cache', 'texture', 'synth') },
    out: { type: 'string', default: resolve('.cache', 'texture') },
    sets: { type: 'string', default: 'bench,synth' },
  },
});
const benchDir = values.bench!;
const sets = new Set(values.sets!.split(','));
const deps = await loadObservationDeps();

const { bench, items: benchItems } = await loadBench(benchDir);
const items: DevItem[] = sets.has('bench') ? benchItems : [];
for (const synthDir of sets.has('synth') ? values.synth!.split(',').filter(Boolean) : []) {
  const manifestPath = join(synthDir, 'manifest.csv');
  if (!existsSync(manifestPath)) continue;
  // Item ids name their folder: several synth folders may hold files of the same name.
  for (const item of await loadSynth(manifestPath, bench, { keepApart: false })) items.push({ ...item, id: `${item.id}@${synthDir.split('/').pop()}` });
}

mkdirSync(values.out!, { recursive: true });
const binPath = join(values.out!, 'crops.bin');
const metaPath = join(values.out!, 'meta.jsonl');
const patchPath = join(values.out!, 'patches.bin');
await writeFile(patchPath, new Uint8Array(0));
await writeFile(binPath, new Uint8Array(0));
await writeFile(metaPath, '');
let crops = 0;
for (const [n, item] of items.entries()) {
  try {
    const observation = await observeMedia(item.input, deps);
    const usable = new Set(observation.quality.usableFrameIndices);
    for (const [i, frame] of observation.frames.entries()) {
      const face = observation.faces[i]?.face;
      if (!face) continue;
      const crop = alignFace(frame, face.mesh, FACE_CROP);
      const quality = observation.quality.frames[i];
      await appendFile(binPath, crop.rgb);
      await appendFile(patchPath, alignFacePatch(frame, face.mesh).rgb);
      const record = {
        n: crops++, id: item.id, frame: i, label: item.label, species: item.species, subject: item.subject, kind: item.kind, origin: item.origin,
        mode: observation.mode, usable: usable.has(i), failure: quality?.failure ?? null, inconclusive: observation.quality.inconclusive?.code ?? null,
        frameWidth: frame.width, frameHeight: frame.height, iodPx: Math.round(interocularPx(face.mesh) * 10) / 10,
        sharpness: quality?.sharpness ?? null, faceLuma: quality?.faceLuma ?? null,
      };
      await appendFile(metaPath, `${JSON.stringify(record)}\n`);
    }
  } catch (error) {
    console.error(`${item.id}: ${(error as Error).message}`);
  }
  if ((n + 1) % 50 === 0) console.error(`${n + 1}/${items.length} items, ${crops} crops`);
}
console.error(`wrote ${crops} ${FACE_CROP.sizePx}×${FACE_CROP.sizePx} crops of ${items.length} items to ${dirname(binPath)}`);
