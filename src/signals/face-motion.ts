import { meanDisplacement, median, quantile, round } from './landmark-series.js';
import type { Signal } from './types.js';

/**
 * How much the face moves between consecutive frames, in interocular distances per frame step.
 * A living person never holds perfectly still (head sway, breathing, blinks); a still photo looped
 * as a video, or held on a stand, gives the same landmarks frame after frame.
 */
export const faceMotion: Signal = {
  name: 'face_motion',
  description: 'Median landmark displacement between consecutive frames, in interocular distances. Near 0 for a looped or fixed still.',
  appliesTo: { modes: ['video', 'frames'], minFrames: 3 },
  compute({ faces }) {
    const steps: number[] = [];
    for (let i = 1; i < faces.length; i++) steps.push(meanDisplacement(faces[i - 1]!, faces[i]!));
    return { value: round(median(steps)), details: { p90: round(quantile(steps, 0.9)), max: round(Math.max(...steps)), steps: steps.length } };
  },
};
