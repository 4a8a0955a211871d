/**
 * MediaPipe's iris landmark model (64×64, as shipped in `@vladmandic/human` as `iris.json`): on a crop
 * of one eye, 71 eye-contour points and 5 iris points (centre, then four on the rim). It is trained on
 * one side's eyes; the other eye is mirrored into that side before it runs and mirrored back after.
 */
import { applyAffine, cropTransform, sampleToFloat, type Affine, type RgbImage } from '../imaging/index.js';
import { loadGraphModelFromFile, runModel, type GraphModel } from '../ml/runtime.js';
import { MESH, type Point3 } from './facemesh.js';

const INPUT_SIZE = 64;
/**
 * The crop's side over the eye's corner-to-corner width. MediaPipe's iris graph crops 2.3× the eye's
 * width, so the lids and a margin of skin are in view whatever the gaze.
 */
const CROP_SCALE = 2.3;
const POINTS = 76;
const IRIS_CENTRE = 71;

/** Where each iris centre lies, in frame pixels. */
export interface Irises {
  readonly right: readonly [number, number];
  readonly left: readonly [number, number];
}

export interface IrisModel {
  readonly name: 'iris';
  /** The iris centres of each (image, face landmarks) pair, both eyes of every face in one batch. */
  predict(faces: ReadonlyArray<{ readonly image: RgbImage; readonly mesh: readonly Point3[] }>): Irises[];
}

export async function load(modelsDir: string): Promise<IrisModel> {
  const model = await loadGraphModelFromFile(`${modelsDir}/iris.json`);
  return { name: 'iris', predict: (faces) => predict(model, faces) };
}

/** The eyes by their corners, image-left corner first; the left eye is the one mirrored. */
const EYES = [
  { corners: [MESH.rightEyeOuter, MESH.rightEyeInner], mirrored: false },
  { corners: [MESH.leftEyeInner, MESH.leftEyeOuter], mirrored: true },
] as const;

function predict(model: GraphModel, faces: ReadonlyArray<{ readonly image: RgbImage; readonly mesh: readonly Point3[] }>): Irises[] {
  if (faces.length === 0) return [];
  const pixels = INPUT_SIZE * INPUT_SIZE * 3;
  const input = new Float32Array(faces.length * EYES.length * pixels);
  const transforms = faces.flatMap(({ image, mesh }, n) =>
    EYES.map((eye, e) => {
      const transform = eyeCrop(mesh, eye.corners, eye.mirrored);
      input.set(sampleToFloat(image, transform, INPUT_SIZE, INPUT_SIZE, 1 / 255, 0), (n * EYES.length + e) * pixels);
      return transform;
    }),
  );
  const output = runModel(model, input, [transforms.length, INPUT_SIZE, INPUT_SIZE, 3]).find((o) => o.shape[o.shape.length - 1] === POINTS * 3)?.data;
  if (!output) throw new Error('iris: unexpected output shapes');
  const centre = (k: number) => applyAffine(transforms[k]!, output[k * POINTS * 3 + IRIS_CENTRE * 3]!, output[k * POINTS * 3 + IRIS_CENTRE * 3 + 1]!);
  return faces.map((_, n) => ({ right: centre(n * 2), left: centre(n * 2 + 1) }));
}

/** A square on the eye, turned so its corners are level; mirrored left to right when asked. */
function eyeCrop(mesh: readonly Point3[], [a, b]: readonly [number, number], mirrored: boolean): Affine {
  const p = mesh[a]!;
  const q = mesh[b]!;
  const width = Math.hypot(q[0] - p[0], q[1] - p[1]);
  const t = cropTransform((p[0] + q[0]) / 2, (p[1] + q[1]) / 2, width * CROP_SCALE, Math.atan2(q[1] - p[1], q[0] - p[0]), INPUT_SIZE);
  // Output column u reads where column (size − u) would: x = a·(S − u) + b·v + c.
  return mirrored ? { a: -t.a, b: t.b, c: t.c + t.a * INPUT_SIZE, d: -t.d, e: t.e, f: t.f + t.d * INPUT_SIZE } : t;
}
