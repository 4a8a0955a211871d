import { interocularPx } from '../faces/geometry.js';
import { applyTransform, fitHomography } from '../math/homography.js';
import { median, pairs, quantile, round } from './landmark-series.js';
import type { Signal } from './types.js';

/**
 * How far the face's motion is from that of a flat sheet. The landmarks of a photo or screen,
 * however it is moved, tilted or zoomed, follow one homography (a plane seen by a pinhole camera);
 * a living head shows parallax between nose, eyes and cheeks when it turns, and moves non-rigidly
 * (blinks, mouth, expression). For every pair of frames we fit the best homography to the 468
 * landmarks and take the 90th-percentile point error left over, in interocular distances.
 */
export const planarFit: Signal = {
  name: 'planar_fit_residual',
  description: 'Landmark error left after fitting one homography between frames (90th percentile of points, in interocular distances). Near landmark noise for a flat photo or screen.',
  appliesTo: { modes: ['video', 'frames'], minFrames: 3 },
  compute({ faces }) {
    const residuals = pairs(faces.length).map(([i, j]) => {
      const from = faces[i]!.mesh;
      const to = faces[j]!.mesh;
      const h = fitHomography(from, to);
      const errors = from.map((p, k) => {
        const [x, y] = applyTransform(h, p);
        return Math.hypot(x - to[k]![0], y - to[k]![1]);
      });
      return quantile(errors, 0.9) / interocularPx(to);
    });
    return {
      value: round(quantile(residuals, 0.75)),
      details: { median: round(median(residuals)), max: round(Math.max(...residuals)), pairs: residuals.length },
    };
  },
};
