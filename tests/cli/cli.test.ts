import assert from 'node:assert/strict';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { franckClip, loopedStill, noFaceClip, noFranck, scratch, writeScratch } from '../helpers/media.js';


const run = (args: string[]) => runCli(args);

const ENVELOPE_KEYS = ['inference_id', 'model_id', 'model_name', 'moderation_type', 'status', 'result', 'response_time_ms', 'created_at', 'completed_at'];

test('--help documents the exit codes', async () => {
  const { code, stdout } = await run(['--help']);
  assert.equal(code, 0);
  assert.match(stdout, /0 live\s+1 attack\s+2 inconclusive\s+3 bad input/);
});

test('check prints the contract envelope for a live clip and exits 0', { skip: noFranck }, async () => {
  const { code, stdout, stderr } = await run(['check', await franckClip('live-5s.mp4', 5)]);
  assert.equal(code, 0, stderr);
  const envelope = JSON.parse(stdout);
  assert.deepEqual(Object.keys(envelope), ENVELOPE_KEYS);
  assert.match(envelope.inference_id, /^inf_[a-z0-9]{24}$/);
  assert.equal(envelope.model_id, 'face_liveness');
  assert.equal(envelope.model_name, 'Face Liveness Detection');
  assert.equal(envelope.status, 'completed');
  assert.match(envelope.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(Object.keys(envelope.result), ['is_real', 'is_spoof', 'real_probability', 'confidence', 'attack_type', 'attack_type_name', 'attack_type_confidence']);
  assert.equal(envelope.result.is_real, true);
});

test('--evidence adds the evidence; an attack exits 1', { skip: noFranck }, async () => {
  const { code, stdout } = await run(['check', '--evidence', await loopedStill(1)]);
  assert.equal(code, 1);
  const envelope = JSON.parse(stdout);
  assert.equal(envelope.result.is_spoof, true);
  assert.ok(Array.isArray(envelope.evidence.signals) && envelope.evidence.frames.length > 0);
});

test('no face exits 2 with the reason code', async () => {
  const { code, stdout } = await run(['check', await noFaceClip()]);
  assert.equal(code, 2);
  const envelope = JSON.parse(stdout);
  assert.equal(envelope.inconclusive.code, 'no_face');
  assert.equal(envelope.result.is_real, false);
});

test('bad input exits 3 with one line on stderr and no stack trace', async () => {
  const { code, stdout, stderr } = await run(['check', await writeScratch('cli-text.mp4', 'hello')]);
  assert.equal(code, 3);
  assert.equal(stdout, '');
  assert.equal(stderr.trim().split('\n').length, 1);
  assert.match(stderr, /^liveness: unsupported_media: /);
  assert.doesNotMatch(stderr, /\n\s+at /);
});

test('a folder runs every file and prints one JSON line each; the exit code is the worst', { skip: noFranck }, async () => {
  const dir = join(await scratch(), 'batch');
  await mkdir(dir, { recursive: true });
  await copyFile(await franckClip('live-5s.mp4', 5), join(dir, 'a-live.mp4'));
  await copyFile(await noFaceClip(), join(dir, 'b-noface.mp4'));
  await writeScratch('batch/c-text.txt', 'not media');
  const { code, stdout } = await run(['check', dir]);
  assert.equal(code, 3);
  const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 3);
  assert.equal(lines[0].result.is_real, true);
  assert.equal(lines[1].inconclusive.code, 'no_face');
  assert.equal(lines[2].error.code, 'unsupported_media');
  assert.ok(lines.every((l) => typeof l.input === 'string'));
});

test('--format table prints a row per input', async () => {
  const { stdout } = await run(['check', '--format', 'table', await noFaceClip()]);
  assert.match(stdout, /^input\s+verdict\s+real_probability/);
  assert.match(stdout, /inconclusive\s+0\.000\s+0\.000\s+\S+\s+no_face/);
});

test('unknown options and bad values exit 3 with a sharp-style message', async () => {
  const bad = await run(['check', '--concurrency', 'many', 'x.mp4']);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /invalid_argument: Expected an integer from 1 to 64 for --concurrency but received 'many' of type string/);
  const unknown = await run(['check', '--bogus', 'x.mp4']);
  assert.equal(unknown.code, 3);
  assert.match(unknown.stderr, /invalid_argument/);
});
