/**
 * BlazeFace (MediaPipe short-range face detector, 256×256, as shipped in `@vladmandic/human`):
 * finds faces and 6 keypoints in a whole frame.
 * Anchors and box decoding follow the MediaPipe graph: 896 anchors, strides 16 (2 per cell)
 * and 32 (6 per cell), offsets in input pixels relative to the anchor centre.
 */
import type { RgbImage } from '../imaging/index.js';
import { sampleToFloat } from '../imaging/index.js';
import { loadGraphModelFromFile, runModel, type GraphModel } from '../ml/runtime.js';

const INPUT_SIZE = 256;
const KEYPOINTS = 6;

export interface FaceCandidate {
  /** x, y, width, height in frame pixels. */
  readonly box: readonly [number, number, number, number];
  readonly score: number;
  /** Right eye, left eye, nose tip, mouth centre, right ear, left ear (the subject's right). */
  readonly keypoints: ReadonlyArray<readonly [number, number]>;
}

export interface BlazeFaceOptions {
  /** Detections below this score are dropped. */
  readonly minScore: number;
  /** Overlap above which the weaker of two detections is dropped. */
  readonly iouThreshold: number;
}

export interface BlazeFace {
  readonly name: 'blazeface';
  predict(image: RgbImage, options: BlazeFaceOptions): FaceCandidate[];
}

export async function load(modelsDir: string): Promise<BlazeFace> {
  const model = await loadGraphModelFromFile(`${modelsDir}/blazeface.json`);
  const anchors = generateAnchors();
  return { name: 'blazeface', predict: (image, options) => predict(model, anchors, image, options) };
}

function generateAnchors(): Array<[number, number]> {
  const anchors: Array<[number, number]> = [];
  for (const { stride, perCell } of [{ stride: 16, perCell: 2 }, { stride: 32, perCell: 6 }]) {
    const cells = INPUT_SIZE / stride;
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        for (let n = 0; n < perCell; n++) anchors.push([stride * (x + 0.5), stride * (y + 0.5)]);
      }
    }
  }
  return anchors;
}

function predict(model: GraphModel, anchors: Array<[number, number]>, image: RgbImage, options: BlazeFaceOptions): FaceCandidate[] {
  // Letterbox: keep the aspect ratio, centre the frame in the square input.
  const scale = INPUT_SIZE / Math.max(image.width, image.height);
  const padX = (INPUT_SIZE - image.width * scale) / 2;
  const padY = (INPUT_SIZE - image.height * scale) / 2;
  const toSource = { a: 1 / scale, b: 0, c: -padX / scale, d: 0, e: 1 / scale, f: -padY / scale };
  const input = sampleToFloat(image, toSource, INPUT_SIZE, INPUT_SIZE, 2 / 255, -1);
  const outputs = runModel(model, input, [1, INPUT_SIZE, INPUT_SIZE, 3]);
  // The converted graph splits its output by stride: [1, 512|384, 1] scores and [1, 512|384, 16] regressors.
  const find = (rows: number, cols: number) => outputs.find((o) => o.shape[1] === rows && o.shape[2] === cols)?.data;
  const parts = [
    { scores: find(512, 1), regressors: find(512, 16), first: 0 },
    { scores: find(384, 1), regressors: find(384, 16), first: 512 },
  ];
  const candidates: FaceCandidate[] = [];
  for (const { scores, regressors, first } of parts) {
    if (!scores || !regressors) throw new Error('blazeface: unexpected output shapes');
    for (let i = 0; i < scores.length; i++) {
      const score = 1 / (1 + Math.exp(-scores[i]!));
      if (score < options.minScore) continue;
      const [ax, ay] = anchors[first + i]!;
      const r = (k: number) => regressors[i * 16 + k]!;
      const toFrameX = (x: number) => (x - padX) / scale;
      const toFrameY = (y: number) => (y - padY) / scale;
      const cx = ax + r(0);
      const cy = ay + r(1);
      const w = r(2);
      const h = r(3);
      const keypoints: Array<[number, number]> = [];
      for (let k = 0; k < KEYPOINTS; k++) keypoints.push([toFrameX(ax + r(4 + 2 * k)), toFrameY(ay + r(5 + 2 * k))]);
      candidates.push({ box: [toFrameX(cx - w / 2), toFrameY(cy - h / 2), w / scale, h / scale], score, keypoints });
    }
  }
  return suppressOverlaps(candidates, options.iouThreshold);
}

function suppressOverlaps(candidates: FaceCandidate[], iouThreshold: number): FaceCandidate[] {
  const kept: FaceCandidate[] = [];
  for (const candidate of [...candidates].sort((p, q) => q.score - p.score)) {
    if (kept.every((k) => intersectionOverUnion(k.box, candidate.box) <= iouThreshold)) kept.push(candidate);
  }
  return kept;
}

export function intersectionOverUnion(p: readonly number[], q: readonly number[]): number {
  const [px, py, pw, ph] = p as [number, number, number, number];
  const [qx, qy, qw, qh] = q as [number, number, number, number];
  const ix = Math.max(0, Math.min(px + pw, qx + qw) - Math.max(px, qx));
  const iy = Math.max(0, Math.min(py + ph, qy + qh) - Math.max(py, qy));
  const inter = ix * iy;
  const union = pw * ph + qw * qh - inter;
  return union > 0 ? inter / union : 0;
}
