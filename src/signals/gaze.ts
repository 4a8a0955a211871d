import type { TrackedFace } from '../faces/index.js';
import { MESH } from '../faces/index.js';
import { median, quantile, round } from './landmark-series.js';
import type { Signal } from './types.js';

/**
 * Whether the eyes turn in their sockets: the range of the iris's position between the eye corners
 * over the frames. The irises of a print or a photo on a screen are printed in place, so against the
 * corners they stay put however the picture is moved or bent; what varies is the iris model's own
 * error. A living eye never holds still: it makes small saccades while it fixates, and when the head
 * turns while the person keeps looking at the screen it counter-rotates (the vestibulo-ocular
 * reflex), so the iris slides along the eye by a few per cent of its width. A video replay or a mask
 * with eye holes shows real eyes and reads live here: the other signals must catch those.
 */
export const gazeRange: Signal = {
  name: 'gaze_range',
  description: 'Range (5th to 95th percentile) over the frames of the irises\' mean position along the eye, corner to corner (0 to 1). Near the iris model\'s own jitter for a printed or displayed face, whose eyes cannot turn.',
  appliesTo: { modes: ['video', 'frames'], minFrames: 3 },
  compute({ faces }) {
    const right = faces.map((f) => alongEye(f, 'right'));
    const left = faces.map((f) => alongEye(f, 'left'));
    const mean = right.map((r, i) => (r + left[i]!) / 2);
    const range = (series: readonly number[]) => quantile(series, 0.95) - quantile(series, 0.05);
    return { value: round(range(mean)), details: { medianPosition: round(median(mean)), rightRange: round(range(right)), leftRange: round(range(left)) } };
  },
};

/**
 * The iris centre projected on the line from the eye's image-left corner to its image-right one:
 * 0 at the first, 1 at the second, whatever the face's size or roll.
 */
function alongEye(face: TrackedFace, eye: 'right' | 'left'): number {
  const [a, b] = eye === 'right' ? [MESH.rightEyeOuter, MESH.rightEyeInner] : [MESH.leftEyeInner, MESH.leftEyeOuter];
  const p = face.mesh[a]!;
  const q = face.mesh[b]!;
  const iris = face.irises[eye];
  const dx = q[0] - p[0];
  const dy = q[1] - p[1];
  return ((iris[0] - p[0]) * dx + (iris[1] - p[1]) * dy) / Math.max(1e-9, dx * dx + dy * dy);
}
