/**
 * What a camera sees when the face is a print or a screen, rendered from a bona fide still:
 * - print: paper's limited dynamic range and gamut, an ordered-dither halftone (ink dots) with ink
 *   spread, low-frequency paper texture, and a bend about the vertical axis with its shading;
 * - screen: the RGB sub-pixel grid (the camera's resampling of it gives moiré), the screen's gamma,
 *   saturation and white point, a glare highlight, and (half the time) a bezel of the device's size.
 * Every random choice comes from the seeded generator passed in.
 */
import { boxBlur3, type RgbImage } from '../imaging/index.js';

export type ScreenDevice = 'phone' | 'tablet' | 'monitor';

/** Bayer 4×4 ordered-dither thresholds (0–15). */
const BAYER4 = [0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5];

export function renderPrint(image: RgbImage, random: () => number): RgbImage {
  const printed = printOnPaper(image, random);
  return bendSheet(printed, (random() - 0.5) * 0.5);
}

/** The picture printed flat on paper, at twice its resolution: halftone dots, ink spread, paper texture. */
export function printOnPaper(image: RgbImage, random: () => number): RgbImage {
  const dot = 2; // halftone cell, in output pixels, after doubling the resolution
  const width = image.width * 2;
  const height = image.height * 2;
  const paperWhite = 225 + random() * 20;
  const inkBlack = 25 + random() * 20;
  const saturation = 0.7 + random() * 0.2;
  const texture = valueNoise(width, height, 24 + random() * 24, random);
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const source = ((y >> 1) * image.width + (x >> 1)) * 3;
      const r = image.rgb[source]!, g = image.rgb[source + 1]!, b = image.rgb[source + 2]!;
      const grey = 0.299 * r + 0.587 * g + 0.114 * b;
      const threshold = (BAYER4[((y / dot) & 3) * 4 + ((x / dot) & 3)]! + 0.5) / 16;
      for (let c = 0; c < 3; c++) {
        const value = grey + ([r, g, b][c]! - grey) * saturation;
        // Each ink channel is either on or off at this dot, as a halftone prints it.
        const level = value / 255 > threshold ? 1 : value / 255 > threshold * 0.6 ? 0.5 : 0;
        rgb[(y * width + x) * 3 + c] = clamp(inkBlack + (paperWhite - inkBlack) * level + texture[y * width + x]! * 6);
      }
    }
  }
  return boxBlur3({ width, height, rgb }); // ink spreading into paper
}

/**
 * A sheet bent about its vertical axis, seen from the front: columns are compressed towards the
 * edges as on a cylinder of curvature `bend` (0 flat, ±0.25 strong), and shaded by the angle they
 * turn away from the light.
 */
export function bendSheet(image: RgbImage, bend: number): RgbImage {
  if (Math.abs(bend) < 1e-3) return image;
  const { width, height } = image;
  const rgb = new Uint8Array(width * height * 3).fill(0);
  const arc = Math.PI * Math.abs(bend); // half the angle the sheet subtends
  const half = width / 2;
  for (let x = 0; x < width; x++) {
    // Output column x shows the sheet point whose projection lands here: u = θ/arc along the sheet.
    const projected = (x - half) / half; // −1…1 across the projected width
    const theta = Math.asin(Math.max(-1, Math.min(1, projected * Math.sin(arc))));
    const u = theta / arc; // −1…1 along the sheet
    const sourceX = Math.round(half + u * half);
    const shade = 0.75 + 0.25 * Math.cos(theta) * (bend > 0 ? 1 : Math.cos(theta));
    for (let y = 0; y < height; y++) {
      const from = (y * width + Math.min(width - 1, Math.max(0, sourceX))) * 3;
      const to = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) rgb[to + c] = Math.round(image.rgb[from + c]! * shade);
    }
  }
  return { width, height, rgb };
}

/** `fillsView`: the screen fills the camera's view, so no bezel shows whatever the draw. */
export function renderScreen(image: RgbImage, device: ScreenDevice, random: () => number, options: { readonly fillsView?: boolean } = {}): RgbImage {
  const pitch = 3; // each source pixel becomes one R, G and B stripe
  const contentWidth = image.width * pitch;
  const contentHeight = image.height * pitch;
  // Half of the replays show the device's bezel; in the others the screen fills the camera's view.
  // The draw is made either way, so that `fillsView` leaves the rest of the screen as it was.
  const drawn = random() < 0.5 ? { phone: [0.05, 0.1], tablet: [0.06, 0.06], monitor: [0.03, 0.05] }[device] : [0, 0];
  const bezel = options.fillsView ? [0, 0] : drawn;
  const padX = Math.round(contentWidth * bezel[0]!);
  const padY = Math.round(contentHeight * bezel[1]!);
  const width = contentWidth + 2 * padX;
  const height = contentHeight + 2 * padY;
  const gamma = 0.8 + random() * 0.4;
  const saturation = 1.1 + random() * 0.3;
  const white = [0.92 + random() * 0.05, 0.95 + random() * 0.05, 1] as const; // screens run bluish
  const glare = { x: random() * width, y: random() * height, radius: (0.15 + random() * 0.25) * width, strength: 40 + random() * 60 };
  const rgb = new Uint8Array(width * height * 3).fill(18); // the bezel
  for (let y = 0; y < contentHeight; y++) {
    for (let x = 0; x < contentWidth; x++) {
      const source = (Math.floor(y / pitch) * image.width + Math.floor(x / pitch)) * 3;
      const r = image.rgb[source]!, g = image.rgb[source + 1]!, b = image.rgb[source + 2]!;
      const grey = 0.299 * r + 0.587 * g + 0.114 * b;
      const lit = x % pitch; // which sub-pixel this column is
      const ox = x + padX;
      const oy = y + padY;
      const glow = glare.strength * Math.exp(-((ox - glare.x) ** 2 + (oy - glare.y) ** 2) / (2 * glare.radius ** 2));
      for (let c = 0; c < 3; c++) {
        const value = 255 * ((grey + ([r, g, b][c]! - grey) * saturation) / 255) ** gamma * white[c]!;
        const emitted = c === lit ? value : value * 0.12; // neighbouring sub-pixels leak a little
        rgb[(oy * width + ox) * 3 + c] = clamp(emitted + glow);
      }
    }
  }
  return { width, height, rgb };
}

/** Smooth noise in −1…1 with features about `scale` pixels across (bilinear value noise). */
function valueNoise(width: number, height: number, scale: number, random: () => number): Float32Array {
  const gx = Math.ceil(width / scale) + 2;
  const gy = Math.ceil(height / scale) + 2;
  const grid = Float32Array.from({ length: gx * gy }, () => random() * 2 - 1);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const fx = x / scale, fy = y / scale;
      const x0 = Math.floor(fx), y0 = Math.floor(fy);
      const tx = fx - x0, ty = fy - y0;
      const at = (i: number, j: number) => grid[j * gx + i]!;
      out[y * width + x] = (at(x0, y0) * (1 - tx) + at(x0 + 1, y0) * tx) * (1 - ty) + (at(x0, y0 + 1) * (1 - tx) + at(x0 + 1, y0 + 1) * tx) * ty;
    }
  }
  return out;
}

function clamp(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}
