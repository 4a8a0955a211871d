/**
 * `liveness synth`: attack media made from bona fide clips or photos, seeded and reproducible, with
 * a manifest that `liveness eval` reads. Species:
 * - `print`: the face printed (halftone, paper range, texture) and moved by hand as a flat sheet;
 * - `replay`: the face shown on a phone, tablet or monitor (sub-pixel grid → moiré, screen gamma,
 *   glare, bezel) and moved by hand;
 * - `looped`: a still looped unmoving; `moved`: a plain still moved by hand.
 * Encoded with H.264 at a phone-like bitrate. Not modelled: a bend that changes while the sheet moves
 * (the bend is drawn into the picture, which then moves as one plane), cut-outs, fingers holding the
 * sheet or phone, paper masks, replays of *video* (the screen shows a still), screen flicker and
 * refresh banding, reflections of the room, and camera auto-exposure reacting to the screen.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative } from 'node:path';
import { DEFAULT_CONFIG } from '../config.js';
import { decodeFrames, type ToolPaths } from '../decode/index.js';
import { LivenessError, invalidArgument } from '../errors.js';
import { ingestMedia } from '../ingest/index.js';
import { encodePng } from '../plot/png.js';
import { withTempDir } from '../util/temp.js';
import { renderPrint, renderScreen, type ScreenDevice } from './recapture.js';
import { extractStill, makeHandMovedStill, makeLoopedStill, seededRandom } from './still-attacks.js';

export const SYNTH_SPECIES = ['print', 'replay', 'looped', 'moved'] as const;
export type SynthSpecies = (typeof SYNTH_SPECIES)[number];

export interface SynthOptions {
  readonly outDir: string;
  readonly species: readonly SynthSpecies[];
  readonly seed: number;
  readonly bitrateKbps: number;
}

export interface SynthItem {
  readonly path: string;
  readonly label: 'print' | 'replay';
  readonly species: string;
  readonly subject: string;
  readonly source: string;
}

/** The still is rendered at most this large (longer side) before the print or screen is simulated. */
const MAX_STILL_PX = 480;
const DEVICES: readonly ScreenDevice[] = ['phone', 'tablet', 'monitor'];

export function parseSpecies(text: string): SynthSpecies[] {
  const species = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = species.filter((s) => !(SYNTH_SPECIES as readonly string[]).includes(s));
  if (species.length === 0 || unknown.length > 0) throw invalidArgument(`a comma-separated list of ${SYNTH_SPECIES.join(', ')}`, '--species', text);
  return species as SynthSpecies[];
}

export async function synthesize(tools: ToolPaths, sources: readonly string[], options: SynthOptions): Promise<SynthItem[]> {
  for (const source of sources) if (!existsSync(source)) throw new LivenessError('file_not_found', `Expected a bona fide clip or photo but ${source} does not exist`);
  mkdirSync(options.outDir, { recursive: true });
  const items: SynthItem[] = [];
  const stems = sources.map((source) => basename(source, extname(source)));
  for (const [n, source] of sources.entries()) {
    // The subject is the file's stem, or folder-stem where two sources share a stem.
    const stem = stems[n]!;
    const subject = stems.indexOf(stem) === stems.lastIndexOf(stem) ? stem : `${basename(dirname(source))}-${stem}`;
    for (const species of options.species) {
      const seed = options.seed * 1000 + n * 10 + SYNTH_SPECIES.indexOf(species);
      const random = seededRandom(seed);
      const device = DEVICES[Math.floor(random() * DEVICES.length)]!;
      const label = species === 'replay' ? 'replay' : 'print';
      const name = species === 'replay' ? `${device}_replay` : species === 'print' ? 'print_photo' : `${species}_still`;
      const folder = join(options.outDir, label, name);
      mkdirSync(folder, { recursive: true });
      const output = join(folder, `${subject}-seed${options.seed}.mp4`);
      const common = { seed, bitrateKbps: options.bitrateKbps, atS: 1 };
      await withTempDir(async (dir) => {
        if (species === 'looped') return makeLoopedStill(tools, source, output, common);
        if (species === 'moved') return makeHandMovedStill(tools, source, output, common);
        const still = await loadStill(tools, await extractStill(tools, source, common.atS, dir), dir);
        const rendered = species === 'print' ? renderPrint(still, random) : renderScreen(still, device, random);
        const png = join(dir, 'rendered.png');
        await writeFile(png, encodePng(rendered.width, rendered.height, rendered.rgb));
        return makeHandMovedStill(tools, png, output, { ...common, atS: 0 });
      });
      items.push({ path: output, label, species: name, subject, source });
    }
  }
  const manifest = ['path,kind,label,species,subject,source', ...items.map((i) => [relative(options.outDir, i.path), 'video', i.label, i.species, i.subject, `"${i.source.replaceAll('"', '""')}"`].join(','))];
  await writeFile(join(options.outDir, 'manifest.csv'), `${manifest.join('\n')}\n`);
  return items;
}

/** The still through the product's own decoder, at most MAX_STILL_PX wide. */
async function loadStill(tools: ToolPaths, path: string, dir: string) {
  const media = await ingestMedia({ kind: 'media', source: { path } }, DEFAULT_CONFIG.ingest, dir);
  const decoded = await decodeFrames(media, tools, { ...DEFAULT_CONFIG.decode, maxLongSidePx: MAX_STILL_PX });
  return decoded.frames[0]!;
}
