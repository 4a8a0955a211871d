/**
 * A room for a synthetic attack to be held up in: a wall with the straight edges real rooms have
 * (door frames, a window with its bars, shelves of books, a picture), drawn from the seeded generator.
 * A plain wall would make the border of a sheet or a phone the only straight edge in view, which no
 * real room does; here the room's edges stay put while the sheet moves, as they do before a camera on
 * a desk. Not modelled: the person holding the sheet, their hands, furniture in depth.
 */
import { boxBlur3, type RgbImage } from '../imaging/index.js';

type Colour = readonly [number, number, number];

export function renderRoom(width: number, height: number, random: () => number): RgbImage {
  const rgb = new Uint8Array(width * height * 3);
  const wall: Colour = tint(120 + random() * 90, random);
  // Light from above: the wall darkens by up to a quarter towards the floor.
  const falloff = 0.75 + random() * 0.2;
  for (let y = 0; y < height; y++) {
    const shade = 1 - (1 - falloff) * (y / height);
    const colour: Colour = [wall[0] * shade, wall[1] * shade, wall[2] * shade];
    for (let x = 0; x < width; x++) setPixel(rgb, width, x, y, colour);
  }
  const fill = (x: number, y: number, w: number, h: number, colour: Colour) => {
    for (let yy = Math.max(0, Math.round(y)); yy < Math.min(height, Math.round(y + h)); yy++) {
      for (let xx = Math.max(0, Math.round(x)); xx < Math.min(width, Math.round(x + w)); xx++) setPixel(rgb, width, xx, yy, colour);
    }
  };
  const frame = (x: number, y: number, w: number, h: number, thickness: number, colour: Colour) => {
    fill(x, y, w, thickness, colour);
    fill(x, y + h - thickness, w, thickness, colour);
    fill(x, y, thickness, h, colour);
    fill(x + w - thickness, y, thickness, h, colour);
  };
  const contrasting = () => tint(random() < 0.5 ? 30 + random() * 60 : 200 + random() * 50, random);

  // One or two doors, floor to near the ceiling, in their frames.
  for (let n = 0, doors = 1 + Math.floor(random() * 2); n < doors; n++) {
    const w = width * (0.16 + random() * 0.1);
    const x = random() * (width - w);
    const top = height * (0.05 + random() * 0.15);
    fill(x, top, w, height - top, tint(80 + random() * 120, random));
    frame(x, top, w, height - top, 4 + random() * 6, contrasting());
  }
  // A window with bars, half the time.
  if (random() < 0.5) {
    const w = width * (0.2 + random() * 0.15), h = height * (0.25 + random() * 0.2);
    const x = random() * (width - w), y = height * (0.05 + random() * 0.2);
    fill(x, y, w, h, tint(215 + random() * 35, random));
    const bar = contrasting();
    for (let k = 1, bars = 2 + Math.floor(random() * 4); k < bars; k++) fill(x + (w * k) / bars - 2, y, 4, h, bar);
    frame(x, y, w, h, 5 + random() * 5, bar);
  }
  // Shelves with books standing on them.
  for (let n = 0, shelves = 1 + Math.floor(random() * 3); n < shelves; n++) {
    const w = width * (0.2 + random() * 0.3);
    const x = random() * (width - w), y = height * (0.2 + random() * 0.6);
    const plank = contrasting();
    for (let bx = x + 2; bx < x + w - 8; ) {
      const bw = 5 + random() * 10, bh = 20 + random() * 30;
      fill(bx, y - bh, bw, bh, tint(40 + random() * 180, random, 0.3));
      bx += bw + random() * 3;
    }
    fill(x, y, w, 6 + random() * 4, plank);
  }
  // A picture in its frame.
  const pw = width * (0.1 + random() * 0.12), ph = pw * (0.7 + random() * 0.6);
  const px = random() * (width - pw), py = height * (0.1 + random() * 0.4);
  fill(px, py, pw, ph, tint(60 + random() * 150, random, 0.3));
  frame(px, py, pw, ph, 3 + random() * 5, contrasting());
  return boxBlur3({ width, height, rgb }); // the lens and the room's distance soften drawn edges
}

/** A grey level with a little colour, as paint and wood have (`spread`: how much). */
function tint(grey: number, random: () => number, spread = 0.12): Colour {
  return [0, 1, 2].map(() => Math.max(0, Math.min(255, grey * (1 + (random() - 0.5) * 2 * spread)))) as unknown as Colour;
}

function setPixel(rgb: Uint8Array, width: number, x: number, y: number, colour: Colour): void {
  const i = (y * width + x) * 3;
  rgb[i] = Math.round(colour[0]); rgb[i + 1] = Math.round(colour[1]); rgb[i + 2] = Math.round(colour[2]);
}
