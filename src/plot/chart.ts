/** Line charts with labelled axes, a legend and a marked point, rendered to PNG. */
import { Canvas, type Colour } from './canvas.js';

export interface Axis {
  readonly label: string;
  /** Maps a value to 0–1 along the axis. */
  readonly scale: (value: number) => number;
  readonly ticks: ReadonlyArray<{ readonly value: number; readonly label: string }>;
}

export interface Series {
  readonly name: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export interface ChartSpec {
  readonly title: string;
  readonly x: Axis;
  readonly y: Axis;
  readonly series: readonly Series[];
  readonly marker?: { readonly x: number; readonly y: number; readonly label: string };
  readonly diagonal?: boolean;
}

const PALETTE: readonly Colour[] = [[31, 119, 180], [214, 39, 40], [44, 160, 44], [148, 103, 189], [255, 127, 14], [140, 86, 75], [227, 119, 194], [23, 190, 207]];
const WIDTH = 720;
const HEIGHT = 600;
const PLOT = { left: 90, top: 60, right: 250, bottom: 80 };

export function renderChart(spec: ChartSpec): Buffer {
  const canvas = new Canvas(WIDTH, HEIGHT);
  const w = WIDTH - PLOT.left - PLOT.right;
  const h = HEIGHT - PLOT.top - PLOT.bottom;
  const toX = (v: number) => PLOT.left + clamp01(spec.x.scale(v)) * w;
  const toY = (v: number) => PLOT.top + h - clamp01(spec.y.scale(v)) * h;
  const ink: Colour = [30, 30, 30];
  const grid: Colour = [225, 225, 225];

  canvas.text(PLOT.left, 20, spec.title, ink, 3);
  for (const tick of spec.x.ticks) {
    canvas.line(toX(tick.value), PLOT.top, toX(tick.value), PLOT.top + h, grid);
    canvas.text(toX(tick.value) - Canvas.textWidth(tick.label) / 2, PLOT.top + h + 10, tick.label, ink);
  }
  for (const tick of spec.y.ticks) {
    canvas.line(PLOT.left, toY(tick.value), PLOT.left + w, toY(tick.value), grid);
    canvas.text(PLOT.left - Canvas.textWidth(tick.label) - 8, toY(tick.value) - 7, tick.label, ink);
  }
  canvas.line(PLOT.left, PLOT.top + h, PLOT.left + w, PLOT.top + h, ink, 2);
  canvas.line(PLOT.left, PLOT.top, PLOT.left, PLOT.top + h, ink, 2);
  canvas.text(PLOT.left + w / 2 - Canvas.textWidth(spec.x.label) / 2, HEIGHT - 35, spec.x.label, ink);
  canvas.textVertical(20, PLOT.top + h / 2 + Canvas.textWidth(spec.y.label) / 2, spec.y.label, ink);
  if (spec.diagonal) canvas.line(toX(0), toY(0), toX(1), toY(1), [180, 180, 180]);

  spec.series.forEach((series, i) => {
    const colour = PALETTE[i % PALETTE.length]!;
    for (let k = 1; k < series.points.length; k++) {
      const [x0, y0] = series.points[k - 1]!;
      const [x1, y1] = series.points[k]!;
      canvas.line(toX(x0), toY(y0), toX(x1), toY(y1), colour, 3);
    }
    const legendY = PLOT.top + 10 + i * 24;
    canvas.fillRect(PLOT.left + w + 20, legendY + 4, 20, 6, colour);
    canvas.text(PLOT.left + w + 48, legendY, series.name.slice(0, 16), ink);
  });
  if (spec.marker) {
    const mx = toX(spec.marker.x);
    const my = toY(spec.marker.y);
    canvas.fillRect(mx - 6, my - 6, 13, 13, ink);
    canvas.fillRect(mx - 4, my - 4, 9, 9, [255, 215, 0]);
    const legendY = PLOT.top + 10 + spec.series.length * 24 + 12;
    canvas.fillRect(PLOT.left + w + 24, legendY, 11, 11, [255, 215, 0]);
    canvas.text(PLOT.left + w + 48, legendY, spec.marker.label.slice(0, 16), ink);
  }
  return canvas.toPng();
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0));
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function probit(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  const poly = (k: number[], x: number) => k.reduce((acc, v) => acc * x + v, 0);
  if (q < 0.02425) {
    const r = Math.sqrt(-2 * Math.log(q));
    return poly(c, r) / (poly(d, r) * r + 1);
  }
  if (q > 1 - 0.02425) {
    const r = Math.sqrt(-2 * Math.log(1 - q));
    return -poly(c, r) / (poly(d, r) * r + 1);
  }
  const r = q - 0.5;
  const s = r * r;
  return (poly(a, s) * r) / (poly(b, s) * s + 1);
}
