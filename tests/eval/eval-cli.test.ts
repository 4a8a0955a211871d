import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { franckClip, handMovedStill, loopedStill, noFranck, scratch } from '../helpers/media.js';

const run = (args: string[]) => runCli(args);

test('a bad manifest is refused with every bad row listed and exit code 3', async () => {
  const dir = join(await scratch(), 'bad-manifest');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'clip.mp4'), 'x');
  await writeFile(join(dir, 'manifest.csv'), 'path,kind,label,species,subject\nclip.mp4,video,live,bona_fide,s1\nmissing.mp4,video,live,bona_fide,s2\nclip.mp4,video,fake,print_photo,s3\n');
  const { code, stderr } = await run(['eval', join(dir, 'manifest.csv'), '--out', join(dir, 'out')]);
  assert.equal(code, 3);
  assert.match(stderr, /invalid_manifest: .*2 are not/);
  assert.match(stderr, /line 3: file missing\.mp4 does not exist/);
  assert.match(stderr, /line 4: label 'fake' is not one of live, print, replay, mask/);
  const noColumns = join(dir, 'no-columns.csv');
  await writeFile(noColumns, 'file,label\nclip.mp4,live\n');
  const missing = await run(['eval', noColumns, '--out', join(dir, 'out')]);
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /lacks path, kind, species, subject/);
});

test('eval over a <label>/<species>/ folder writes every report and resumes from its cache', { skip: noFranck }, async () => {
  const root = join(await scratch(), 'eval-folder');
  for (const dir of ['live/bona_fide', 'print/looped_still', 'print/moved_still']) await mkdir(join(root, dir), { recursive: true });
  await copyFile(await franckClip('live-5s.mp4', 5), join(root, 'live/bona_fide/franck.mp4'));
  await copyFile(await loopedStill(1), join(root, 'print/looped_still/franck.mp4'));
  await copyFile(await handMovedStill(1), join(root, 'print/moved_still/franck.mp4'));
  const out = join(await scratch(), 'eval-folder-out');
  const first = await run(['eval', root, '--out', out]);
  assert.equal(first.code, 0, first.stderr);
  for (const file of ['report.md', 'results.json', 'items.csv', 'roc.png', 'det.png', 'index.html']) assert.ok(existsSync(join(out, file)), file);
  const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  assert.equal(results.figures.counts.items, 3);
  assert.equal(results.figures.bpcer.value, 0);
  assert.equal(results.figures.apcerBySpecies.looped_still.value, 0);
  assert.equal(results.figures.apcerBySpecies.moved_still.value, 0);
  const csv = (await readFile(join(out, 'items.csv'), 'utf8')).trim().split('\n');
  assert.equal(csv[0], 'path,label,species,subject,real_probability,decision,attack_type,reason_codes,seconds');
  assert.equal(csv.length, 4);
  assert.ok((await readFile(join(out, 'roc.png'))).subarray(1, 4).toString() === 'PNG');
  const second = await run(['eval', root, '--out', out]);
  assert.equal(second.code, 0);
  const again = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  assert.deepEqual(again.items.map((i: { seconds: number }) => i.seconds), results.items.map((i: { seconds: number }) => i.seconds), 'second run served from the cache');
});

test('calibrate writes a fusion model that check loads with --calibration', { skip: noFranck }, async () => {
  const root = join(await scratch(), 'calibrate-set');
  for (const dir of ['live/bona_fide', 'print/moved_still']) await mkdir(join(root, dir), { recursive: true });
  await copyFile(await franckClip('live-5s.mp4', 5), join(root, 'live/bona_fide/person-a.mp4'));
  await copyFile(await handMovedStill(1), join(root, 'print/moved_still/person-a.mp4'));
  await copyFile(await handMovedStill(2), join(root, 'print/moved_still/person-b.mp4'));
  const out = join(await scratch(), 'calibration.json');
  const bad = await run(['calibrate', root, '--target', 'apcer=lots', '--out', out]);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /Expected 'apcer=<rate>' or 'bpcer=<rate>' with a rate from 0 to 1 for --target but received 'apcer=lots'/);
  const { code, stdout, stderr } = await run(['calibrate', root, '--target', 'apcer=0', '--out', out]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^temporal: fitted on 3 items/);
  assert.doesNotMatch(stdout, /^short:/m, 'no 8-frame arrays in the set: the short profile keeps its shipped fit');
  assert.match(stdout, /before .*BPCER/);
  assert.match(stdout, /after .*BPCER/);
  const model = JSON.parse(await readFile(out, 'utf8'));
  assert.match(model.version, /^calibration-/);
  const shipped = JSON.parse(await readFile('models/fusion.json', 'utf8'));
  assert.deepEqual(model.profiles.temporal.features.map((f: { signal: string }) => f.signal), shipped.profiles.temporal.features.map((f: { signal: string }) => f.signal), 'refitted on the shipped signals');
  assert.deepEqual(model.profiles.short, shipped.profiles.short);
  const check = await run(['check', '--evidence', '--calibration', out, await handMovedStill(1)]);
  assert.equal(check.code, 1);
  assert.match(JSON.parse(check.stdout).evidence.models.fusion, new RegExp(`^${model.version}\\+[0-9a-f]{12}$`), 'the calibration, with its digest');
});

test('calibrate refits the short profile on the arrays of 8 frames it decides, and leaves temporal as shipped without videos', { skip: noFranck }, async () => {
  const { extractFrames } = await import('../helpers/frames.js');
  const root = join(await scratch(), 'calibrate-frames-set');
  const sources: Array<[string, Promise<string>]> = [
    ['live/bona_fide/person-a', franckClip('live-5s.mp4', 5)],
    ['print/moved_still/person-a', handMovedStill(1)],
    ['print/moved_still/person-b', handMovedStill(2)],
  ];
  for (const [dir, clip] of sources) {
    await mkdir(join(root, dir), { recursive: true });
    const frames = await extractFrames(await clip, 8, `calibrate-${dir.replaceAll('/', '-')}`);
    for (const [i, frame] of frames.entries()) await copyFile(frame, join(root, dir, `${String(i).padStart(2, '0')}.jpg`));
  }
  const out = join(await scratch(), 'calibration-frames.json');
  const { code, stdout, stderr } = await run(['calibrate', root, '--target', 'apcer=0', '--out', out]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /^short: fitted on 3 items/);
  assert.doesNotMatch(stdout, /^temporal:/m);
  const model = JSON.parse(await readFile(out, 'utf8'));
  const shipped = JSON.parse(await readFile('models/fusion.json', 'utf8'));
  assert.deepEqual(model.profiles.temporal, shipped.profiles.temporal);
  assert.notDeepEqual(model.profiles.short, shipped.profiles.short);
  assert.deepEqual(model.provenance.items, { short: 3 });
});
