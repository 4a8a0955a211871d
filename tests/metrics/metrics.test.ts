import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apcer, apcerAtBpcer, bpcer, bpcerAtApcer, equalErrorRate, rocAuc } from '../../src/metrics/index.js';

const live = (score: number) => ({ score, bonaFide: true });
const attack = (score: number) => ({ score, bonaFide: false });

test('APCER and BPCER at a threshold, worked by hand', () => {
  const samples = [live(0.9), live(0.6), live(0.4), attack(0.7), attack(0.3), attack(0.1), attack(0.05)];
  // At 0.5: attacks accepted 1 of 4; live rejected 1 of 3.
  assert.equal(apcer(samples, 0.5), 0.25);
  assert.equal(bpcer(samples, 0.5), 1 / 3);
  // A score equal to the threshold is accepted.
  assert.equal(apcer(samples, 0.7), 0.25);
  assert.equal(bpcer(samples, 0.6), 1 / 3);
});

test('ROC AUC counts ties as half', () => {
  assert.equal(rocAuc([live(0.8), attack(0.2)]), 1);
  assert.equal(rocAuc([live(0.5), attack(0.5)]), 0.5);
  // Pairs: (0.9>0.7) (0.9>0.3) (0.3=0.3 → ½) (0.3<0.7) → 2.5 / 4.
  assert.equal(rocAuc([live(0.9), live(0.3), attack(0.7), attack(0.3)]), 0.625);
});

test('no attacks or no live samples give NaN, never a made-up figure', () => {
  assert.ok(Number.isNaN(apcer([live(0.5)], 0.5)));
  assert.ok(Number.isNaN(bpcer([attack(0.5)], 0.5)));
  assert.ok(Number.isNaN(rocAuc([live(0.5)])));
  assert.ok(Number.isNaN(apcerAtBpcer([attack(0.2), attack(0.9)], 0.05).apcer), 'no bona fide: no trade-off');
  assert.ok(Number.isNaN(bpcerAtApcer([live(0.2), live(0.9)], 0.05).bpcer), 'no attacks: no trade-off');
  assert.equal(apcerAtBpcer([live(0.8), live(0.9), attack(0.1), attack(0.85)], 0).apcer, 0.5, 'both classes: the figure is computed');
});

test('equal error rate of perfectly separated scores is 0', () => {
  assert.equal(equalErrorRate([live(0.9), live(0.8), attack(0.2), attack(0.1)]).eer, 0);
});
