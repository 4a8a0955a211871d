import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitLogistic, predictLogistic } from '../../src/fusion/logistic.js';
import { fuseSignals, loadFusionModel, profileOf, transformValue, type FusionModel } from '../../src/fusion/model.js';
import { chooseProfile, TEMPORAL_MIN_FRAMES } from '../../src/pipeline/index.js';
import { DEFAULT_FUSION_PATH } from '../../src/deps.js';
import { fitProfile } from '../../src/fusion/fit.js';
import { fitTyping, typeAttack } from '../../src/fusion/typing.js';

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

test('attack typing learns which instrument from the signals, cross-validated by subject, with probabilities', () => {
  // Three instruments, told apart by two signals: prints move as planes (low a), screens flicker (high b).
  const rows = Array.from({ length: 60 }, (_, i) => {
    const type = (['print', 'replay', 'paper_mask'] as const)[i % 3]!;
    const jitter = ((i * 7919) % 13) / 13 - 0.5;
    const a = type === 'print' ? 0.1 : 1;
    const b = type === 'replay' ? 2 : 0.2;
    return { subject: `s${Math.floor(i / 6)}`, type, signals: { a: a * (1 + 0.2 * jitter), b: b + 0.1 * jitter, c: i % 2 ? null : 1 } };
  });
  const fit = fitTyping(rows, [{ signal: 'a', transform: 'log' }, { signal: 'b', transform: 'identity' }, { signal: 'c', transform: 'identity', optional: true }]);
  const correct = fit.outOfFold.filter((p, i) => fit.model.types[p.indexOf(Math.max(...p))] === rows[i]!.type).length;
  assert.ok(correct >= 57, `held-out subjects typed right: ${correct}/60`);
  assert.ok(fit.outOfFold.every((p) => Math.abs(p.reduce((s, v) => s + v, 0) - 1) < 1e-9), 'probabilities sum to 1');
  const signal = (name: string, value: number | null) => ({ name, applies: value !== null, value, details: {} });
  const screen = typeAttack(fit.model, [signal('a', 1), signal('b', 2), signal('c', null)]);
  assert.equal(screen?.name, 'replay');
  assert.ok(screen!.probability > 0.8 && screen!.probability <= 1);
  assert.equal(typeAttack(undefined, []), null, 'no typing model, no type');
});

test('an optional signal may be missing: it stands at its mean in fitting and in use, and is not reported missing', () => {
  const rows = Array.from({ length: 40 }, (_, i) => ({ subject: `s${i % 10}`, bonaFide: i % 2 === 0, species: i % 2 ? 'print_photo' : 'bona_fide', signals: { a: (i % 2 ? -1 : 1) + ((i % 5) - 2) / 10, b: i % 3 ? null : i % 2 } }));
  const fit = fitProfile(rows, [{ signal: 'a', transform: 'identity' }, { signal: 'b', transform: 'identity', optional: true }], { kind: 'bpcer', value: 0.1 });
  assert.equal(fit.rows.length, 40, 'rows without the optional signal are kept');
  assert.deepEqual(fit.profile.features.map((f) => f.optional ?? false), [false, true]);
  const model: FusionModel = { version: 't', provenance: {}, profiles: { temporal: fit.profile, single: { bias: 0, threshold: 1, thresholdSource: 't', features: [] } } };
  const fused = fuseSignals([{ name: 'a', applies: true, value: 1, details: {} }, { name: 'b', applies: true, value: null, details: {} }], model, 'temporal');
  assert.deepEqual(fused.missing, []);
  assert.ok(fused.realProbability > 0.5);
});

test('the stored threshold never rejects a bona fide score it was chosen to accept', () => {
  // Overlapping classes with scores of many decimals: the chosen threshold is one of them.
  const rows = Array.from({ length: 60 }, (_, i) => ({ subject: `s${i % 12}`, bonaFide: i % 2 === 0, species: i % 2 ? 'print_photo' : 'bona_fide', signals: { a: (i % 2 ? -0.3 : 0.3) + Math.sin(i * 7.31) } }));
  for (const value of [0.05, 0.1, 0.2]) {
    const fit = fitProfile(rows, [{ signal: 'a', transform: 'identity' }], { kind: 'bpcer', value });
    const live = fit.rows.flatMap((r, i) => (r.bonaFide ? [fit.outOfFold[i]!] : []));
    const rejected = live.filter((score) => score < fit.profile.threshold).length / live.length;
    assert.ok(rejected <= value, `BPCER ${rejected} at the stored threshold ${fit.profile.threshold}, target ${value}`);
  }
});

test('the version of a fusion model carries a digest of its file: a refit under the same declared version is told apart', async () => {
  const { mkdtemp, readFile, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'liveness-fusion-'));
  const shipped = JSON.parse(await readFile(DEFAULT_FUSION_PATH, 'utf8')) as FusionModel;
  await writeFile(join(dir, 'a.json'), JSON.stringify(shipped));
  await writeFile(join(dir, 'b.json'), JSON.stringify({ ...shipped, profiles: { ...shipped.profiles, temporal: { ...shipped.profiles.temporal, bias: shipped.profiles.temporal.bias + 0.1 } } }));
  const [a, b] = await Promise.all([loadFusionModel(join(dir, 'a.json')), loadFusionModel(join(dir, 'b.json'))]);
  assert.match(a.version, new RegExp(`^${shipped.version}\\+[0-9a-f]{12}$`));
  assert.notEqual(a.version, b.version);
});

test('profiles by usable frames: 12 or more temporal, 3–11 short, fewer or a still single; a model without short uses temporal', () => {
  const observed = (mode: 'video' | 'frames' | 'image', usable: number) => ({ mode, quality: { usableFrameIndices: Array.from({ length: usable }, (_, i) => i) } }) as unknown as Parameters<typeof chooseProfile>[0];
  assert.equal(chooseProfile(observed('video', 16)), 'temporal');
  assert.equal(chooseProfile(observed('video', TEMPORAL_MIN_FRAMES)), 'temporal');
  assert.equal(chooseProfile(observed('frames', 8)), 'short');
  assert.equal(chooseProfile(observed('video', 3)), 'short');
  assert.equal(chooseProfile(observed('frames', 2)), 'single');
  assert.equal(chooseProfile(observed('image', 1)), 'single');
  const temporal = { bias: 1, threshold: 0.5, thresholdSource: 't', features: [] };
  const single = { bias: 0, threshold: 1, thresholdSource: 't', features: [] };
  assert.equal(profileOf({ version: 't', provenance: {}, profiles: { temporal, single } }, 'short'), temporal);
  const short = { ...temporal, bias: -1 };
  assert.equal(profileOf({ version: 't', provenance: {}, profiles: { temporal, short, single } }, 'short'), short);
});
