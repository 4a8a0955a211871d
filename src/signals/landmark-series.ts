/** Helpers over a time series of face meshes, shared by the temporal signals. */
import { interocularPx } from '../faces/geometry.js';
import type { TrackedFace } from '../faces/index.js';

export { median, quantile } from '../math/stats.js';

/** Mean landmark displacement between two faces, in interocular distances. */
export function meanDisplacement(p: TrackedFace, q: TrackedFace): number {
  let sum = 0;
  for (let i = 0; i < p.mesh.length; i++) sum += Math.hypot(p.mesh[i]![0] - q.mesh[i]![0], p.mesh[i]![1] - q.mesh[i]![1]);
  return sum / p.mesh.length / ((interocularPx(p.mesh) + interocularPx(q.mesh)) / 2);
}

/** Every pair (i, j) with i < j. */
export function pairs(count: number): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) for (let j = i + 1; j < count; j++) result.push([i, j]);
  return result;
}

export function round(value: number, digits = 5): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
