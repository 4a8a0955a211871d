/**
 * `liveness synth`: attack media made from bona fide clips or photos, seeded and reproducible, with
 * a manifest that `liveness eval` reads. Species:
 * - `print`: the face printed (halftone, paper range, texture) and moved by hand as a flat sheet;
 * - `replay`: a photo of the face shown on a phone, tablet or monitor (sub-pixel grid → moiré, screen
 *   gamma, glare, bezel) and moved by hand;
 * - `video_replay`: the clip itself played on such a screen (the face blinks and talks) and moved by hand;
 * - `steady_video_replay`: the clip played on a screen that fills the camera's view, no bezel, on a
 *   stand (nothing moves but the face in the video);
 * - `mask`: a printed paper mask with eye holes worn by the person of the clip (paper-mask.ts);
 * - `cutout`: the same print without eye holes, a face cut out and held before the head;
 * - `bent_print`: the face printed on a sheet bent into an arc, turned and moved by hand in 3-D, its
 *   bend flexing (bent-sheet.ts); `print` draws its bend into the picture, which moves as one plane;
 * - `looped`: a still looped unmoving; `moved`: a plain still moved by hand;
 * - `photo_over_face`: the clip with a photo of another person (the next source's face) held over
 *   the face and moved by hand for its second half (photo-over-face.ts): one person, then another.
 * Encoded with H.264 at a phone-like bitrate. Not modelled: fingers holding the sheet or phone,
 * creases and folded corners, screen flicker and refresh banding, reflections of the room, and
 * camera auto-exposure reacting to the screen.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative } from 'node:path';
import { DEFAULT_CONFIG } from '../config.js';
import { decodeFrames, type DecodeOptions, type Frame, type ToolPaths } from '../decode/index.js';
import { loadObservationDeps } from '../deps.js';
import { findFaces, landmarkFaces, type FaceModels, type Point3 } from '../faces/index.js';
import type { RgbImage } from '../imaging/index.js';
import { LivenessError, invalidArgument } from '../errors.js';
import { ingestMedia } from '../ingest/index.js';
import { encodePng } from '../plot/png.js';
import { withTempDir } from '../util/temp.js';
import { handHeldPoses, renderBentSheet } from './bent-sheet.js';
import { printOnPaper, renderPrint, renderScreen, type ScreenDevice } from './recapture.js';
import { wearPaperMask } from './paper-mask.js';
import { holdPhotoOverFace } from './photo-over-face.js';
import { encodeFrames, extractStill, filmScreen, makeHandMovedFrames, makeHandMovedStill, makeLoopedStill, roomFor, seededRandom, type RawFrames } from './still-attacks.js';

/** In this order for good: each species' seed is derived from its position. */
export const SYNTH_SPECIES = ['print', 'replay', 'looped', 'moved', 'video_replay', 'mask', 'steady_video_replay', 'cutout', 'bent_print', 'photo_over_face'] as const;
export type SynthSpecies = (typeof SYNTH_SPECIES)[number];

export interface SynthOptions {
  readonly outDir: string;
  readonly species: readonly SynthSpecies[];
  readonly seed: number;
  readonly bitrateKbps: number;
}

export interface SynthItem {
  readonly path: string;
  readonly label: 'print' | 'replay' | 'mask';
  readonly species: string;
  readonly subject: string;
  readonly source: string;
}

/** The still is rendered at most this large (longer side) before the print or screen is simulated. */
const MAX_STILL_PX = 480;
/** A clip played on a screen is rendered this large (three sub-pixel columns each, so 960 px wide). */
const MAX_SCREEN_CLIP_PX = 320;
/** A clip a mask is worn in keeps the camera's view at this size. */
const MAX_MASK_CLIP_PX = 640;
/** Clips made frame by frame: this many frames a second over this many seconds. */
const CLIP = { fps: 15, durationS: 5 };
const DEVICES: readonly ScreenDevice[] = ['phone', 'tablet', 'monitor'];

export function parseSpecies(text: string): SynthSpecies[] {
  const species = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = species.filter((s) => !(SYNTH_SPECIES as readonly string[]).includes(s));
  if (species.length === 0 || unknown.length > 0) throw invalidArgument(`a comma-separated list of ${SYNTH_SPECIES.join(', ')}`, '--species', text);
  return species as SynthSpecies[];
}

export async function synthesize(tools: ToolPaths, sources: readonly string[], options: SynthOptions): Promise<SynthItem[]> {
  for (const source of sources) if (!existsSync(source)) throw new LivenessError('file_not_found', `Expected a bona fide clip or photo but ${source} does not exist`);
  if (options.species.includes('photo_over_face') && sources.length < 2) {
    throw invalidArgument('two or more sources, each of another person (photo_over_face holds the next source\'s face over each clip)', 'sources', String(sources.length));
  }
  mkdirSync(options.outDir, { recursive: true });
  const items: SynthItem[] = [];
  let faceModels: Promise<FaceModels> | null = null;
  const models = () => (faceModels ??= loadObservationDeps().then((deps) => deps.faceModels));
  const stems = sources.map((source) => basename(source, extname(source)));
  for (const [n, source] of sources.entries()) {
    // The subject is the file's stem, or folder-stem where two sources share a stem.
    const stem = stems[n]!;
    const subject = stems.indexOf(stem) === stems.lastIndexOf(stem) ? stem : `${basename(dirname(source))}-${stem}`;
    for (const species of options.species) {
      const seed = options.seed * 1000 + n * 10 + SYNTH_SPECIES.indexOf(species);
      const random = seededRandom(seed);
      const device = DEVICES[Math.floor(random() * DEVICES.length)]!;
      const { label, name } = naming(species, device);
      const folder = join(options.outDir, label, name);
      mkdirSync(folder, { recursive: true });
      const output = join(folder, `${subject}-seed${options.seed}.mp4`);
      const common = { seed, bitrateKbps: options.bitrateKbps, atS: 1 };
      await withTempDir(async (dir) => {
        if (species === 'looped') return makeLoopedStill(tools, source, output, common);
        if (species === 'moved') return makeHandMovedStill(tools, source, output, common);
        if (species === 'video_replay' || species === 'steady_video_replay') {
          const steady = species === 'steady_video_replay';
          const frames = await loadClip(tools, source, MAX_SCREEN_CLIP_PX, dir);
          // A fresh generator per frame: the same screen (gamma, glare, bezel) in every frame.
          const raw = await writeRaw(frames.map((frame) => renderScreen(frame, device, seededRandom(seed), { fillsView: steady })), dir);
          return (steady ? filmScreen : makeHandMovedFrames)(tools, raw, output, { ...common, fps: CLIP.fps });
        }
        if (species === 'mask' || species === 'cutout') {
          const frames = await loadClip(tools, source, MAX_MASK_CLIP_PX, dir);
          const worn = wearPaperMask(frames, landmarksOf(frames, await models()), random, { eyeHoles: species === 'mask' });
          if (!worn) throw new LivenessError('invalid_argument', `Expected a face in ${source} to put a paper mask or cut-out on but none was found`);
          return encodeFrames(tools, await writeRaw(worn, dir), output, { ...common, fps: CLIP.fps });
        }
        if (species === 'photo_over_face') {
          const hold = { fromS: CLIP.durationS / 2, untilS: CLIP.durationS, durationS: CLIP.durationS };
          return holdPhotoOverFace(tools, await models(), source, sources[(n + 1) % sources.length]!, output, hold);
        }
        const still = await loadStill(tools, await extractStill(tools, source, common.atS, dir), dir);
        if (species === 'bent_print') {
          const print = printOnPaper(still, random);
          const room = roomFor(seed);
          const poses = handHeldPoses(random, CLIP.fps * CLIP.durationS, CLIP.fps);
          return encodeFrames(tools, await writeRaw(poses.map((pose) => renderBentSheet(room, print, pose)), dir), output, { ...common, fps: CLIP.fps });
        }
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

/** The manifest's label and species of what `species` makes. */
function naming(species: SynthSpecies, device: ScreenDevice): { label: SynthItem['label']; name: string } {
  switch (species) {
    case 'replay': return { label: 'replay', name: `${device}_replay` };
    case 'video_replay': return { label: 'replay', name: `${device}_video_replay` };
    case 'steady_video_replay': return { label: 'replay', name: `steady_${device}_video_replay` };
    case 'mask': return { label: 'mask', name: 'paper_mask' };
    case 'cutout': return { label: 'mask', name: 'print_cutout' };
    case 'print': return { label: 'print', name: 'print_photo' };
    case 'bent_print': return { label: 'print', name: 'bent_print_photo' };
    case 'photo_over_face': return { label: 'print', name: 'photo_over_face' };
    default: return { label: 'print', name: `${species}_still` };
  }
}

/** Frames of a clip or a still through the product's own decoder (stage 1–2), with other decode settings. */
async function decode(tools: ToolPaths, path: string, dir: string, settings: Partial<DecodeOptions>): Promise<readonly Frame[]> {
  const media = await ingestMedia({ kind: 'media', source: { path } }, DEFAULT_CONFIG.ingest, dir);
  return (await decodeFrames(media, tools, { ...DEFAULT_CONFIG.decode, ...settings })).frames;
}

/** The first CLIP.durationS seconds of a clip at CLIP.fps, at most `maxLongSidePx` wide. */
function loadClip(tools: ToolPaths, path: string, maxLongSidePx: number, dir: string): Promise<readonly Frame[]> {
  return decode(tools, path, dir, { maxLongSidePx, videoFrames: CLIP.fps * CLIP.durationS, videoWindowS: CLIP.durationS });
}

/** Each frame's FaceMesh landmarks (the product's own face stages), or null where there is no face. */
function landmarksOf(frames: readonly Frame[], faceModels: FaceModels): Array<readonly Point3[] | null> {
  const detections = frames.map((frame) => findFaces(frame, faceModels, DEFAULT_CONFIG.faces));
  return landmarkFaces(frames, detections, faceModels, DEFAULT_CONFIG.faces).map((faces) => faces.face?.mesh ?? null);
}

/** Frames of one size, packed into one raw RGB file for ffmpeg. */
async function writeRaw(frames: readonly RgbImage[], dir: string): Promise<RawFrames> {
  const path = join(dir, 'frames.rgb');
  await writeFile(path, Buffer.concat(frames.map((frame) => frame.rgb)));
  return { path, width: frames[0]!.width, height: frames[0]!.height };
}

/** The still, at most MAX_STILL_PX wide. */
async function loadStill(tools: ToolPaths, path: string, dir: string): Promise<Frame> {
  return (await decode(tools, path, dir, { maxLongSidePx: MAX_STILL_PX }))[0]!;
}
