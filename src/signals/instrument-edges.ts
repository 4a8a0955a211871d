import type { Frame } from '../decode/index.js';
import { faceAxes, type FaceAxes, type TrackedFace } from '../faces/index.js';
import { median } from '../math/stats.js';
import { round } from './landmark-series.js';
import type { Signal } from './types.js';

/**
 * The borders of whatever shows the face. A print, a phone or a monitor held up to the camera has
 * straight edges (the paper's edge, the bezel, the screen's border) beside and above the face it
 * shows, and they move with that face when the sheet or device moves. Beside a live head are hair,
 * ears and shoulders, none straight for long, and a room that stays where it is when the head moves.
 *
 * Each usable frame is resampled into the face's own frame (upright, 32 px per face width, three face
 * widths either side of its centre); a pixel is an edge there when its gradient is strong and across
 * the face's axes. An edge that is in the same place relative to the face in most frames moves with
 * the face. Of the longest such straight edge on each of three sides — left of, right of and above
 * the face — the second-longest counts: two sides of a border, which a single door frame does not
 * give. The value is how far it reaches beyond the face's own height: a head's outline, an ear or a
 * lock of hair gives straight runs shorter than the face is tall (0–1.2 face heights on the bench's
 * live clips), while the border of something showing the whole face is longer than the face. A face
 * that never moves relative to the room (a still person before a still camera) keeps the room's
 * edges too; the fusion weighs this signal with the others.
 */
export const instrumentEdges: Signal = {
  name: 'instrument_edges',
  description:
    'How far the second-longest straight edge left of, right of and above the face that keeps its place relative to the face reaches beyond the face\'s height, in face heights. 0 for a head in a room; about 1 where two borders of a print or a device show.',
  appliesTo: { modes: ['video', 'frames'], minFrames: 3 },
  compute({ frames, faces }) {
    const sides = measureInstrumentEdges(frames, faces);
    const [, second] = [sides.left, sides.right, sides.top].sort((p, q) => q - p);
    return { value: round(Math.max(0, second! - 1), 3), details: { left: round(sides.left, 3), right: round(sides.right, 3), top: round(sides.top, 3) } };
  },
};

/** The canvas: face widths from the face's centre (x across, y down), and its resolution. */
const CANVAS = { pxPerFaceWidth: 32, xMin: -3, xMax: 3, yMin: -2.6, yMax: 3.4 } as const;
/**
 * An edge pixel: a luma gradient of at least 10 levels per canvas pixel (a step of 20–30 levels, after
 * the σ = 1 blur) pointing within 22° of the face's horizontal (vertical edges) or vertical axis.
 */
const EDGE = { minGradient: 10, maxAngleRad: (22 * Math.PI) / 180 } as const;
/** An edge moves with the face when it is at its face-relative place in this share of the frames. */
const PERSISTENCE = 0.6;
/**
 * How far across itself an edge may wander between frames and still count as in place: the face's
 * frame, found from its landmarks, wobbles at a border's distance. 2 px (0.06 face widths) is the
 * least that keeps the whole border of the hand-moved sheets of `liveness synth`, rigid by
 * construction: with 1 px, their second-longest border came out at a median 0.95 face heights
 * instead of 1.2.
 */
const SLACK_PX = 2;
/** Straight lines searched: within ±12° of the face's axes, in 3° steps; runs bridge gaps up to 2 px. */
const LINE_ANGLES_DEG = [-12, -9, -6, -3, 0, 3, 6, 9, 12] as const;
const MAX_GAP_PX = 2;
/**
 * Where a border can be and a head is not: beyond 0.8 face widths from the centre sideways (the
 * cheeks are at 0.5, hair and ears reach about 0.75), and 0.4 face widths above the top of the
 * landmarks (the forehead; hair above it).
 */
const ZONE = { sideFromCentre: 0.8, aboveFace: 0.4 } as const;

export interface InstrumentEdgeSides {
  /** Longest straight edge on each side that moves with the face, in face heights. */
  readonly left: number;
  readonly right: number;
  readonly top: number;
}

export function measureInstrumentEdges(frames: readonly Frame[], faces: readonly TrackedFace[]): InstrumentEdgeSides {
  const width = Math.round((CANVAS.xMax - CANVAS.xMin) * CANVAS.pxPerFaceWidth);
  const height = Math.round((CANVAS.yMax - CANVAS.yMin) * CANVAS.pxPerFaceWidth);
  const axes = faces.map((face) => faceAxes(face.mesh));
  const vertical = new Uint16Array(width * height);
  const horizontal = new Uint16Array(width * height);
  const seen = new Uint8Array(width * height);
  // One integral image for all frames: a fresh 4-MB array per frame costs more in page faults than the sums.
  const integral = new Int32Array(Math.max(...frames.map((f) => (f.width + 1) * (f.height + 1))));
  frames.forEach((frame, i) => {
    const canvas = sampleFaceCanvas(frame, axes[i]!, width, height, integral);
    const edges = edgePixels(blur(canvas.luma, width, height), canvas.valid, width, height);
    // Each frame's edges, widened by the slack across themselves, count once per canvas pixel.
    for (const [kind, counts, step, extent] of [[VERTICAL, vertical, 1, width], [HORIZONTAL, horizontal, width, height]] as const) {
      seen.fill(0);
      for (let p = 0; p < edges.length; p++) {
        if (!(edges[p]! & kind)) continue;
        const across = kind === VERTICAL ? p % width : Math.floor(p / width);
        for (let d = Math.max(-SLACK_PX, -across); d <= Math.min(SLACK_PX, extent - 1 - across); d++) seen[p + d * step] = 1;
      }
      for (let p = 0; p < seen.length; p++) counts[p]! += seen[p]!;
    }
  });
  const needed = Math.ceil(PERSISTENCE * frames.length);
  const persistent = (counts: Uint16Array) => {
    const mask = new Uint8Array(counts.length);
    for (let i = 0; i < counts.length; i++) mask[i] = counts[i]! >= needed ? 1 : 0;
    return mask;
  };
  const verticalEdges = persistent(vertical);
  const halfHeight = median(axes.map((a) => a.heightPx / a.widthPx)) / 2; // in face widths
  const grid = { width, height, halfHeight };
  return {
    left: longestSideEdge(verticalEdges, grid, 'left'),
    right: longestSideEdge(verticalEdges, grid, 'right'),
    top: longestSideEdge(persistent(horizontal), grid, 'top'),
  };
}

const VERTICAL = 1;
const HORIZONTAL = 2;

/**
 * The frame's luma resampled into the face's frame, each canvas pixel the mean of the frame pixels
 * under it (an integral image: a face many times the canvas's size is shrunk without aliasing).
 * `valid` marks canvas pixels whose footprint lies inside the frame.
 */
function sampleFaceCanvas(frame: Frame, axes: FaceAxes, width: number, height: number, integral: Int32Array): { luma: Float32Array; valid: Uint8Array } {
  const scale = axes.widthPx / CANVAS.pxPerFaceWidth; // frame pixels per canvas pixel
  const half = Math.max(0.5, scale / 2);
  const cos = Math.cos(axes.angleRad);
  const sin = Math.sin(axes.angleRad);
  const toFrame = (col: number, row: number): [number, number] => {
    const u = (col + 0.5) * scale + CANVAS.xMin * axes.widthPx;
    const v = (row + 0.5) * scale + CANVAS.yMin * axes.widthPx;
    return [axes.cx + cos * u - sin * v, axes.cy + sin * u + cos * v];
  };
  // The integral image covers only the part of the frame under the canvas.
  const corners = [toFrame(0, 0), toFrame(width, 0), toFrame(0, height), toFrame(width, height)];
  const xs = corners.map((c) => c[0]), ys = corners.map((c) => c[1]);
  const left = clamp(Math.floor(Math.min(...xs) - half - 1), 0, frame.width - 1);
  const right = clamp(Math.ceil(Math.max(...xs) + half + 1), left + 1, frame.width);
  const top = clamp(Math.floor(Math.min(...ys) - half - 1), 0, frame.height - 1);
  const bottom = clamp(Math.ceil(Math.max(...ys) + half + 1), top + 1, frame.height);
  // Integer luma (BT.601 weights in 1/256ths): a frame's sum fits an Int32Array and the pass stays cheap.
  const stride = right - left + 1;
  integral.fill(0, 0, stride + 1); // the first row and column stay 0
  const rgb = frame.rgb;
  for (let y = top; y < bottom; y++) {
    let rowSum = 0;
    let source = (y * frame.width + left) * 3;
    let target = (y - top + 1) * stride + 1;
    integral[target - 1] = 0;
    for (let x = left; x < right; x++, source += 3, target++) {
      rowSum += (77 * rgb[source]! + 150 * rgb[source + 1]! + 29 * rgb[source + 2]!) >> 8;
      integral[target] = integral[target - stride]! + rowSum;
    }
  }
  const luma = new Float32Array(width * height);
  const valid = new Uint8Array(width * height);
  const [originX, originY] = toFrame(0, 0);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      // toFrame(col, row), stepped: the canvas is an affine map of the frame.
      const cx = originX + (cos * col - sin * row) * scale;
      const cy = originY + (sin * col + cos * row) * scale;
      const x0 = Math.round(cx - half), x1 = Math.max(x0 + 1, Math.round(cx + half));
      const y0 = Math.round(cy - half), y1 = Math.max(y0 + 1, Math.round(cy + half));
      const i = row * width + col;
      valid[i] = x0 >= 0 && y0 >= 0 && x1 <= frame.width && y1 <= frame.height ? 1 : 0;
      // Outside the frame the nearest frame pixels repeat, so that the frame's border is no edge.
      const bx0 = Math.min(right - 1, Math.max(left, x0)), bx1 = Math.max(bx0 + 1, Math.min(right, x1));
      const by0 = Math.min(bottom - 1, Math.max(top, y0)), by1 = Math.max(by0 + 1, Math.min(bottom, y1));
      const r0 = (by0 - top) * stride - left, r1 = (by1 - top) * stride - left;
      const sum = integral[r1 + bx1]! - integral[r0 + bx1]! - integral[r1 + bx0]! + integral[r0 + bx0]!;
      luma[i] = sum / ((bx1 - bx0) * (by1 - by0));
    }
  }
  return { luma, valid };
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** Binomial 5-tap blur (σ ≈ 1) along both axes; the border repeats. */
function blur(image: Float32Array, width: number, height: number): Float32Array {
  const taps = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];
  const pass = (source: Float32Array, dx: number, dy: number) => {
    const out = new Float32Array(source.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let sum = 0;
        for (let k = -2; k <= 2; k++) {
          const xx = Math.min(width - 1, Math.max(0, x + k * dx));
          const yy = Math.min(height - 1, Math.max(0, y + k * dy));
          sum += taps[k + 2]! * source[yy * width + xx]!;
        }
        out[y * width + x] = sum;
      }
    }
    return out;
  };
  return pass(pass(image, 1, 0), 0, 1);
}

/**
 * Sobel gradients, thinned to their maxima across the edge (Canny's non-maximum suppression, along
 * the axis the edge crosses), so that an edge is one pixel wide whatever its contrast and a face
 * moving a couple of pixels relative to it moves off it. Each pixel is flagged VERTICAL and/or
 * HORIZONTAL, only well inside the frame's footprint.
 */
function edgePixels(luma: Float32Array, valid: Uint8Array, width: number, height: number): Uint8Array {
  const gx = new Float32Array(width * height);
  const gy = new Float32Array(width * height);
  const magnitude = new Float32Array(width * height);
  const at = (x: number, y: number) => luma[y * width + x]!;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      gx[i] = (at(x + 1, y - 1) + 2 * at(x + 1, y) + at(x + 1, y + 1) - at(x - 1, y - 1) - 2 * at(x - 1, y) - at(x - 1, y + 1)) / 8;
      gy[i] = (at(x - 1, y + 1) + 2 * at(x, y + 1) + at(x + 1, y + 1) - at(x - 1, y - 1) - 2 * at(x, y - 1) - at(x + 1, y - 1)) / 8;
      magnitude[i] = Math.hypot(gx[i]!, gy[i]!);
    }
  }
  const flags = new Uint8Array(width * height);
  const cosLimit = Math.cos(EDGE.maxAngleRad);
  // Only where the 5 × 5 neighbourhood is inside the frame: the frame's own border is not an edge.
  const inside = erode(erode(valid, 1), width);
  for (let y = 2; y < height - 2; y++) {
    for (let x = 2; x < width - 2; x++) {
      const i = y * width + x;
      const m = magnitude[i]!;
      if (inside[i] !== 1 || m <= EDGE.minGradient) continue;
      if (Math.abs(gx[i]!) > cosLimit * m && m >= magnitude[i - 1]! && m >= magnitude[i + 1]!) flags[i]! |= VERTICAL;
      if (Math.abs(gy[i]!) > cosLimit * m && m >= magnitude[i - width]! && m >= magnitude[i + width]!) flags[i]! |= HORIZONTAL;
    }
  }
  return flags;
}

/** 1 where the mask is 1 at this pixel and 2 steps of `step` either way (a 5-wide erosion along one axis). */
function erode(mask: Uint8Array, step: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let i = 2 * step; i < mask.length - 2 * step; i++) {
    out[i] = mask[i - 2 * step]! & mask[i - step]! & mask[i]! & mask[i + step]! & mask[i + 2 * step]!;
  }
  return out;
}

/**
 * The longest straight run of edge pixels on one side of the face, in face heights: over lines
 * within ±12° of the face's axis, in the side's zone, passing beside the face (left, right: the run
 * overlaps the face's height; top: its width).
 */
function longestSideEdge(mask: Uint8Array, grid: { width: number; height: number; halfHeight: number }, side: 'left' | 'right' | 'top'): number {
  const { width, height, halfHeight } = grid;
  const px = CANVAS.pxPerFaceWidth;
  const lateral = side !== 'top';
  // Lines run along `t` (rows for a lateral side, columns for the top) and sit at offset `s` across.
  const lengthPx = lateral ? height : width;
  const offsets = lateral ? width : height;
  const toFaceAcross = (s: number) => (lateral ? CANVAS.xMin + (s + 0.5) / px : CANVAS.yMin + (s + 0.5) / px);
  const toFaceAlong = (t: number) => (lateral ? CANVAS.yMin + t / px : CANVAS.xMin + t / px);
  const beside = lateral ? halfHeight : 0.5; // the face's half-extent along the line, in face widths
  const inZone = (across: number) => (side === 'left' ? across < -ZONE.sideFromCentre : side === 'right' ? across > ZONE.sideFromCentre : across < -(halfHeight + ZONE.aboveFace));
  let bestPx = 0;
  for (const degrees of LINE_ANGLES_DEG) {
    const slope = Math.tan((degrees * Math.PI) / 180);
    for (let s = 0; s < offsets; s++) {
      if (!inZone(toFaceAcross(s))) continue;
      let best = 0, bestStart = 0, bestEnd = 0, start = -1, lastOn = -1;
      for (let t = 0; t < lengthPx; t++) {
        const across = Math.round(s + slope * (t - lengthPx / 2));
        const on = across >= 0 && across < offsets && mask[lateral ? t * width + across : across * width + t] === 1;
        if (!on) continue;
        if (start < 0 || t - lastOn - 1 > MAX_GAP_PX) start = t;
        lastOn = t;
        if (t - start + 1 > best) {
          best = t - start + 1;
          bestStart = start;
          bestEnd = t;
        }
      }
      const overlapsFace = toFaceAlong(bestStart) < beside && toFaceAlong(bestEnd + 1) > -beside;
      if (best > bestPx && overlapsFace) bestPx = best;
    }
  }
  return bestPx / px / (2 * halfHeight);
}
