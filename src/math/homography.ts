import { symmetricEigen } from './eigen.js';

export type Point2 = readonly [number, number] | readonly [number, number, number];
/** Row-major 3×3. */
export type Matrix3 = readonly [number, number, number, number, number, number, number, number, number];

/**
 * The plane-to-plane projective transform that best maps `from` onto `to`: the normalised direct
 * linear transform (Hartley & Zisserman, Multiple View Geometry, 2nd ed., Algorithm 4.2).
 */
export function fitHomography(from: readonly Point2[], to: readonly Point2[]): Matrix3 {
  if (from.length !== to.length || from.length < 4) throw new Error('fitHomography needs at least 4 point pairs');
  const tFrom = normalisingTransform(from);
  const tTo = normalisingTransform(to);
  const normal = Array.from({ length: 9 }, () => new Array<number>(9).fill(0));
  const addRow = (row: number[]) => {
    for (let i = 0; i < 9; i++) for (let j = i; j < 9; j++) normal[i]![j]! += row[i]! * row[j]!;
  };
  for (let k = 0; k < from.length; k++) {
    const [x, y] = applyTransform(tFrom, from[k]!);
    const [u, v] = applyTransform(tTo, to[k]!);
    addRow([-x, -y, -1, 0, 0, 0, u * x, u * y, u]);
    addRow([0, 0, 0, -x, -y, -1, v * x, v * y, v]);
  }
  for (let i = 0; i < 9; i++) for (let j = 0; j < i; j++) normal[i]![j] = normal[j]![i]!;
  const { values, vectors } = symmetricEigen(normal);
  const smallest = values.indexOf(Math.min(...values));
  const h = vectors[smallest]! as unknown as Matrix3;
  return multiply(multiply(invertSimilarity(tTo), h), tFrom);
}

export function applyTransform(h: Matrix3, p: Point2): [number, number] {
  const w = h[6] * p[0] + h[7] * p[1] + h[8];
  return [(h[0] * p[0] + h[1] * p[1] + h[2]) / w, (h[3] * p[0] + h[4] * p[1] + h[5]) / w];
}

/** Root-mean-square distance between `to` and `from` mapped through `h`. */
export function transferRms(h: Matrix3, from: readonly Point2[], to: readonly Point2[]): number {
  let sum = 0;
  for (let k = 0; k < from.length; k++) {
    const [x, y] = applyTransform(h, from[k]!);
    sum += (x - to[k]![0]) ** 2 + (y - to[k]![1]) ** 2;
  }
  return Math.sqrt(sum / from.length);
}

/** Moves the centroid to the origin and scales the mean distance from it to √2. */
function normalisingTransform(points: readonly Point2[]): Matrix3 {
  let cx = 0, cy = 0;
  for (const p of points) { cx += p[0]; cy += p[1]; }
  cx /= points.length; cy /= points.length;
  let meanDistance = 0;
  for (const p of points) meanDistance += Math.hypot(p[0] - cx, p[1] - cy);
  meanDistance /= points.length;
  const s = meanDistance > 0 ? Math.SQRT2 / meanDistance : 1;
  return [s, 0, -s * cx, 0, s, -s * cy, 0, 0, 1];
}

function invertSimilarity(t: Matrix3): Matrix3 {
  const s = t[0];
  return [1 / s, 0, -t[2] / s, 0, 1 / s, -t[5] / s, 0, 0, 1];
}

function multiply(p: Matrix3, q: Matrix3): Matrix3 {
  const r: number[] = [];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) r.push(p[i * 3]! * q[j]! + p[i * 3 + 1]! * q[3 + j]! + p[i * 3 + 2]! * q[6 + j]!);
  return r as unknown as Matrix3;
}
