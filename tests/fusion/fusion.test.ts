import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitLogistic, predictLogistic } from '../../src/fusion/logistic.js';
import { fuseSignals, loadFusionModel, transformValue, type FusionModel } from '../../src/fusion/model.js';
import { DEFAULT_FUSION_PATH } from '../../src/deps.js';

test('logistic regression separates separable data and orders by the feature', () => {
  const x = [[-2], [-1.5], [-1], [1], [1.5], [2]];
  const y = [0, 0, 0, 1, 1, 1];
  const fit = fitLogistic(x, y, { l2: 0.1 });
  assert.ok(fit.weights[0]! > 0);
  assert.ok(predictLogistic(fit, [-2]) < 0.1 && predictLogistic(fit, [2]) > 0.9);
  assert.ok(Math.abs(predictLogistic(fit, [0]) - 0.5) < 0.01, 'symmetric data put the boundary at 0');
});

test('fusion skips missing signals, adds the rest as weight × standardised feature', () => {
  const model: FusionModel = {
    version: 'test',
    provenance: {},
    profiles: {
      temporal: {
        bias: 0.5,
        threshold: 0.5,
        thresholdSource: 'test',
        features: [
          { signal: 'a', transform: 'log', mean: 0, std: 2, weight: 1 },
          { signal: 'b', transform: 'identity', mean: 1, std: 1, weight: -1 },
        ],
      },
      single: { bias: 0, threshold: 0.5, thresholdSource: 'test', features: [] },
    },
  };
  const fused = fuseSignals(
    [
      { name: 'a', applies: true, value: Math.E ** 2, details: {} },
      { name: 'b', applies: false, value: null, details: {} },
    ],
    model,
    'temporal',
  );
  assert.deepEqual(fused.missing, ['b']);
  assert.equal(fused.contributions[0]!.contribution, 1); // (ln e² − 0) / 2 × 1
  assert.ok(Math.abs(fused.logit - 1.5) < 1e-12);
  assert.ok(Math.abs(fused.realProbability - 1 / (1 + Math.exp(-1.5))) < 1e-12);
});

test('transforms clamp their inputs', () => {
  assert.ok(Number.isFinite(transformValue(0, 'log')));
  assert.ok(Number.isFinite(transformValue(1, 'logit')) && Number.isFinite(transformValue(0, 'logit')));
});

test('the shipped fusion model loads and its thresholds are probabilities', async () => {
  const model = await loadFusionModel(DEFAULT_FUSION_PATH);
  for (const profile of Object.values(model.profiles)) {
    assert.ok(profile.threshold > 0 && profile.threshold <= 1);
    assert.ok(profile.features.every((f) => Number.isFinite(f.weight) && f.std > 0));
  }
});
