/**
 * Whether a video or a frame array is one capture. The geometric signals read the changes between
 * frames as a head moving in front of one camera; photos of a person taken on different occasions
 * (from a social-media profile, say), sent as a frame array or made into a slideshow video, or face
 * crops cut from different moments of a replayed video, change pose and expression from image to
 * image as a living head would, and were accepted as live (`models/README.md`). Frames of one capture
 * come from one sensor, so they have one size; within a few seconds the scene around the face stays
 * where it was; and a living face is never pixel-still, where a slideshow holds each photo and then
 * leaps to the next.
 */
import type { Frame, SourceInfo } from '../decode/index.js';
import type { TrackedFace } from '../faces/index.js';
import { lumaAt } from '../imaging/index.js';

export interface OneCaptureOptions {
  /**
   * Largest change of the surroundings between neighbouring usable frames, in percent (the median
   * over grid cells of the change in log luminance, after the shift that fits best and the change
   * of exposure are taken out). Measured on the bench (`scripts/one-capture-check.ts`): at most
   * 14.3 % in one recording (its videos, as sampled or as 8 JPEG frames, and NUAA sequences); 43–84 %
   * in 9 of 15 arrays of one person's NUAA stills from other days (13–19 % in the other 6, each
   * person photographed in one room).
   */
  readonly maxSurroundingsChangePct: number;
}

export interface OneCaptureReport {
  /** Every image has the same width and height. */
  readonly sameSize: boolean;
  /** Largest change of the surroundings between neighbouring usable frames (percent); null when too little is in view. */
  readonly surroundingsChangePct: number | null;
  /** Pairs of neighbouring usable frames whose surroundings could be compared. */
  readonly comparedPairs: number;
  /** Pairs of neighbouring usable frames of a video, 250 ms or more apart, in which the face stood pixel-still, and in which it leapt. */
  readonly frozenPairs: number;
  readonly leapPairs: number;
  /** Why the frames are not taken as one capture; null when they are (or cannot be told apart from one). */
  readonly failure: string | null;
}

/** Luminance is averaged over this grid of cells, so that noise and compression do not count. */
const GRID = { columns: 32, rows: 24 } as const;
/** Cells within this many face-box sizes of the face's centre are the face, not its surroundings. */
const FACE_HALF_EXTENT = 0.7;
/** A pair is compared only with at least this many surrounding cells in view in both frames. */
const MIN_CELLS = 100;
/** Camera shake or a hand-held phone moves the scene: shifts of up to this many cells are allowed for. */
const MAX_SHIFT_CELLS = 2;
/** Pixels sampled along each side of a cell for its mean (a 720p cell is 40 × 30 pixels). */
const SAMPLES_PER_SIDE = 12;
/** Keeps the logarithm of dark cells from amplifying sensor noise. */
const LOG_OFFSET = 16;
/**
 * The face's mean absolute change of luma (0–255) between two frames, below which it stood
 * pixel-still and above which it leapt. A living face in front of a camera is hardly ever
 * pixel-still: on the bench the least change was 0.23 between frames 33 ms apart (s11, a 0.5-s
 * clip) and 0.96 between frames 300 ms or more apart, though a distant face or a still one at a
 * very low bitrate comes close (0.01 for s29's 55-px faces at 0.5 Mbit/s, 0.16 for s40 at
 * 0.25 Mbit/s); a photo held in a slideshow video repeats to within 0.11 and then leaps by 4–84,
 * mostly over 8, where a still face changes by 1–3 (`models/README.md`).
 */
const FACE_CHANGE = { frozenBelow: 0.1, leaptAbove: 8 } as const;
/** A video that stood still in this many intervals and leapt in as many others is a slideshow. */
const MIN_PAIRS_EACH = 2;
/**
 * Only frames at least this far apart count towards freeze and leap: a dim webcam delivers as few as
 * 5–10 new pictures a second, which a 30-fps file repeats, so closer frames can be pixel-still in a
 * live recording (a 1-s clip of franck.mp4 at 10 fps, stored at 30, froze in 4 pairs and leapt in 3).
 */
const MIN_FREEZE_SPACING_MS = 250;

/**
 * Checks the frames of a video, or of a frame array (`sources` has one entry per image), for being
 * one capture: one image size; surroundings that stay in place from each usable frame to the next;
 * and, in a video, a face that does not stand pixel-still between some frames and leap between
 * others, as the photos of a slideshow do (a frame array has no times to tell a held photo from a
 * slow camera, and an attacker gains nothing by repeating a photo in one). Only neighbouring frames
 * are compared: across frames that failed the quality gates more time passes, and a camera may turn
 * or someone walk past. `faces[i]` is the face of `frames[usable[i]]`.
 */
export function checkOneCapture(
  input: 'video' | 'frames', frames: readonly Frame[], sources: readonly SourceInfo[], usable: readonly number[], faces: readonly TrackedFace[], options: OneCaptureOptions,
): OneCaptureReport {
  const sizes = new Set(sources.map((s) => `${s.width}×${s.height}`));
  if (sizes.size > 1) {
    const failure = `The frames are not one capture: they come in ${sizes.size} sizes (${[...sizes].join(', ')}). Send frames of one recording, uncropped.`;
    return { sameSize: false, surroundingsChangePct: null, comparedPairs: 0, frozenPairs: 0, leapPairs: 0, failure };
  }
  const grids = usable.map((index, i) => surroundingsGrid(frames[index]!, faces[i]!));
  const changes: number[] = [];
  let frozenPairs = 0;
  let leapPairs = 0;
  for (let i = 1; i < usable.length; i++) {
    if (usable[i]! !== usable[i - 1]! + 1) continue;
    const change = surroundingsChange(grids[i - 1]!, grids[i]!);
    if (change !== null) changes.push(change);
    const [before, after] = [frames[usable[i - 1]!]!, frames[usable[i]!]!];
    if (before.timestampMs === null || after.timestampMs === null || after.timestampMs - before.timestampMs < MIN_FREEZE_SPACING_MS) continue;
    const faceChange = faceLumaChange(before, after, faces[i]!);
    if (faceChange < FACE_CHANGE.frozenBelow) frozenPairs++;
    if (faceChange > FACE_CHANGE.leaptAbove) leapPairs++;
  }
  const largest = changes.length > 0 ? Math.round(Math.max(...changes) * 10) / 10 : null;
  const limit = options.maxSurroundingsChangePct;
  const subject = input === 'frames' ? 'The frames are' : 'The video is';
  const between = input === 'frames' ? 'two of them' : 'two of its sampled frames';
  const send = input === 'frames' ? 'Send frames of one recording, 2–3 s long' : 'Send one continuous recording';
  let failure: string | null = null;
  if (largest !== null && largest > limit) {
    failure = `${subject} not one capture: the scene around the face changes by ${largest} % between ${between}, as it does between separate photos (one recording stays under ${limit} %). ${send}, with the camera held still.`;
  } else if (frozenPairs >= MIN_PAIRS_EACH && leapPairs >= MIN_PAIRS_EACH) {
    failure = `${subject} not one capture: the face stands pixel-still between ${frozenPairs} pairs of neighbouring frames and leaps between ${leapPairs} others, as a slideshow of photos does. ${send}.`;
  }
  return { sameSize: true, surroundingsChangePct: largest, comparedPairs: changes.length, frozenPairs, leapPairs, failure };
}

/** Mean absolute change of luma over the face's box (`face`, in `after`), on every other pixel; the two frames are one size. */
function faceLumaChange(before: Frame, after: Frame, face: TrackedFace): number {
  const [bx, by, bw, bh] = face.box;
  const x0 = Math.max(0, Math.floor(bx)), x1 = Math.min(after.width, Math.ceil(bx + bw));
  const y0 = Math.max(0, Math.floor(by)), y1 = Math.min(after.height, Math.ceil(by + bh));
  let sum = 0;
  let count = 0;
  for (let y = y0; y < y1; y += 2) {
    for (let x = x0, p = (y * after.width + x0) * 3; x < x1; x += 2, p += 6) {
      sum += Math.abs(lumaAt(after.rgb, p) - lumaAt(before.rgb, p));
      count++;
    }
  }
  return count > 0 ? sum / count : Number.POSITIVE_INFINITY;
}

/** Mean log luminance of each grid cell outside the face; NaN for the face's cells. */
function surroundingsGrid(frame: Frame, face: TrackedFace): Float64Array {
  const { columns, rows } = GRID;
  const [bx, by, bw, bh] = face.box;
  const faceX = bx + bw / 2;
  const faceY = by + bh / 2;
  const grid = new Float64Array(columns * rows);
  for (let row = 0; row < rows; row++) {
    const y0 = Math.floor((row * frame.height) / rows);
    const y1 = Math.max(y0 + 1, Math.floor(((row + 1) * frame.height) / rows));
    for (let column = 0; column < columns; column++) {
      const x0 = Math.floor((column * frame.width) / columns);
      const x1 = Math.max(x0 + 1, Math.floor(((column + 1) * frame.width) / columns));
      if (Math.abs((x0 + x1) / 2 - faceX) < bw * FACE_HALF_EXTENT && Math.abs((y0 + y1) / 2 - faceY) < bh * FACE_HALF_EXTENT) {
        grid[row * columns + column] = Number.NaN;
        continue;
      }
      // A regular sample of at most SAMPLES_PER_SIDE² pixels stands for the cell's mean.
      const stepX = Math.max(1, Math.floor((x1 - x0) / SAMPLES_PER_SIDE));
      const stepY = Math.max(1, Math.floor((y1 - y0) / SAMPLES_PER_SIDE));
      let sum = 0;
      let count = 0;
      for (let y = y0; y < y1; y += stepY) {
        for (let x = x0, p = (y * frame.width + x0) * 3; x < x1; x += stepX, p += 3 * stepX) {
          sum += lumaAt(frame.rgb, p);
          count++;
        }
      }
      grid[row * columns + column] = Math.log(sum / count + LOG_OFFSET);
    }
  }
  return grid;
}

/**
 * How much the surroundings changed from `before` to `after`, in percent: the median absolute
 * deviation of the cells' log-luminance changes about their median (the median is the exposure
 * change), at the shift of up to `MAX_SHIFT_CELLS` that makes it least. Null when too few cells
 * outside the face are in view in both.
 */
function surroundingsChange(before: Float64Array, after: Float64Array): number | null {
  const { columns, rows } = GRID;
  const differences = new Float64Array(columns * rows);
  let least: number | null = null;
  for (let dy = -MAX_SHIFT_CELLS; dy <= MAX_SHIFT_CELLS; dy++) {
    for (let dx = -MAX_SHIFT_CELLS; dx <= MAX_SHIFT_CELLS; dx++) {
      let count = 0;
      for (let row = Math.max(0, -dy); row < Math.min(rows, rows - dy); row++) {
        for (let column = Math.max(0, -dx); column < Math.min(columns, columns - dx); column++) {
          const difference = after[(row + dy) * columns + column + dx]! - before[row * columns + column]!;
          if (!Number.isNaN(difference)) differences[count++] = difference;
        }
      }
      if (count < MIN_CELLS) continue;
      const cells = differences.subarray(0, count);
      const exposure = medianInPlace(cells);
      for (let i = 0; i < count; i++) cells[i] = Math.abs(cells[i]! - exposure);
      const change = 100 * medianInPlace(cells);
      if (least === null || change < least) least = change;
    }
  }
  return least;
}

/** The median of `values`, which it sorts (a typed array's numeric sort: this runs 25 times a pair). */
function medianInPlace(values: Float64Array): number {
  values.sort();
  const middle = (values.length - 1) / 2;
  return (values[Math.floor(middle)]! + values[Math.ceil(middle)]!) / 2;
}
