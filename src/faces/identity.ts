/**
 * A face descriptor: `faceres` (as shipped in `@vladmandic/human`), 1024 numbers for an upright
 * 224 × 224 crop of the face. Two frames of one person give descriptors that point the same way more
 * than those of two people do. The product uses it for one thing: to check that a video or frame
 * array shows one person throughout (`quality/one-person.ts`). It never stores a descriptor and never
 * compares faces across analyses.
 *
 * Every face's descriptor shares a large common part: the mean of unit descriptors has a length of
 * about 0.6. Cosine similarity on the raw descriptors is mostly that common part, so two people who
 * look alike score almost as high as one person does. The describer therefore subtracts a centre,
 * the mean unit descriptor of faces from npm packages (`models/faceres-centre.json`, made by
 * `scripts/fit-descriptor-centre.ts`), and returns what is left, at unit length.
 */
import { readFile } from 'node:fs/promises';
import { cropTransform, sampleToFloat, type RgbImage } from '../imaging/index.js';
import { loadGraphModelFromFile, runModel, type GraphModel } from '../ml/runtime.js';
import { faceAxes, type Point3 } from './facemesh.js';

const INPUT_SIZE = 224;
export const DESCRIPTOR_LENGTH = 1024;
/**
 * The crop's side, as a multiple of the face's larger extent along its own axes. Measured on the
 * bench's videos (`models/README.md`, "One person throughout"): at 1.0 and 1.2 × the frames of one
 * recording stayed more alike and two people's less than at FaceMesh's 1.5 ×.
 */
const CROP_SCALE = 1.2;

export interface FaceDescriber {
  readonly name: 'faceres';
  /** One unit-length descriptor per face, run as one batch: centred when a centre was given. */
  describe(faces: ReadonlyArray<{ readonly image: RgbImage; readonly mesh: readonly Point3[] }>): Float32Array[];
}

/** The mean unit descriptor that `describe` subtracts, as `models/faceres-centre.json` stores it. */
export interface DescriptorCentre {
  readonly version: string;
  readonly centre: readonly number[];
}

/** `centre: null` gives the raw unit descriptors (what `scripts/fit-descriptor-centre.ts` averages). */
export async function load(modelsDir: string, centre: DescriptorCentre | null): Promise<FaceDescriber> {
  const model = await loadGraphModelFromFile(`${modelsDir}/faceres.json`);
  return {
    name: 'faceres',
    describe: (faces) => describe(model, faces).map((descriptor) => (centre ? centred(descriptor, centre) : descriptor)),
  };
}

/** What is left of a unit descriptor once the centre is taken away, at unit length. */
export function centred(descriptor: Float32Array, centre: DescriptorCentre): Float32Array {
  return unitLength(descriptor.map((value, j) => value - centre.centre[j]!));
}

export async function readDescriptorCentre(path: string): Promise<DescriptorCentre> {
  const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<DescriptorCentre>;
  if (typeof parsed.version !== 'string' || !Array.isArray(parsed.centre) || parsed.centre.length !== DESCRIPTOR_LENGTH || !parsed.centre.every(Number.isFinite)) {
    throw new Error(`${path}: expected a version and a centre of ${DESCRIPTOR_LENGTH} numbers`);
  }
  return { version: parsed.version, centre: parsed.centre };
}

function describe(model: GraphModel, faces: ReadonlyArray<{ readonly image: RgbImage; readonly mesh: readonly Point3[] }>): Float32Array[] {
  if (faces.length === 0) return [];
  const pixels = INPUT_SIZE * INPUT_SIZE * 3;
  const input = new Float32Array(faces.length * pixels);
  faces.forEach(({ image, mesh }, n) => {
    const axes = faceAxes(mesh);
    const transform = cropTransform(axes.cx, axes.cy, Math.max(axes.widthPx, axes.heightPx) * CROP_SCALE, axes.angleRad, INPUT_SIZE);
    // faceres takes RGB in 0–255 (human's own preprocessing multiplies its 0–1 crop by 255).
    input.set(sampleToFloat(image, transform, INPUT_SIZE, INPUT_SIZE, 1, 0), n * pixels);
  });
  const descriptors = runModel(model, input, [faces.length, INPUT_SIZE, INPUT_SIZE, 3]).find((o) => o.shape[1] === DESCRIPTOR_LENGTH)?.data;
  if (!descriptors) throw new Error('faceres: no 1024-number descriptor among its outputs');
  return faces.map((_, n) => unitLength(descriptors.slice(n * DESCRIPTOR_LENGTH, (n + 1) * DESCRIPTOR_LENGTH)));
}

function unitLength(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum) || 1;
  return vector.map((value) => value / norm);
}
