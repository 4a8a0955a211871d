/**
 * The one-person check's comparison, on descriptors drawn here: two people are two directions in
 * descriptor space, each frame one of them plus its own noise (pose, light, expression).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/config.js';
import { checkOnePerson, MAX_DESCRIBED, spreadPick } from '../../src/quality/one-person.js';
import { seededRandom } from '../../src/synth/still-attacks.js';

const LENGTH = 1024;
const options = DEFAULT_CONFIG.quality;

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
}

function unit(vector: Float32Array): Float32Array {
  const norm = Math.hypot(...vector);
  return vector.map((v) => v / norm);
}

/** A person: a random direction. */
function person(seed: number): Float32Array {
  const random = seededRandom(seed);
  return unit(Float32Array.from({ length: LENGTH }, () => gaussian(random)));
}

/** One frame of `who`: its direction plus noise of `noise` times its length, made unit again. */
function frameOf(who: Float32Array, seed: number, noise = 1): Float32Array {
  const random = seededRandom(seed);
  return unit(who.map((v) => v + (noise / Math.sqrt(LENGTH)) * gaussian(random)));
}

const alice = person(1);
const bob = person(2);
const indices = [0, 2, 4, 6, 8, 10, 12, 14];

test('frames of one person pass, each frame alone less alike than their means', () => {
  // Noise 1.2 times the person's own direction: single frames about 0.41 alike, means of two or more above 0.6.
  const frames = indices.map((i) => frameOf(alice, 100 + i, 1.2));
  const report = checkOnePerson(indices, frames, options);
  assert.equal(report.failure, null);
  const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, j) => sum + v * b[j]!, 0);
  const neighbours = frames.slice(1).map((f, k) => dot(f, frames[k]!));
  assert.ok(Math.max(...neighbours) < options.minIdentitySimilarity, `two single frames are less alike than the threshold: ${Math.max(...neighbours)}`);
  assert.ok(report.lowestSimilarity! > options.minIdentitySimilarity + 0.1, String(report.lowestSimilarity));
  assert.deepEqual(report.describedFrames, indices);
});

test('one person, then another: the change is found where it happens, and the sequence fails', () => {
  for (const switchAt of [2, 4, 6]) {
    const frames = indices.map((i, k) => frameOf(k < switchAt ? alice : bob, 200 + i));
    const report = checkOnePerson(indices, frames, options);
    assert.ok(report.lowestSimilarity! < 0.2, String(report.lowestSimilarity));
    assert.equal(report.changeAfterFrame, indices[switchAt - 1]);
    assert.match(report.failure!, new RegExp(`^The face changes partway through: the frames up to frame ${indices[switchAt - 1]} and those after it look like two people`));
  }
});

test('one odd frame in the middle does not decide: each side of a change has at least two frames, and their mean', () => {
  const frames = indices.map((i, k) => frameOf(k === 3 ? bob : alice, 300 + i));
  const report = checkOnePerson(indices, frames, options);
  assert.equal(report.failure, null, String(report.lowestSimilarity));
});

test('with fewer than four described frames there is nothing to compare', () => {
  const report = checkOnePerson([0, 1, 2], [frameOf(alice, 1), frameOf(bob, 2), frameOf(bob, 3)], options);
  assert.deepEqual(report, { describedFrames: [0, 1, 2], lowestSimilarity: null, changeAfterFrame: null, failure: null });
});

test('spreadPick takes frames evenly from the first to the last, all of them when there are few', () => {
  assert.deepEqual(spreadPick([3, 4, 5], MAX_DESCRIBED), [3, 4, 5]);
  const sixteen = Array.from({ length: 16 }, (_, i) => i);
  assert.deepEqual(spreadPick(sixteen, 8), [0, 2, 4, 6, 9, 11, 13, 15]);
  assert.deepEqual(spreadPick([1, 5, 9, 20], 2), [1, 20]);
});
