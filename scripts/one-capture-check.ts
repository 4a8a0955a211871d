/**
 * What the one-capture check (`src/quality/one-capture.ts`) does on the bench: recordings it must
 * pass, and photos of a person that are not one capture, which it should stop. Each item is analysed
 * by the product, and its signals are also fused without the check, to show what the check changes.
 *
 *   node dist/scripts/one-capture-check.js [--bench ../shared/bench] [--list]
 *
 * One recording: every bench video and franck.mp4, as sampled (16 frames over 6 s) and as 8 JPEG
 * frames over its first 3 s; the NUAA sequences, as 16 frames and as every other one.
 * Not one: per NUAA subject and label, 3 arrays of 8 of its stills (seeded draws; the stills were
 * taken on different days), the first 8 stills as a slideshow video (1.5 a second) and the first 12
 * at 4 a second; arrays of 8 consecutive bench face crops of a subject and label; 8 frames of
 * franck.mp4 as a slideshow. Everything derived from the bench goes to a temporary folder.
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDeps } from '../src/deps.js';
import { fuseSignals, profileOf } from '../src/fusion/model.js';
import type { AnalysisInput } from '../src/ingest/index.js';
import { analyzeMedia, chooseProfile, observeMedia } from '../src/pipeline/index.js';
import { computeSignals } from '../src/signals/index.js';
import { seededRandom } from '../src/synth/still-attacks.js';
import { withTempDir } from '../src/util/temp.js';
import { asEightJpegFrames, FRANCK, ffmpeg, loadBench } from './dev-set.js';

const { values } = parseArgs({ options: { bench: { type: 'string', default: '../shared/bench' }, list: { type: 'boolean', default: false } } });
const deps = await loadDeps();
const { items } = await loadBench(values.bench!);

interface Case {
  readonly group: string;
  readonly id: string;
  readonly input: AnalysisInput;
}

/**
 * What the fusion says of an input's usable frames as if there were no one-capture check: the
 * signals the check kept from being computed, fused and held to the profile's threshold as
 * `analyzeMedia` does.
 */
async function verdictWithoutCheck(input: AnalysisInput): Promise<string> {
  const observation = await observeMedia(input, deps);
  const usable = observation.quality.usableFrameIndices;
  const profile = chooseProfile(observation);
  const { features, threshold } = profileOf(deps.fusion, profile);
  if (features.length === 0) return 'inconclusive single_image';
  const signals = computeSignals({ mode: observation.mode, frames: usable.map((i) => observation.frames[i]!), faces: usable.map((i) => observation.faces[i]!.face!) });
  return fuseSignals(signals, deps.fusion, profile).realProbability >= threshold ? 'live' : 'attack';
}

/** The files behind a bench item's input (the bench's items are files, never bytes in memory). */
function pathsOf(input: AnalysisInput): string[] {
  return (input.kind === 'frames' ? input.frames : [input.source]).flatMap((source) => ('path' in source ? [source.path] : []));
}

async function run(dir: string): Promise<void> {
  const cases: Case[] = [];
  const videos = items.filter((item) => item.kind === 'video');
  for (const [n, item] of videos.entries()) {
    cases.push({ group: `one recording: video (${item.label === 'live' ? 'live' : 'replay'})`, id: item.id, input: item.input });
    const frames = await asEightJpegFrames(deps.tools, pathsOf(item.input)[0]!, dir, `video-${n}-`);
    cases.push({ group: `one recording: video as 8 JPEG frames (${item.label === 'live' ? 'live' : 'replay'})`, id: item.id, input: frames });
  }
  for (const item of items.filter((i) => i.kind === 'frames')) {
    const frames = pathsOf(item.input).map((path) => ({ path }));
    cases.push({ group: `one recording: NUAA sequence, 16 frames (${item.label})`, id: item.id, input: item.input });
    cases.push({ group: `one recording: NUAA sequence, every other frame (${item.label})`, id: item.id, input: { kind: 'frames', frames: frames.filter((_, i) => i % 2 === 0) } });
  }

  const random = seededRandom(7);
  const stills = new Map<string, string[]>();
  for (const item of items.filter((i) => i.kind === 'image')) {
    const key = `${item.subject}/${item.label}`;
    stills.set(key, [...(stills.get(key) ?? []), ...pathsOf(item.input)]);
  }
  for (const [key, paths] of stills) {
    const live = key.endsWith('/live');
    for (let k = 0; k < 3; k++) {
      const drawn = [...paths].map((path) => ({ path, order: random() })).sort((p, q) => p.order - q.order).slice(0, 8);
      cases.push({ group: `not one: 8 NUAA stills of a person (${live ? 'live' : 'print'})`, id: `${key}#${k}`, input: { kind: 'frames', frames: drawn.map(({ path }) => ({ path })) } });
    }
    if (!live) continue;
    for (const [count, rate] of [[8, 1.5], [12, 4]] as const) {
      const name = `slides-${key.replace('/', '-')}-${rate}`;
      for (const [i, path] of paths.slice(0, count).entries()) await copyFile(path, join(dir, `${name}-${i}.jpg`));
      const output = join(dir, `${name}.mp4`);
      await ffmpeg(deps.tools, ['-framerate', String(rate), '-i', join(dir, `${name}-%d.jpg`), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-r', '30', output]);
      cases.push({ group: `not one: slideshow of ${count} NUAA live stills, ${rate} a second`, id: key, input: { kind: 'media', source: { path: output } } });
    }
  }
  await ffmpeg(deps.tools, ['-ss', '20', '-t', '5.6', '-i', FRANCK, '-vf', 'fps=1/0.7', '-frames:v', '8', '-q:v', '3', join(dir, 'franck-%d.jpg')]);
  await ffmpeg(deps.tools, ['-framerate', String(1 / 0.7), '-i', join(dir, 'franck-%d.jpg'), '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-r', '30', join(dir, 'franck-slides.mp4')]);
  cases.push({ group: 'not one: slideshow of 8 frames of franck.mp4, 0.7 s each', id: 'franck', input: { kind: 'media', source: { path: join(dir, 'franck-slides.mp4') } } });
  const crops = new Map<string, string[]>();
  for (const item of items.filter((i) => i.kind === 'crop')) {
    const key = `${item.subject}/${item.label}`;
    crops.set(key, [...(crops.get(key) ?? []), ...pathsOf(item.input)]);
  }
  for (const [key, paths] of crops) {
    for (let i = 0; i + 8 <= paths.length; i += 8) {
      const live = key.endsWith('/live');
      cases.push({ group: `not one: 8 bench face crops (${live ? 'live' : 'attack'})`, id: `${key}#${i}`, input: { kind: 'frames', frames: paths.slice(i, i + 8).map((path) => ({ path })) } });
    }
  }

  const groups = new Map<string, Array<{ id: string; verdict: string; without: string; surroundings: number | null; frozen: number; leaps: number }>>();
  for (const c of cases) {
    const analysis = await analyzeMedia(c.input, deps);
    const report = analysis.evidence.quality.oneCapture;
    const verdict = analysis.inconclusive ? `inconclusive ${analysis.inconclusive.code}` : analysis.outcome;
    const without = analysis.inconclusive?.code === 'not_one_capture' ? await verdictWithoutCheck(c.input) : verdict;
    const row = { id: c.id, verdict, without, surroundings: report?.surroundingsChangePct ?? null, frozen: report?.frozenPairs ?? 0, leaps: report?.leapPairs ?? 0 };
    groups.set(c.group, [...(groups.get(c.group) ?? []), row]);
    if (values.list) console.log(`${c.group} | ${c.id} | ${verdict} | without the check: ${without} | surroundings ${row.surroundings} % | frozen ${row.frozen}, leaps ${row.leaps}`);
  }
  console.log('\ngroup | items | not_one_capture | other inconclusive | live, with the check | live, without it | surroundings change % (min–max) | items with a frozen pair');
  for (const [group, rows] of groups) {
    const changes = rows.map((r) => r.surroundings).filter((v): v is number => v !== null);
    const range = changes.length > 0 ? `${Math.min(...changes)}–${Math.max(...changes)}` : '–';
    const other = rows.filter((r) => r.verdict.startsWith('inconclusive') && r.verdict !== 'inconclusive not_one_capture').length;
    console.log(`${group} | ${rows.length} | ${rows.filter((r) => r.verdict === 'inconclusive not_one_capture').length} | ${other} | ${rows.filter((r) => r.verdict === 'live').length} | ${rows.filter((r) => r.without === 'live').length} | ${range} | ${rows.filter((r) => r.frozen > 0).length}`);
  }
}

await withTempDir(run);
