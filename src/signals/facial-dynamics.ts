import { eyeOpening, eyeOpenings, mouthOpening } from '../faces/geometry.js';
import { pearson } from '../math/stats.js';
import { median, quantile, round } from './landmark-series.js';
import type { Signal } from './types.js';

/**
 * Blinks: the range of eye opening over the frames, relative to its median. People blink every
 * 2–10 s and the lids move in between; the eyes of a photo keep one shape. The opening is divided
 * by the eyes-to-mouth distance, so tilting a flat photo does not change it.
 */
export const eyeDynamics: Signal = {
  name: 'eye_dynamics',
  description: 'Range (5th to 95th percentile) of eye opening over the frames, relative to its median. Near 0 for a photo.',
  appliesTo: { modes: ['video', 'frames'], minFrames: 3 },
  compute({ faces }) {
    const openings = faces.map((f) => eyeOpening(f.mesh));
    const middle = median(openings);
    const spread = quantile(openings, 0.95) - quantile(openings, 0.05);
    return { value: round(middle > 0 ? spread / middle : 0), details: { medianOpening: round(middle), minOpening: round(Math.min(...openings)) } };
  },
};

/**
 * Whether the two eyes open and close together. A person's lids move as one — a blink closes both
 * eyes at once, a glance down lowers both upper lids — so the two openings rise and fall together
 * over the frames; on a photo, a screen's recapture or paper over the eyes, what changes between
 * frames is the landmark model's own error, separate for each eye. The correlation is scale-free,
 * so a blink counts however small the eyes are. Where the lids hardly move, what little the landmarks
 * vary is mostly common to both eyes (the whole mesh scales with its crop), so a still face, or a
 * looped still, can read high too: `face_motion` and the other signals decide those.
 */
export const eyeSync: Signal = {
  name: 'eye_sync',
  description: 'Correlation (Pearson) of the right and left eye openings over the frames, −1 to 1. High when the eyes blink together; near 0 when each eye\'s opening varies on its own, as landmark error on a picture does.',
  appliesTo: { modes: ['video', 'frames'], minFrames: 3 },
  compute({ faces }) {
    const openings = faces.map((f) => eyeOpenings(f.mesh));
    const right = openings.map((o) => o.right);
    const left = openings.map((o) => o.left);
    // Lids that never move (to rounding) have nothing to correlate.
    const moves = (series: readonly number[]) => Math.max(...series) - Math.min(...series) > 1e-9 * Math.max(...series);
    return { value: moves(right) && moves(left) ? round(pearson(right, left)) : 0, details: {} };
  },
};

/** Speech and expression: the range of the lip gap over the frames. A photo's mouth does not move. */
export const mouthDynamics: Signal = {
  name: 'mouth_dynamics',
  description: 'Range (5th to 95th percentile) of the lip gap over the frames, relative to the eyes-to-mouth distance. Near 0 for a photo.',
  appliesTo: { modes: ['video', 'frames'], minFrames: 3 },
  compute({ faces }) {
    const openings = faces.map((f) => mouthOpening(f.mesh));
    return { value: round(quantile(openings, 0.95) - quantile(openings, 0.05)), details: { medianOpening: round(median(openings)) } };
  },
};
