/**
 * Whether a video or a frame array shows one person throughout. The signals read the changes between
 * frames as one head moving; a clip that shows one face and then another (a person who lifts a
 * photo or a phone with someone else's face before their own partway through, or two recordings
 * spliced together) gives them two faces' differences, which look like life: 3 s of franck.mp4
 * followed by 3 s of another man's photo moved by hand were accepted as live at 0.99, the photo alone
 * rejected at 0.04 (`models/README.md`, "One person throughout").
 *
 * The check describes the face in up to `MAX_DESCRIBED` usable frames spread over the sequence
 * (`faces/identity.ts`) and, at every point where the sequence could change person, compares the
 * mean descriptor of the frames before with that of the frames after. Averaging over each side keeps
 * one frame's blur, pose or expression from deciding; the lowest of these similarities is the
 * report's value.
 */
export interface OnePersonOptions {
  /**
   * Least cosine similarity between the mean face descriptors before and after any point of the
   * sequence. Measured on the bench (`scripts/one-person-check.ts`): see `DEFAULT_CONFIG`.
   */
  readonly minIdentitySimilarity: number;
}

export interface OnePersonReport {
  /** The frames whose faces were described and compared (indices into the decoded frames). */
  readonly describedFrames: readonly number[];
  /** The lowest similarity of the frames before a point to those after it; null with too few frames to compare. */
  readonly lowestSimilarity: number | null;
  /** The last described frame before the point where that similarity is lowest; null with it. */
  readonly changeAfterFrame: number | null;
  /** Why the frames are not taken to show one person; null when they are (or too few to tell). */
  readonly failure: string | null;
}

/** Faces described per analysis: at about 75 ms a face on two cores, 8 cost about 0.6 s. */
export const MAX_DESCRIBED = 8;
/** Fewest frames on each side of a change: one frame alone (a blink, a blur) never decides. */
export const MIN_FRAMES_PER_SIDE = 2;

/** The indices of up to `count` of `indices`, spread evenly from the first to the last. */
export function spreadPick(indices: readonly number[], count: number): number[] {
  if (indices.length <= count) return [...indices];
  return Array.from({ length: count }, (_, k) => indices[Math.round((k * (indices.length - 1)) / (count - 1))]!);
}

/**
 * Compares the described frames' faces. `descriptors[k]` is the unit-length descriptor of the face in
 * frame `frameIndices[k]`, in the sequence's order.
 */
export function checkOnePerson(frameIndices: readonly number[], descriptors: readonly Float32Array[], options: OnePersonOptions): OnePersonReport {
  const n = descriptors.length;
  if (n < 2 * MIN_FRAMES_PER_SIDE) return { describedFrames: frameIndices, lowestSimilarity: null, changeAfterFrame: null, failure: null };
  const length = descriptors[0]!.length;
  const total = new Float64Array(length);
  for (const descriptor of descriptors) for (let j = 0; j < length; j++) total[j]! += descriptor[j]!;
  const before = new Float64Array(length);
  let lowest = Infinity;
  let changeAfter = -1;
  for (let k = 1; k <= n - MIN_FRAMES_PER_SIDE; k++) {
    const descriptor = descriptors[k - 1]!;
    for (let j = 0; j < length; j++) before[j]! += descriptor[j]!;
    if (k < MIN_FRAMES_PER_SIDE) continue;
    const similarity = cosine(before, total.map((sum, j) => sum - before[j]!));
    if (similarity < lowest) {
      lowest = similarity;
      changeAfter = k - 1;
    }
  }
  const lowestSimilarity = Math.round(lowest * 1000) / 1000;
  const changeAfterFrame = frameIndices[changeAfter]!;
  const failure =
    lowest < options.minIdentitySimilarity
      ? `The face changes partway through: the frames up to frame ${changeAfterFrame} and those after it look like two people (similarity ${lowestSimilarity}, below ${options.minIdentitySimilarity}). Only the person being checked should be in view, from the first frame to the last.`
      : null;
  return { describedFrames: frameIndices, lowestSimilarity, changeAfterFrame, failure };
}

function cosine(a: Float64Array, b: Float64Array): number {
  let dot = 0, aa = 0, bb = 0;
  for (let j = 0; j < a.length; j++) {
    dot += a[j]! * b[j]!;
    aa += a[j]! * a[j]!;
    bb += b[j]! * b[j]!;
  }
  return aa > 0 && bb > 0 ? dot / Math.sqrt(aa * bb) : 1;
}
