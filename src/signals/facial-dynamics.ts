import { eyeOpening, mouthOpening } from '../faces/geometry.js';
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
