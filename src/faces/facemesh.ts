/**
 * FaceMesh (MediaPipe face landmark model, 192×192, as shipped in `@vladmandic/human`):
 * 468 3-D landmarks on a face crop that is centred on the face and turned so the eyes are level.
 */
import { applyAffine, cropTransform, sampleToFloat, type RgbImage } from '../imaging/index.js';
import { loadGraphModelFromFile, runModel, type GraphModel } from '../ml/runtime.js';

const INPUT_SIZE = 192;
/** MediaPipe's face_landmark graph crops 1.5× the detected face box. */
const CROP_SCALE = 1.5;

export type Point3 = readonly [number, number, number];

/** Indices into the 468-point mesh (MediaPipe canonical face model). */
export const MESH = {
  rightEyeOuter: 33, rightEyeInner: 133, rightEyeUpper: 159, rightEyeLower: 145,
  leftEyeOuter: 263, leftEyeInner: 362, leftEyeUpper: 386, leftEyeLower: 374,
  noseTip: 1, chin: 152, forehead: 10,
  upperLipInner: 13, lowerLipInner: 14, mouthRight: 61, mouthLeft: 291,
  rightCheek: 234, leftCheek: 454,
} as const;

export interface MeshResult {
  /** 468 points in frame pixels; z shares the x/y scale, negative towards the camera. */
  readonly mesh: readonly Point3[];
  /** The model's face-presence score (0–1) for the crop. */
  readonly faceScore: number;
}

export interface CropRegion {
  readonly cx: number;
  readonly cy: number;
  readonly side: number;
  readonly angleRad: number;
}

export interface FaceMesh {
  readonly name: 'facemesh';
  /** Landmarks for each (image, crop) pair, run as one batch: 16 crops cost about half of 16 single runs. */
  predict(crops: ReadonlyArray<{ readonly image: RgbImage; readonly region: CropRegion }>): MeshResult[];
}

export async function load(modelsDir: string): Promise<FaceMesh> {
  const model = await loadGraphModelFromFile(`${modelsDir}/facemesh.json`);
  return { name: 'facemesh', predict: (crops) => predict(model, crops) };
}

function predict(model: GraphModel, crops: ReadonlyArray<{ readonly image: RgbImage; readonly region: CropRegion }>): MeshResult[] {
  if (crops.length === 0) return [];
  const pixels = INPUT_SIZE * INPUT_SIZE * 3;
  const input = new Float32Array(crops.length * pixels);
  const transforms = crops.map(({ image, region }, n) => {
    const transform = cropTransform(region.cx, region.cy, region.side, region.angleRad, INPUT_SIZE);
    input.set(sampleToFloat(image, transform, INPUT_SIZE, INPUT_SIZE, 1 / 255, 0), n * pixels);
    return transform;
  });
  const outputs = runModel(model, input, [crops.length, INPUT_SIZE, INPUT_SIZE, 3]);
  const coords = outputs.find((o) => o.shape[1] === 1404)?.data;
  const flags = outputs.find((o) => o.shape[1] === 1)?.data;
  if (!coords || !flags) throw new Error('facemesh: unexpected output shapes');
  return crops.map(({ region }, n) => {
    const transform = transforms[n]!;
    const zScale = region.side / INPUT_SIZE;
    const mesh: Point3[] = [];
    for (let i = 0; i < 468; i++) {
      const k = n * 1404 + i * 3;
      const [x, y] = applyAffine(transform, coords[k]!, coords[k + 1]!);
      mesh.push([x, y, coords[k + 2]! * zScale]);
    }
    return { mesh, faceScore: flags[n]! };
  });
}

/** The crop MediaPipe takes for a detected box: 1.5× its longer side, turned to level the eyes. */
export function regionFromDetection(box: readonly number[], rightEye: readonly number[], leftEye: readonly number[]): CropRegion {
  const [x, y, w, h] = box as [number, number, number, number];
  return {
    cx: x + w / 2,
    cy: y + h / 2,
    side: Math.max(w, h) * CROP_SCALE,
    angleRad: Math.atan2(leftEye[1]! - rightEye[1]!, leftEye[0]! - rightEye[0]!),
  };
}

/** The crop for a second pass, from the landmarks of the first: tighter and better centred. */
export function regionFromMesh(mesh: readonly Point3[]): CropRegion {
  const axes = faceAxes(mesh);
  return { cx: axes.cx, cy: axes.cy, side: Math.max(axes.widthPx, axes.heightPx) * CROP_SCALE, angleRad: axes.angleRad };
}

/** The face's own frame: the centre of its landmarks' extent, its roll (eyes level) and its size along those axes. */
export interface FaceAxes {
  readonly cx: number;
  readonly cy: number;
  /** Roll, from the subject's right outer eye corner to the left one. */
  readonly angleRad: number;
  /** Cheek to cheek and forehead to chin, measured along the face's own axes so a rolled face is not over-sized. */
  readonly widthPx: number;
  readonly heightPx: number;
}

export function faceAxes(mesh: readonly Point3[]): FaceAxes {
  const angleRad = Math.atan2(mesh[MESH.leftEyeOuter]![1] - mesh[MESH.rightEyeOuter]![1], mesh[MESH.leftEyeOuter]![0] - mesh[MESH.rightEyeOuter]![0]);
  const cos = Math.cos(-angleRad);
  const sin = Math.sin(-angleRad);
  let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
  for (const [px, py] of mesh) {
    const u = px * cos - py * sin;
    const v = px * sin + py * cos;
    minU = Math.min(minU, u); maxU = Math.max(maxU, u);
    minV = Math.min(minV, v); maxV = Math.max(maxV, v);
  }
  const cu = (minU + maxU) / 2;
  const cv = (minV + maxV) / 2;
  return {
    cx: cu * Math.cos(angleRad) - cv * Math.sin(angleRad),
    cy: cu * Math.sin(angleRad) + cv * Math.cos(angleRad),
    angleRad,
    widthPx: maxU - minU,
    heightPx: maxV - minV,
  };
}
