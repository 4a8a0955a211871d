/**
 * A printed paper mask with eye holes, worn: one frame of the clip printed on paper (halftone,
 * paper range), cut along the face's outline, with holes where the eyes are, and held on the
 * wearer's face. The sheet follows the head as one flat plane — each frame shows the reference
 * face through the homography that best maps its rigid landmarks (forehead, nose, eye corners,
 * cheeks) onto that frame's — and the wearer's own eyes blink and move behind the holes. So the
 * camera sees living eyes in a face that is otherwise a flat, unmoving print: no mouth motion, no
 * expression, no parallax between nose and cheeks.
 *
 * Without eye holes it is a face cut out of the print and held before the head (`liveness synth`'s
 * `cutout`): the same flat print following the head, with printed eyes that never blink.
 *
 * Not modelled: the mask bending as the head turns, straps or fingers holding it, the shadow of
 * its edge, a mask of another person's face (the wearer here is the person printed).
 */
import type { RgbImage } from '../imaging/index.js';
import { applyTransform, fitHomography, type Matrix3, type Point2 } from '../math/homography.js';
import { printOnPaper } from './recapture.js';

/** MediaPipe FaceMesh's face outline, in order around the face. */
const FACE_OVAL = [10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109];
/** Each eye's outline (both lids), in order. */
const EYES = [
  [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246],
  [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466],
];
/** Points a worn sheet moves with: forehead, nose bridge and tip, eye corners, upper cheeks (not the jaw). */
const RIGID = [10, 151, 9, 168, 6, 1, 33, 133, 362, 263, 234, 454, 127, 356, 93, 323];
/** Eye holes are cut larger than the eye opening: this much wider and taller about the eye's centre. */
const HOLE_SCALE = { x: 1.5, y: 2.2 };
/** Width in reference pixels of the cut edge, where the paper's white core shows. */
const EDGE_PX = 1.5;

/**
 * The clip with the mask worn, frame by frame. `meshes[i]` are frame i's FaceMesh landmarks (frame
 * pixels) or null where no face was found (the last placement is kept). Null when no frame has a face.
 * `eyeHoles: false` leaves the printed eyes in place: a cut-out face held before the head.
 */
export function wearPaperMask(frames: readonly RgbImage[], meshes: ReadonlyArray<readonly Point2[] | null>, random: () => number, options: { readonly eyeHoles?: boolean } = {}): RgbImage[] | null {
  const reference = meshes.findIndex((mesh) => mesh !== null);
  if (reference < 0) return null;
  const referenceMesh = meshes[reference]!;
  const print = printOnPaper(frames[reference]!, random);
  const cut = cutMask(frames[reference]!.width, frames[reference]!.height, referenceMesh, options.eyeHoles ?? true);
  const anchors = RIGID.map((i) => referenceMesh[i]!);
  let toReference: Matrix3 | null = null;
  let outline: Point2[] = [];
  return frames.map((frame, i) => {
    const mesh = meshes[i];
    if (mesh) {
      const here = RIGID.map((k) => mesh[k]!);
      toReference = fitHomography(here, anchors);
      const toFrame = fitHomography(anchors, here);
      outline = FACE_OVAL.map((k) => applyTransform(toFrame, referenceMesh[k]!));
    }
    return toReference ? overlay(frame, print, cut, toReference, outline) : frame;
  });
}

interface Cut {
  readonly width: number;
  readonly height: number;
  /** Per reference pixel: 0 outside the mask or in a hole, 1 paper, 2 the cut edge. */
  readonly mask: Uint8Array;
}

function cutMask(width: number, height: number, mesh: readonly Point2[], eyeHoles: boolean): Cut {
  const oval = FACE_OVAL.map((i) => mesh[i]!);
  const holes = (eyeHoles ? EYES : []).map((eye) => {
    const points = eye.map((i) => mesh[i]!);
    const cx = points.reduce((sum, p) => sum + p[0], 0) / points.length;
    const cy = points.reduce((sum, p) => sum + p[1], 0) / points.length;
    return points.map((p): Point2 => [cx + (p[0] - cx) * HOLE_SCALE.x, cy + (p[1] - cy) * HOLE_SCALE.y]);
  });
  const inside = (x: number, y: number) => insidePolygon(oval, x, y) && !holes.some((hole) => insidePolygon(hole, x, y));
  const mask = new Uint8Array(width * height);
  const [x0, y0, x1, y1] = bounds(oval, width, height);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!inside(x + 0.5, y + 0.5)) continue;
      const nearEdge = [[EDGE_PX, 0], [-EDGE_PX, 0], [0, EDGE_PX], [0, -EDGE_PX]].some(([dx, dy]) => !inside(x + 0.5 + dx!, y + 0.5 + dy!));
      mask[y * width + x] = nearEdge ? 2 : 1;
    }
  }
  return { width, height, mask };
}

/** The frame with the print drawn wherever the worn mask covers it. */
function overlay(frame: RgbImage, print: RgbImage, cut: Cut, toReference: Matrix3, outline: readonly Point2[]): RgbImage {
  const rgb = new Uint8Array(frame.rgb);
  const [x0, y0, x1, y1] = bounds(outline, frame.width, frame.height);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const [u, v] = applyTransform(toReference, [x + 0.5, y + 0.5]);
      const ru = Math.floor(u), rv = Math.floor(v);
      if (ru < 0 || rv < 0 || ru >= cut.width || rv >= cut.height) continue;
      const paper = cut.mask[rv * cut.width + ru]!;
      if (paper === 0) continue;
      const to = (y * frame.width + x) * 3;
      if (paper === 2) {
        rgb.fill(225, to, to + 3);
        continue;
      }
      // The print has twice the reference's resolution; the camera sees its nearest dot.
      const px = Math.min(print.width - 1, Math.floor(u * 2)), py = Math.min(print.height - 1, Math.floor(v * 2));
      const from = (py * print.width + px) * 3;
      rgb[to] = print.rgb[from]!;
      rgb[to + 1] = print.rgb[from + 1]!;
      rgb[to + 2] = print.rgb[from + 2]!;
    }
  }
  return { width: frame.width, height: frame.height, rgb };
}

/** Even-odd rule. */
function insidePolygon(polygon: readonly Point2[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The polygon's bounding box in whole pixels, clipped to the image. */
function bounds(points: readonly Point2[], width: number, height: number): [number, number, number, number] {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  return [
    Math.max(0, Math.floor(Math.min(...xs))), Math.max(0, Math.floor(Math.min(...ys))),
    Math.min(width - 1, Math.ceil(Math.max(...xs))), Math.min(height - 1, Math.ceil(Math.max(...ys))),
  ];
}
