/** Pixel operations shared by the stages: sampling a rotated crop, luminance, sharpness. */

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** width × height × 3 bytes, row-major RGB. */
  readonly rgb: Uint8Array;
}

/** Maps an output pixel (u, v) to a source point: x = a·u + b·v + c, y = d·u + e·v + f. */
export interface Affine {
  readonly a: number; readonly b: number; readonly c: number;
  readonly d: number; readonly e: number; readonly f: number;
}

/**
 * A square crop of side `sidePx` (source pixels) centred on (cx, cy) and turned by `angleRad`,
 * resampled to `outSize` × `outSize`.
 */
export function cropTransform(cx: number, cy: number, sidePx: number, angleRad: number, outSize: number): Affine {
  const scale = sidePx / outSize;
  const cos = Math.cos(angleRad) * scale;
  const sin = Math.sin(angleRad) * scale;
  const half = outSize / 2;
  return { a: cos, b: -sin, c: cx - cos * half + sin * half, d: sin, e: cos, f: cy - sin * half - cos * half };
}

export function applyAffine(t: Affine, u: number, v: number): [number, number] {
  return [t.a * u + t.b * v + t.c, t.d * u + t.e * v + t.f];
}

/**
 * Bilinear resampling through `transform` into a float RGB buffer, each value mapped by
 * `value * gain + offset` (for a model's input range). Points outside the image read as black.
 */
export function sampleToFloat(image: RgbImage, transform: Affine, outWidth: number, outHeight: number, gain: number, offset: number): Float32Array {
  const out = new Float32Array(outWidth * outHeight * 3);
  const { width, height, rgb } = image;
  const stride = width * 3;
  let o = 0;
  for (let v = 0; v < outHeight; v++) {
    for (let u = 0; u < outWidth; u++) {
      const x = transform.a * (u + 0.5) + transform.b * (v + 0.5) + transform.c - 0.5;
      const y = transform.d * (u + 0.5) + transform.e * (v + 0.5) + transform.f - 0.5;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const fx = x - x0;
      const fy = y - y0;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height) {
        // The common case, inside the image: read the four neighbours directly.
        const i = y0 * stride + x0 * 3;
        for (let ch = 0; ch < 3; ch++) {
          const value = rgb[i + ch]! * w00 + rgb[i + 3 + ch]! * w10 + rgb[i + stride + ch]! * w01 + rgb[i + stride + 3 + ch]! * w11;
          out[o++] = value * gain + offset;
        }
      } else {
        for (let ch = 0; ch < 3; ch++) {
          const value =
            pixel(rgb, width, height, x0, y0, ch) * w00 + pixel(rgb, width, height, x0 + 1, y0, ch) * w10 +
            pixel(rgb, width, height, x0, y0 + 1, ch) * w01 + pixel(rgb, width, height, x0 + 1, y0 + 1, ch) * w11;
          out[o++] = value * gain + offset;
        }
      }
    }
  }
  return out;
}

function pixel(rgb: Uint8Array, width: number, height: number, x: number, y: number, ch: number): number {
  if (x < 0 || y < 0 || x >= width || y >= height) return 0;
  return rgb[(y * width + x) * 3 + ch]!;
}

/** ITU-R BT.601 luma (0–255) of the RGB pixel that starts at `offset`. */
export function lumaAt(rgb: ArrayLike<number>, offset: number): number {
  return 0.299 * rgb[offset]! + 0.587 * rgb[offset + 1]! + 0.114 * rgb[offset + 2]!;
}

/** ITU-R BT.601 luma of a float RGB buffer in 0–255. */
export function lumaOf(rgb: Float32Array): Float32Array {
  const luma = new Float32Array(rgb.length / 3);
  for (let i = 0; i < luma.length; i++) luma[i] = lumaAt(rgb, i * 3);
  return luma;
}

/** Variance of the 4-neighbour Laplacian: the usual focus measure (Pech-Pacheco et al., ICPR 2000). */
export function laplacianVariance(luma: Float32Array, width: number, height: number): number {
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const lap = luma[i - 1]! + luma[i + 1]! + luma[i - width]! + luma[i + width]! - 4 * luma[i]!;
      sum += lap;
      sumSq += lap * lap;
      n++;
    }
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/** 3 × 3 box blur of an 8-bit image; at the border, the pixels that exist are averaged. */
export function boxBlur3(image: RgbImage): RgbImage {
  const { width, height, rgb } = image;
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        let n = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx, yy = y + dy;
            if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
            sum += rgb[(yy * width + xx) * 3 + c]!;
            n++;
          }
        }
        out[(y * width + x) * 3 + c] = Math.round(sum / n);
      }
    }
  }
  return { width, height, rgb: out };
}
