/**
 * Face crops aligned by the eyes, for models that look at the skin's texture rather than the
 * landmarks' motion. The same function cuts the training crops (`scripts/export-face-crops.ts`) and
 * the crops the `texture_cnn` signal sees at run time, so both see one geometry.
 */
import { cropTransform, sampleToFloat, type RgbImage } from '../imaging/index.js';
import { eyeCentres } from './geometry.js';
import type { Point3 } from './facemesh.js';

export interface AlignOptions {
  /** Side of the output square, in pixels. */
  readonly sizePx: number;
  /** Side of the crop in the frame, as a multiple of the interocular distance. */
  readonly sideIod: number;
  /** How far below the eyes' midpoint the crop is centred, as a multiple of the interocular distance. */
  readonly centreBelowEyesIod: number;
  /**
   * Samples per output pixel along each axis, averaged: a box filter, so that a face several times
   * larger than the output is shrunk without aliasing (which would paint a moiré of its own).
   */
  readonly supersample: number;
}

/**
 * 2.0 IOD square centred 0.5 IOD below the eyes: brows to below the mouth, cheek to cheek, on a frontal
 * face: skin only, no background (so the crop shows the face's surface, not the room; the bench's tight
 * face crops (77–429 px) stay black-free, which a 2.6 IOD crop was not).
 */
export const FACE_CROP: AlignOptions = { sizePx: 64, sideIod: 2.0, centreBelowEyesIod: 0.5, supersample: 3 };

/** The face turned upright (eyes level), scaled to `sizePx`, as 8-bit RGB; outside the frame reads black. */
export function alignFace(image: RgbImage, mesh: readonly Point3[], options: AlignOptions = FACE_CROP): RgbImage {
  const { right, left } = eyeCentres(mesh);
  // The subject's right eye is on the image's left: the angle from it to the left eye is the roll.
  const dx = left[0] - right[0];
  const dy = left[1] - right[1];
  const iod = Math.hypot(dx, dy);
  const angleRad = Math.atan2(dy, dx);
  const below = options.centreBelowEyesIod * iod;
  const cx = (right[0] + left[0]) / 2 - Math.sin(angleRad) * below;
  const cy = (right[1] + left[1]) / 2 + Math.cos(angleRad) * below;
  const n = Math.max(1, Math.round(options.supersample));
  const big = options.sizePx * n;
  const samples = sampleToFloat(image, cropTransform(cx, cy, options.sideIod * iod, angleRad, big), big, big, 1, 0);
  const rgb = new Uint8Array(options.sizePx * options.sizePx * 3);
  const norm = 1 / (n * n);
  for (let v = 0; v < options.sizePx; v++) {
    for (let u = 0; u < options.sizePx; u++) {
      for (let ch = 0; ch < 3; ch++) {
        let sum = 0;
        for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) sum += samples[((v * n + j) * big + u * n + i) * 3 + ch]!;
        rgb[(v * options.sizePx + u) * 3 + ch] = Math.round(sum * norm);
      }
    }
  }
  return { width: options.sizePx, height: options.sizePx, rgb };
}

/**
 * The face at the camera's own scale: a `sizePx` square of frame pixels (no shrinking) centred where
 * `FACE_CROP` is, so the recapture texture (moiré, halftone, screen pixels) is not averaged away; a
 * face too small to fill it is upsampled to `FACE_CROP`'s framing instead. Patch-based, as in Atoum
 * et al., "Face anti-spoofing using patch and depth-based CNNs", IJCB 2017.
 */
export function alignFacePatch(image: RgbImage, mesh: readonly Point3[], sizePx = FACE_CROP.sizePx): RgbImage {
  const { right, left } = eyeCentres(mesh);
  const iod = Math.hypot(left[0] - right[0], left[1] - right[1]);
  const sideIod = Math.min(FACE_CROP.sideIod, sizePx / Math.max(iod, 1));
  return alignFace(image, mesh, { ...FACE_CROP, sizePx, sideIod, supersample: 1 });
}

