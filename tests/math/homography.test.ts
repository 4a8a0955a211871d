import assert from 'node:assert/strict';
import { test } from 'node:test';
import { symmetricEigen } from '../../src/math/eigen.js';
import { applyTransform, fitHomography, transferRms, type Matrix3 } from '../../src/math/homography.js';
import { seededRandom } from '../../src/synth/still-attacks.js';

test('symmetricEigen recovers a known decomposition', () => {
  const { values, vectors } = symmetricEigen([[2, 1], [1, 2]]);
  const sorted = [...values].sort((p, q) => p - q);
  assert.ok(Math.abs(sorted[0]! - 1) < 1e-12 && Math.abs(sorted[1]! - 3) < 1e-12);
  const v = vectors[values.indexOf(sorted[0]!)]!;
  assert.ok(Math.abs(Math.abs(v[0]!) - Math.SQRT1_2) < 1e-9 && Math.abs(v[0]! + v[1]!) < 1e-9);
});

test('fitHomography recovers a projective map from its points within 1e-6 px', () => {
  const random = seededRandom(7);
  const truth: Matrix3 = [1.1, 0.2, 5, -0.1, 0.9, 3, 0.001, 0.0005, 1];
  const from = Array.from({ length: 60 }, () => [random() * 400, random() * 300] as [number, number]);
  const to = from.map((p) => applyTransform(truth, p));
  const h = fitHomography(from, to);
  assert.ok(transferRms(h, from, to) < 1e-6);
  const scale = h[8];
  truth.forEach((value, i) => assert.ok(Math.abs(h[i]! / scale - value) < 1e-6, `entry ${i}`));
});

test('points off a plane leave a residual that a plane does not', () => {
  const random = seededRandom(3);
  // A "head": points with depth, turned 10° about the vertical axis and projected by a pinhole camera.
  const head = Array.from({ length: 100 }, () => [random() * 2 - 1, random() * 2 - 1, random() * 0.8] as const);
  const project = (points: typeof head, yaw: number) =>
    points.map(([x, y, z]) => {
      const xr = x * Math.cos(yaw) + z * Math.sin(yaw);
      const zr = -x * Math.sin(yaw) + z * Math.cos(yaw) + 6;
      return [(500 * xr) / zr, (500 * y) / zr] as [number, number];
    });
  const flat = head.map(([x, y]) => [x, y, 0] as const);
  const rms = (points: typeof head) => transferRms(fitHomography(project(points, 0), project(points, 0.17)), project(points, 0), project(points, 0.17));
  assert.ok(rms(flat) < 1e-6, `flat residual ${rms(flat)}`);
  assert.ok(rms(head) > 0.5, `3-D residual ${rms(head)}`);
});
