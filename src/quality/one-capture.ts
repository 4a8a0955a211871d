/**
 * Whether the images of a frame array are one capture. The geometric signals read the changes
 * between frames as a head moving in front of one camera; eight photos of a person taken on
 * different occasions (from a social-media profile, say) or face crops cut from different moments
 * of a replayed video change pose and expression from image to image as a living head would, and
 * were accepted as live (`models/README.md`). Frames of one capture come from one sensor, so they
 * have one size, and within a few seconds the scene around the face stays where it was.
 */
import type { Frame, SourceInfo } from '../decode/index.js';
import type { TrackedFace } from '../faces/index.js';
import { median } from '../math/stats.js';

export interface OneCaptureOptions {
  /**
   * Largest change of the surroundings between consecutive usable frames, in percent (the median
   * over grid cells of the change in log luminance, after the shift that fits best and the change
   * of exposure are taken out). Measured on 8-frame arrays (`models/README.md`): at most 12 % in 49
   * one-capture arrays (bench videos as JPEG frames, NUAA sequences; live ones at most 8.3 %),
   * 36–49 % in 9 of 15 arrays of one person's NUAA stills from other days, 13–19 % in the other 6,
   * taken in the same room.
   */
  readonly maxSurroundingsChangePct: number;
}

export interface OneCaptureReport {
  /** Every image has the same width and height. */
  readonly sameSize: boolean;
  /** Largest change of the surroundings between consecutive usable frames (percent); null when too little is in view. */
  readonly surroundingsChangePct: number | null;
  /** Consecutive pairs whose surroundings could be compared. */
  readonly comparedPairs: number;
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
/** Keeps the logarithm of dark cells from amplifying sensor noise. */
const LOG_OFFSET = 16;

/**
 * Checks a frame array (`frames` with their `sources`, one each) for being one capture: one image
 * size, and surroundings that stay in place from each usable frame to the next. `faces[i]` is the
 * face of `frames[usable[i]]`.
 */
export function checkOneCapture(
  frames: readonly Frame[], sources: readonly SourceInfo[], usable: readonly number[], faces: readonly TrackedFace[], options: OneCaptureOptions,
): OneCaptureReport {
  const sizes = new Set(sources.map((s) => `${s.width}×${s.height}`));
  if (sizes.size > 1) {
    const failure = `The frames are not one capture: they come in ${sizes.size} sizes (${[...sizes].join(', ')}). Send frames of one recording, uncropped.`;
    return { sameSize: false, surroundingsChangePct: null, comparedPairs: 0, failure };
  }
  const grids = usable.map((index, i) => surroundingsGrid(frames[index]!, faces[i]!));
  const changes: number[] = [];
  for (let i = 1; i < grids.length; i++) {
    const change = surroundingsChange(grids[i - 1]!, grids[i]!);
    if (change !== null) changes.push(change);
  }
  const largest = changes.length > 0 ? Math.round(Math.max(...changes) * 10) / 10 : null;
  const failure =
    largest !== null && largest > options.maxSurroundingsChangePct
      ? `The frames are not one capture: the scene around the face changes by ${largest} % between two of them (one recording stays under ${options.maxSurroundingsChangePct} %). Send frames of one recording, 2–3 s long.`
      : null;
  return { sameSize: true, surroundingsChangePct: largest, comparedPairs: changes.length, failure };
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
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0, p = (y * frame.width + x0) * 3; x < x1; x++, p += 3) {
          sum += 0.299 * frame.rgb[p]! + 0.587 * frame.rgb[p + 1]! + 0.114 * frame.rgb[p + 2]!;
        }
      }
      grid[row * columns + column] = Math.log(sum / ((x1 - x0) * (y1 - y0)) + LOG_OFFSET);
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
  let least: number | null = null;
  for (let dy = -MAX_SHIFT_CELLS; dy <= MAX_SHIFT_CELLS; dy++) {
    for (let dx = -MAX_SHIFT_CELLS; dx <= MAX_SHIFT_CELLS; dx++) {
      const differences: number[] = [];
      for (let row = Math.max(0, -dy); row < Math.min(rows, rows - dy); row++) {
        for (let column = Math.max(0, -dx); column < Math.min(columns, columns - dx); column++) {
          const difference = after[(row + dy) * columns + column + dx]! - before[row * columns + column]!;
          if (!Number.isNaN(difference)) differences.push(difference);
        }
      }
      if (differences.length < MIN_CELLS) continue;
      const exposure = median(differences);
      const change = 100 * median(differences.map((d) => Math.abs(d - exposure)));
      if (least === null || change < least) least = change;
    }
  }
  return least;
}
