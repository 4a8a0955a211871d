/**
 * A printed photo held bent in an arc (a sheet curved between the fingers) and moved by hand before
 * the camera. The sheet is a cylinder in 3-D, turned, tilted, rolled, shifted and brought closer, its
 * bend flexing as it moves, seen through a pinhole camera: so, unlike the `print` species (the bend
 * drawn into a picture that then moves as one plane), a turn shows the cylinder's own parallax, as a
 * real bent print does. Every pixel is traced as a ray to the cylinder (2 × 2 rays, averaged) and
 * shaded by the angle its surface turns from the camera.
 *
 * Not modelled: fingers on the sheet, a bend that is not about one axis (a crease, a corner folding),
 * the sheet's shadow on the room.
 */
import type { RgbImage } from '../imaging/index.js';

/** One frame's placement of the sheet. Angles in radians; `x`, `y`, `distance` in sheet widths. */
export interface SheetPose {
  readonly yaw: number;
  readonly pitch: number;
  readonly roll: number;
  readonly x: number;
  readonly y: number;
  readonly distance: number;
  /** Half the angle the bent sheet subtends about its vertical axis: 0 flat; positive bulges towards the camera. */
  readonly arc: number;
}

/** The camera's focal length in widths of the frame (a webcam's 53° across). */
const FOCAL = 1;
/** At rest the sheet spans this share of the frame's width. */
const SHEET_SHARE = 0.62;

/**
 * A hand's motion over `frames` frames at `fps`: each part of the pose a sine of its own period
 * (2–4 s) and phase; the bend (half-angle 0.3–0.8 rad, either way) flexes by up to 0.15 rad.
 */
export function handHeldPoses(random: () => number, frames: number, fps: number): SheetPose[] {
  const wave = (amplitude: number) => {
    const size = amplitude * (0.6 + 0.4 * random());
    const period = (2 + 2 * random()) * fps;
    const phase = random() * 2 * Math.PI;
    return (i: number) => size * Math.sin((2 * Math.PI * i) / period + phase);
  };
  const restDistance = FOCAL / SHEET_SHARE;
  const bend = (random() < 0.5 ? -1 : 1) * (0.3 + 0.5 * random());
  const [yaw, pitch, roll, x, y, closer, flex] = [wave(0.4), wave(0.2), wave(0.2), wave(0.1 * restDistance), wave(0.06 * restDistance), wave(0.08), wave(0.15)];
  return Array.from({ length: frames }, (_, i) => ({
    yaw: yaw(i), pitch: pitch(i), roll: roll(i), x: x(i), y: y(i),
    distance: restDistance * (1 + closer(i)),
    arc: bend + flex(i) * Math.sign(bend),
  }));
}

/** `room` with `print` on a bent sheet placed at `pose` before it. */
export function renderBentSheet(room: RgbImage, print: RgbImage, pose: SheetPose): RgbImage {
  const { width, height } = room;
  const rgb = new Uint8Array(room.rgb);
  const focal = FOCAL * width;
  const sheetHeight = print.height / print.width; // the sheet is 1 wide
  const curvature = 2 * pose.arc; // from the centre line to either edge (½ a width) it turns through `arc`
  const rotation = rotationMatrix(pose);
  const centre: Vec3 = [pose.x, pose.y, pose.distance];
  // The ray x = t·d meets the sheet where R⁻¹(t·d − c) lies on it: t·a − b, a = Rᵀd, b = Rᵀc.
  const b = transposeTimes(rotation, centre);
  const hit = (px: number, py: number): [number, number, number] | null => {
    const d: Vec3 = [(px - width / 2) / focal, (py - height / 2) / focal, 1];
    const seen = sheetPointOnRay(transposeTimes(rotation, d), b, curvature, sheetHeight);
    if (!seen) return null;
    // The surface normal turns by `angle` about the vertical; the light comes with the camera.
    const normal = times(rotation, [Math.sin(seen.angle), 0, -Math.cos(seen.angle)]);
    const facing = Math.abs(normal[0] * d[0] + normal[1] * d[1] + normal[2] * d[2]) / Math.hypot(...d);
    return [(seen.u + 0.5) * (print.width - 1), (seen.v / sheetHeight + 0.5) * (print.height - 1), 0.6 + 0.4 * facing];
  };
  const [x0, y0, x1, y1] = sheetBounds(rotation, centre, curvature, sheetHeight, focal, width, height);
  for (let py = y0; py <= y1; py++) {
    for (let px = x0; px <= x1; px++) {
      const sum = [0, 0, 0];
      let rays = 0;
      for (const [dx, dy] of [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]] as const) {
        const seen = hit(px + dx, py + dy);
        if (!seen) continue;
        const from = (Math.round(seen[1]) * print.width + Math.round(seen[0])) * 3;
        for (let c = 0; c < 3; c++) sum[c]! += print.rgb[from + c]! * seen[2];
        rays++;
      }
      if (rays === 0) continue;
      const to = (py * width + px) * 3;
      // Rays that miss the sheet see the room: the sheet's edge is blended as a lens would.
      for (let c = 0; c < 3; c++) rgb[to + c] = Math.round((sum[c]! + room.rgb[to + c]! * (4 - rays)) / 4);
    }
  }
  return { width, height, rgb };
}

type Vec3 = readonly [number, number, number];
type Mat3 = readonly [Vec3, Vec3, Vec3];

/**
 * The nearest point of the sheet on the ray t·a − b (t > 0), in the sheet's own terms: `u` along it
 * (−½…½), `v` down it, `angle` its surface turns by there. The sheet lies on the cylinder
 * k(x² + z²) = 2z (radius 1/k about the vertical through (0, 0, 1/k), touching z = 0 along the sheet's
 * centre line; k = 0 is the plane z = 0), within `arc` of that line. Null where the ray misses it.
 */
function sheetPointOnRay(a: Vec3, b: Vec3, k: number, sheetHeight: number): { u: number; v: number; angle: number } | null {
  const qa = k * (a[0] * a[0] + a[2] * a[2]);
  const qb = -2 * k * (a[0] * b[0] + a[2] * b[2]) - 2 * a[2];
  const qc = k * (b[0] * b[0] + b[2] * b[2]) + 2 * b[2];
  let crossings: number[];
  if (Math.abs(qa) < 1e-12) crossings = Math.abs(qb) < 1e-12 ? [] : [-qc / qb];
  else {
    const discriminant = qb * qb - 4 * qa * qc;
    if (discriminant < 0) return null;
    const root = Math.sqrt(discriminant);
    crossings = [(-qb - root) / (2 * qa), (-qb + root) / (2 * qa)].sort((p, q) => p - q);
  }
  for (const t of crossings) {
    if (t <= 1e-9) continue;
    const [x, y, z] = [t * a[0] - b[0], t * a[1] - b[1], t * a[2] - b[2]];
    if (Math.abs(y) > sheetHeight / 2 || k * z >= 1) continue; // off the sheet's height, or the cylinder's far half
    const angle = Math.abs(k) < 1e-9 ? 0 : Math.atan2(k * x, 1 - k * z);
    const u = Math.abs(k) < 1e-9 ? x : angle / k;
    if (Math.abs(u) <= 0.5) return { u, v: y, angle };
  }
  return null;
}

/** Yaw about the vertical, then pitch about the horizontal, then roll about the line of sight. */
function rotationMatrix(pose: SheetPose): Mat3 {
  const [cy, sy, cp, sp, cr, sr] = [Math.cos(pose.yaw), Math.sin(pose.yaw), Math.cos(pose.pitch), Math.sin(pose.pitch), Math.cos(pose.roll), Math.sin(pose.roll)];
  const yaw: Mat3 = [[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]];
  const pitch: Mat3 = [[1, 0, 0], [0, cp, -sp], [0, sp, cp]];
  const roll: Mat3 = [[cr, -sr, 0], [sr, cr, 0], [0, 0, 1]];
  return product(roll, product(pitch, yaw));
}

/** p·q: row i of the product is qᵀ times row i of p. */
function product(p: Mat3, q: Mat3): Mat3 {
  return [transposeTimes(q, p[0]), transposeTimes(q, p[1]), transposeTimes(q, p[2])];
}

function times(m: Mat3, v: Vec3): Vec3 {
  return [m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2], m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2], m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2]];
}

function transposeTimes(m: Mat3, v: Vec3): Vec3 {
  return [m[0][0] * v[0] + m[1][0] * v[1] + m[2][0] * v[2], m[0][1] * v[0] + m[1][1] * v[1] + m[2][1] * v[2], m[0][2] * v[0] + m[1][2] * v[1] + m[2][2] * v[2]];
}

/** The pixels the sheet can cover: its outline, sampled and projected, plus a pixel all round. */
function sheetBounds(rotation: Mat3, centre: Vec3, k: number, sheetHeight: number, focal: number, width: number, height: number): [number, number, number, number] {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i <= 16; i++) {
    const u = i / 16 - 0.5;
    const local: [number, number] = Math.abs(k) < 1e-9 ? [u, 0] : [Math.sin(k * u) / k, (1 - Math.cos(k * u)) / k];
    for (const v of [-sheetHeight / 2, sheetHeight / 2]) {
      const p = times(rotation, [local[0], v, local[1]]);
      const z = p[2] + centre[2];
      xs.push(((p[0] + centre[0]) / z) * focal + width / 2);
      ys.push(((p[1] + centre[1]) / z) * focal + height / 2);
    }
  }
  const clip = (value: number, max: number) => Math.max(0, Math.min(max - 1, value));
  return [
    clip(Math.floor(Math.min(...xs)) - 1, width), clip(Math.floor(Math.min(...ys)) - 1, height),
    clip(Math.ceil(Math.max(...xs)) + 1, width), clip(Math.ceil(Math.max(...ys)) + 1, height),
  ];
}
