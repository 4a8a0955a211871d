import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { checkColourChallenge, drawColourSequence, scoreChallenge } from '../../src/challenge/index.js';
import { loadObservationDeps, type ObservationDeps } from '../../src/deps.js';
import { seededRandom } from '../../src/synth/still-attacks.js';
import { tintedClip } from '../helpers/challenge.js';
import { noFranck } from '../helpers/media.js';

let deps: ObservationDeps;
before(async () => {
  deps = await loadObservationDeps();
});

test('sequences have 5–8 steps of 200–400 ms and never repeat a colour back to back', () => {
  for (let seed = 1; seed <= 50; seed++) {
    const { steps, totalMs } = drawColourSequence(seededRandom(seed));
    assert.ok(steps.length >= 5 && steps.length <= 8);
    assert.ok(steps.every((s, i) => s.durationMs >= 200 && s.durationMs <= 400 && (i === 0 || s.colour !== steps[i - 1]!.colour)));
    assert.equal(totalMs, steps.reduce((sum, s) => sum + s.durationMs, 0));
  }
});

test('a face that reflects the flashed sequence passes, with the camera delay recovered', { skip: noFranck }, async () => {
  const sequence = drawColourSequence(seededRandom(100));
  const clip = await tintedClip('challenge-in-step.mp4', sequence, { flashStartMs: 500, delayMs: 120, strength: 0.04, startS: 5 });
  const outcome = await checkColourChallenge({ kind: 'media', source: { path: clip } }, sequence, deps);
  assert.equal(outcome.passed, true, JSON.stringify(outcome.steps));
  assert.ok(Math.abs(outcome.lagMs - 120) <= 40, `lag ${outcome.lagMs} ms`);
  assert.ok(outcome.correlation >= 0.7);
  // The same recording checked against sequences it was not made with.
  for (const seed of [200, 201, 202]) assert.equal(scoreChallenge(outcome.samples, drawColourSequence(seededRandom(seed))).passed, false, `seed ${seed}`);
});

test('no reflection, or the right colours out of step, fail', { skip: noFranck }, async () => {
  const sequence = drawColourSequence(seededRandom(101));
  const plain = await tintedClip('challenge-plain.mp4', null, { flashStartMs: 500, delayMs: 0, strength: 0, startS: 25 });
  const late = await tintedClip('challenge-late.mp4', sequence, { flashStartMs: 2000, delayMs: 120, strength: 0.04, startS: 25 });
  for (const path of [plain, late]) {
    const outcome = await checkColourChallenge({ kind: 'media', source: { path } }, sequence, deps);
    assert.equal(outcome.passed, false, `${path}: ${outcome.correlation}`);
  }
});
