/** A small RGB raster: lines, dots, rectangles and 5×7 text, enough for labelled charts. */
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './font.js';
import { encodePng } from './png.js';

export type Colour = readonly [number, number, number];

export class Canvas {
  readonly rgb: Uint8Array;

  constructor(readonly width: number, readonly height: number, background: Colour = [255, 255, 255]) {
    this.rgb = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) this.rgb.set(background, i * 3);
  }

  setPixel(x: number, y: number, colour: Colour): void {
    const px = Math.round(x);
    const py = Math.round(y);
    if (px < 0 || py < 0 || px >= this.width || py >= this.height) return;
    this.rgb.set(colour, (py * this.width + px) * 3);
  }

  fillRect(x: number, y: number, w: number, h: number, colour: Colour): void {
    for (let dy = 0; dy < h; dy++) for (let dx = 0; dx < w; dx++) this.setPixel(x + dx, y + dy, colour);
  }

  /** A line of the given thickness, by stepping along its longer axis. */
  line(x0: number, y0: number, x1: number, y1: number, colour: Colour, thickness = 1): void {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    const half = Math.floor(thickness / 2);
    for (let s = 0; s <= steps; s++) {
      const x = x0 + ((x1 - x0) * s) / steps;
      const y = y0 + ((y1 - y0) * s) / steps;
      this.fillRect(Math.round(x) - half, Math.round(y) - half, thickness, thickness, colour);
    }
  }

  /** Text with its top-left corner at (x, y); `scale` enlarges each font pixel. */
  text(x: number, y: number, value: string, colour: Colour, scale = 2): void {
    [...value].forEach((ch, i) => {
      glyph(ch).forEach((row, r) => {
        for (let c = 0; c < GLYPH_WIDTH; c++) {
          if (row & (1 << (GLYPH_WIDTH - 1 - c))) this.fillRect(x + (i * (GLYPH_WIDTH + 1) + c) * scale, y + r * scale, scale, scale, colour);
        }
      });
    });
  }

  /** Text turned 90° anticlockwise, reading bottom to top, starting at (x, y). */
  textVertical(x: number, y: number, value: string, colour: Colour, scale = 2): void {
    [...value].forEach((ch, i) => {
      glyph(ch).forEach((row, r) => {
        for (let c = 0; c < GLYPH_WIDTH; c++) {
          if (row & (1 << (GLYPH_WIDTH - 1 - c))) this.fillRect(x + r * scale, y - (i * (GLYPH_WIDTH + 1) + c) * scale, scale, scale, colour);
        }
      });
    });
  }

  static textWidth(value: string, scale = 2): number {
    return value.length * (GLYPH_WIDTH + 1) * scale;
  }

  static get textHeight(): number {
    return GLYPH_HEIGHT;
  }

  toPng(): Buffer {
    return encodePng(this.width, this.height, this.rgb);
  }
}
