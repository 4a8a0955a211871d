/**
 * What the one-person check (`src/quality/one-person.ts`) does on the bench: recordings of one person,
 * which it must pass, and sequences that change person partway through, which it should stop.
 *
 *   node dist/scripts/one-person-check.js [--bench ../shared/bench] [--synth DIR/manifest.csv ...]
 *     [--parts one,two,media] [--list]
 *
 * 1. One person: every bench video and franck.mp4 (16 frames over 6 s) and the same as 8 JPEG frames
 *    over their first 3 s; the NUAA sequences, 16 frames and every other one. Each is analysed by
 *    the product; the lowest similarity the check found is printed.
 * 2. Two people, at the descriptors: for every two 16-frame items of different subjects, the first h
 *    of one's 8 described frames followed by the last 8 − h of the other's (h = 2…6), compared as
 *    the check compares them. This measures the check alone, whatever the other checks would say.
 * 3. Two people, as media: each bench live video and franck.mp4, cut to 6 s, with a photo of another
 *    person (a NUAA live still of s31–s35, `src/synth/photo-over-face.ts`) held over the face and moved by hand for the last 3 s, and, in another clip,
 *    for the first 3 s. Analysed with the check and without it (its threshold set below any
 *    similarity), to show what the check changes. Everything made goes to a temporary folder.
 *
 * `--synth` adds the attacks of `liveness synth` manifests to part 1, one group per species: each
 * shows one person (its own subject's face, printed, worn or replayed), so the check should pass them
 * and leave them to the signals. `--parts` runs some of the three parts (`one`, `two`, `media`);
 * `--parts synth --synth …` scores only the synthetic attacks.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG, withOverrides } from '../src/config.js';
import { loadDeps } from '../src/deps.js';
import { describeFaces } from '../src/faces/index.js';
import type { AnalysisInput } from '../src/ingest/index.js';
import { analyzeMedia, observeMedia } from '../src/pipeline/index.js';
import { checkOnePerson, MAX_DESCRIBED } from '../src/quality/one-person.js';
import { holdPhotoOverFace } from '../src/synth/photo-over-face.js';
import { withTempDir } from '../src/util/temp.js';
import { asEightJpegFrames, loadBench, loadSynth, type DevItem } from './dev-set.js';

const { values } = parseArgs({
  options: {
    bench: { type: 'string', default: '../shared/bench' },
    synth: { type: 'string', multiple: true, default: [] },
    parts: { type: 'string', default: 'one,two,media' },
    list: { type: 'boolean', default: false },
  },
});
const parts = new Set(values.parts!.split(','));
const deps = await loadDeps();
const { bench, items } = await loadBench(values.bench!);
const synthItems: DevItem[] = [];
for (const manifestPath of values.synth!) synthItems.push(...(await loadSynth(manifestPath, bench, { keepApart: true })));
const threshold = DEFAULT_CONFIG.quality.minIdentitySimilarity;
const withoutCheck = withOverrides({ quality: { minIdentitySimilarity: -2 } });

function pathOf(input: AnalysisInput): string {
  if (input.kind !== 'media' || !('path' in input.source)) throw new Error('expected a media file');
  return input.source.path;
}

function summary(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(3);
  return `n ${sorted.length}, min ${at(0)}, median ${at(0.5)}, 95th pct ${at(0.95)}, 99th pct ${at(0.99)}, max ${sorted[sorted.length - 1]!.toFixed(3)}`;
}

async function run(dir: string): Promise<void> {
  // 1. One person.
  const cases: Array<{ group: string; item: DevItem; input: AnalysisInput }> = [];
  for (const [n, item] of items.filter((i) => i.kind === 'video' && (parts.has('one') || parts.has('two'))).entries()) {
    cases.push({ group: 'video, 16 frames', item, input: item.input });
    const frames = await asEightJpegFrames(deps.tools, pathOf(item.input), dir, `video-${n}-`);
    cases.push({ group: 'video as 8 JPEG frames over 3 s', item, input: frames });
  }
  for (const item of synthItems) cases.push({ group: `liveness synth: ${item.species}`, item, input: item.input });
  for (const item of items.filter((i) => i.kind === 'frames' && (parts.has('one') || parts.has('two')))) {
    cases.push({ group: 'NUAA sequence, 16 frames', item, input: item.input });
    if (item.input.kind === 'frames') cases.push({ group: 'NUAA sequence, every other frame', item, input: { kind: 'frames', frames: item.input.frames.filter((_, i) => i % 2 === 0) } });
  }
  const described: Array<{ item: DevItem; descriptors: Float32Array[] }> = [];
  const onePerson = new Map<string, { values: number[]; flagged: string[]; otherInconclusive: number; items: number }>();
  for (const c of cases) {
    const observation = await observeMedia(c.input, deps);
    const report = observation.quality.onePerson;
    const row = onePerson.get(c.group) ?? { values: [], flagged: [], otherInconclusive: 0, items: 0 };
    row.items++;
    if (report?.lowestSimilarity != null) row.values.push(report.lowestSimilarity);
    if (observation.quality.inconclusive?.code === 'not_one_person') row.flagged.push(`${c.item.id} (${report?.lowestSimilarity})`);
    else if (observation.quality.inconclusive) row.otherInconclusive++;
    onePerson.set(c.group, row);
    if (values.list) console.log(`one person | ${c.group} | ${c.item.id} | ${observation.quality.inconclusive?.code ?? 'decided'} | lowest similarity ${report?.lowestSimilarity ?? '–'}`);
    if (c.group.endsWith('16 frames') && report && report.describedFrames.length === MAX_DESCRIBED) {
      described.push({ item: c.item, descriptors: describeFaces(deps.faceModels.describer, observation.frames, observation.faces, report.describedFrames) });
    }
  }
  console.log(`\nthreshold ${threshold}\n\none person: group | items | not_one_person | other inconclusive | lowest similarity found`);
  for (const [group, row] of onePerson) console.log(`${group} | ${row.items} | ${row.flagged.length} ${row.flagged.join(' ')} | ${row.otherInconclusive} | ${row.values.length ? summary(row.values) : '–'}`);

  // 2. Two people, at the descriptors.
  if (parts.has('two')) twoPeopleAtTheDescriptors(described);
  // 3. Two people, as media.
  if (parts.has('media')) await twoPeopleAsMedia(dir);
}

function twoPeopleAtTheDescriptors(described: ReadonlyArray<{ item: DevItem; descriptors: Float32Array[] }>): void {
  // Per kind of pair: NUAA's five people were filmed by one webcam in like rooms, the bench's videos by many.
  const byKind = new Map<string, number[]>();
  for (const a of described) {
    for (const b of described) {
      if (a.item.subject === b.item.subject) continue;
      const kind = [a, b].filter((x) => x.item.kind === 'frames').length;
      const key = ['two videos', 'a video and a NUAA sequence', 'two NUAA sequences'][kind]!;
      for (let h = 2; h <= MAX_DESCRIBED - 2; h++) {
        const descriptors = [...a.descriptors.slice(0, h), ...b.descriptors.slice(h)];
        const similarity = checkOnePerson([...descriptors.keys()], descriptors, { minIdentitySimilarity: threshold }).lowestSimilarity!;
        byKind.set(key, [...(byKind.get(key) ?? []), similarity]);
        byKind.set('all', [...(byKind.get('all') ?? []), similarity]);
      }
    }
  }
  console.log(`\ntwo people at the descriptors (${described.length} items with 8 described frames; the first h of one's, the last 8 − h of another subject's, h = 2…6)`);
  for (const [kind, spliced] of byKind) {
    const caught = spliced.filter((v) => v < threshold).length;
    console.log(`${kind}: ${caught} of ${spliced.length} caught (${((100 * caught) / spliced.length).toFixed(1)} %); similarity ${summary(spliced)}`);
  }
}

/** A photo of someone else held over the face for half the clip, then lowered, or the other way round. */
async function twoPeopleAsMedia(dir: string): Promise<void> {
  const photos = new Map<string, string>();
  for (const item of items.filter((i) => i.kind === 'image' && i.label === 'live')) if (!photos.has(item.subject) && item.input.kind === 'media') photos.set(item.subject, pathOf(item.input));
  const photoSubjects = [...photos.keys()];
  const rows: Array<{ order: string; id: string; withCheck: string; without: string; similarity: number | null }> = [];
  for (const [n, item] of items.filter((i) => i.kind === 'video' && i.label === 'live').entries()) {
    const photoSubject = photoSubjects[n % photoSubjects.length]!;
    const photo = photos.get(photoSubject)!;
    for (const [order, fromS, untilS] of [['the person, then the photo', 3, 6], ['the photo, then the person', 0, 3]] as const) {
      const output = join(dir, `swap-${n}-${fromS}.mp4`);
      try {
        await holdPhotoOverFace(deps.tools, deps.faceModels, pathOf(item.input), photo, output, { fromS, untilS, durationS: 6 });
      } catch (error) {
        // A clip with no face in the middle of the hold (s29's camera cuts away) has nothing to cover.
        console.log(`two people | ${order} | ${item.id} + ${photoSubject} | not made: ${(error as Error).message}`);
        continue;
      }
      const input: AnalysisInput = { kind: 'media', source: { path: output } };
      const analysis = await analyzeMedia(input, deps);
      const verdict = analysis.inconclusive ? `inconclusive ${analysis.inconclusive.code}` : analysis.outcome;
      const without = analysis.inconclusive?.code === 'not_one_person' ? await analyzeMedia(input, deps, withoutCheck) : analysis;
      const withoutVerdict = without.inconclusive ? `inconclusive ${without.inconclusive.code}` : `${without.outcome} ${without.result.real_probability.toFixed(3)}`;
      const row = { order, id: `${item.id} + ${photoSubject}`, withCheck: verdict, without: withoutVerdict, similarity: analysis.evidence.quality.onePerson?.lowestSimilarity ?? null };
      rows.push(row);
      if (values.list) console.log(`two people | ${order} | ${row.id} | ${verdict} | without the check: ${withoutVerdict} | lowest similarity ${row.similarity ?? '–'}`);
    }
  }
  console.log('\ntwo people as media: order | clips | not_one_person | other inconclusive | live with the check | live without it | lowest similarity found');
  for (const order of ['the person, then the photo', 'the photo, then the person']) {
    const group = rows.filter((r) => r.order === order);
    const sims = group.map((r) => r.similarity).filter((v): v is number => v !== null);
    console.log(`${order} | ${group.length} | ${group.filter((r) => r.withCheck === 'inconclusive not_one_person').length} | ${group.filter((r) => r.withCheck.startsWith('inconclusive') && r.withCheck !== 'inconclusive not_one_person').length} | ${group.filter((r) => r.withCheck === 'live').length} | ${group.filter((r) => r.without.startsWith('live')).length} | ${sims.length ? summary(sims) : '–'}`);
  }
}

await withTempDir(run);
