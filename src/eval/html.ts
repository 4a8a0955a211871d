/** index.html: one self-contained page (no external assets) with the figures, plots and worst errors. */
import type { AnalysisConfig } from '../config.js';
import { decodeFrames, type ToolPaths } from '../decode/index.js';
import { ingestMedia } from '../ingest/index.js';
import { cropTransform, sampleToFloat } from '../imaging/index.js';
import { Canvas } from '../plot/canvas.js';
import { withTempDir } from '../util/temp.js';
import type { Figures } from './figures.js';
import { inputOf } from './manifest.js';
import type { ItemResult } from './run.js';

const GALLERY_SIZE = 12;
const THUMB_PX = 200;

export async function renderIndexHtml(
  results: readonly ItemResult[],
  figures: Figures,
  plots: { readonly roc: Buffer; readonly det: Buffer },
  markdownSummary: string,
  decoding: { readonly tools: ToolPaths; readonly config: AnalysisConfig },
): Promise<string> {
  const rejectedLive = results.filter((r) => r.item.label === 'live' && r.outcome !== 'live').sort((p, q) => p.realProbability - q.realProbability).slice(0, GALLERY_SIZE);
  const acceptedAttacks = results.filter((r) => r.item.label !== 'live' && r.outcome === 'live').sort((p, q) => q.realProbability - p.realProbability).slice(0, GALLERY_SIZE);
  const cards = async (items: readonly ItemResult[]) => (await Promise.all(items.map((r) => card(r, decoding)))).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Liveness evaluation</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
.plots img{max-width:48%;border:1px solid #ddd;margin-right:1%}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:1rem}
.card{border:1px solid #ddd;border-radius:6px;padding:.6rem;font-size:13px}.card img{width:100%;border-radius:4px;background:#eee}
.card code{word-break:break-all}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}
</style></head><body>
<h1>Liveness evaluation</h1>
<p>${figures.counts.items} items (${figures.counts.bonaFide} bona fide, ${figures.counts.attacks} attacks), ${figures.counts.subjects} subjects.</p>
<section class="plots"><h2>Plots</h2>
<img alt="ROC curves, one per attack species, with the operating point marked" src="data:image/png;base64,${plots.roc.toString('base64')}">
<img alt="DET curves, one per attack species, with the operating point marked" src="data:image/png;base64,${plots.det.toString('base64')}">
</section>
<h2>Bona fide items rejected (${results.filter((r) => r.item.label === 'live' && r.outcome !== 'live').length}, worst first)</h2>
<div class="gallery">${await cards(rejectedLive)}</div>
<h2>Attacks accepted (${results.filter((r) => r.item.label !== 'live' && r.outcome === 'live').length}, worst first)</h2>
<div class="gallery">${await cards(acceptedAttacks)}</div>
<h2>Figures</h2>
<pre>${escapeHtml(markdownSummary)}</pre>
</body></html>
`;
}

async function card(result: ItemResult, decoding: { readonly tools: ToolPaths; readonly config: AnalysisConfig }): Promise<string> {
  const thumbnail = await thumbnailOf(result, decoding).catch(() => null);
  const signals = Object.entries(result.signals)
    .map(([name, value]) => `<li>${escapeHtml(name)}: ${value === null ? 'n/a' : value.toFixed(4)}</li>`)
    .join('');
  return `<div class="card">${thumbnail ? `<img alt="frame and face used for ${escapeHtml(result.item.id)}" src="data:image/png;base64,${thumbnail.toString('base64')}">` : '<p>(no face frame)</p>'}
<p><code>${escapeHtml(result.item.id)}</code><br>${escapeHtml(result.item.label)} / ${escapeHtml(result.item.species)} — real_probability ${result.realProbability.toFixed(3)}${result.reason ? `, ${escapeHtml(result.reason)}` : ''}</p>
<ul>${signals || '<li>no signal applied</li>'}</ul></div>`;
}

/** The frame the analysis used, cropped around the face with its box drawn, decoded by the product's own decoder. */
async function thumbnailOf(result: ItemResult, { tools, config }: { readonly tools: ToolPaths; readonly config: AnalysisConfig }): Promise<Buffer | null> {
  const shown = result.shownFrame;
  if (!shown) return null;
  const frame = await withTempDir(async (dir) => {
    const decoded = await decodeFrames(await ingestMedia(inputOf(result.item), config.ingest, dir), tools, config.decode);
    return decoded.frames[shown.index] ?? null;
  });
  if (!frame) return null;
  const [x, y, w, h] = shown.box as [number, number, number, number];
  const side = Math.max(w, h) * 1.8;
  const pixels = sampleToFloat(frame, cropTransform(x + w / 2, y + h / 2, side, 0, THUMB_PX), THUMB_PX, THUMB_PX, 1, 0);
  const canvas = new Canvas(THUMB_PX, THUMB_PX);
  canvas.rgb.set(Uint8Array.from(pixels, (v) => Math.round(v)));
  const scale = THUMB_PX / side;
  const [bx, by, bw, bh] = [(THUMB_PX - w * scale) / 2, (THUMB_PX - h * scale) / 2, w * scale, h * scale];
  const green = [0, 220, 0] as const;
  canvas.line(bx, by, bx + bw, by, green, 2);
  canvas.line(bx, by + bh, bx + bw, by + bh, green, 2);
  canvas.line(bx, by, bx, by + bh, green, 2);
  canvas.line(bx + bw, by, bx + bw, by + bh, green, 2);
  return canvas.toPng();
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
