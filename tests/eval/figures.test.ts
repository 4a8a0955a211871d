import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeFigures } from '../../src/eval/figures.js';
import type { EvalItem } from '../../src/eval/manifest.js';
import type { ItemOutcome, ItemResult } from '../../src/eval/run.js';

function result(label: EvalItem['label'], species: string, subject: string, outcome: ItemOutcome, realProbability: number): ItemResult {
  return {
    item: { id: `${subject}-${species}-${realProbability}`, path: '/x', kind: 'video', label, species, subject },
    outcome,
    realProbability,
    attackTypeName: outcome === 'live' ? 'real' : 'unknown_attack',
    reason: outcome === 'inconclusive' ? 'no_face' : null,
    profile: outcome === 'live' || outcome === 'attack' ? 'temporal' : null,
    seconds: 1,
    signals: {},
    shownFrame: null,
  };
}

test('figures at the operating point, worked by hand', () => {
  const results = [
    result('live', 'bona_fide', 'a', 'live', 0.9),
    result('live', 'bona_fide', 'b', 'live', 0.8),
    result('live', 'bona_fide', 'c', 'inconclusive', 0), // a bona fide rejection
    result('live', 'bona_fide', 'd', 'attack', 0.3),
    result('print', 'print_photo', 'a', 'attack', 0.2),
    result('print', 'print_photo', 'b', 'live', 0.85), // accepted
    result('print', 'print_photo', 'c', 'inconclusive', 0), // not accepted
    result('replay', 'phone_replay', 'd', 'attack', 0.1), // a species with one item
  ];
  const f = computeFigures(results);
  assert.equal(f.bpcer.value, 0.5); // 2 of 4 live rejected
  assert.equal(f.apcerBySpecies.print_photo!.value, 1 / 3);
  assert.equal(f.apcerBySpecies.phone_replay!.value, 0);
  assert.equal(f.apcerBySpecies.phone_replay!.items, 1);
  assert.deepEqual(f.apcerWorst, { species: 'print_photo', value: 1 / 3 });
  assert.equal(f.acer, (1 / 3 + 0.5) / 2);
  assert.equal(f.pooled.apcer.value, 0.25);
  assert.equal(f.counts.inconclusive, 2);
  assert.ok(f.bpcer.low <= f.bpcer.value && f.bpcer.value <= f.bpcer.high);
  // Scores: live 0.9, 0.8, 0, 0.3 against attacks 0.2, 0.85, 0, 0.1 → 16 pairs:
  // 0.9 beats 4; 0.8 beats 3; 0 ties with 0 (½) and loses 3; 0.3 beats 3 → 10.5 / 16.
  assert.equal(f.rocAuc.value, 10.5 / 16);
});

test('all items inconclusive: every live item is a rejection, no attack is accepted', () => {
  const f = computeFigures([result('live', 'bona_fide', 'a', 'inconclusive', 0), result('print', 'print_photo', 'b', 'inconclusive', 0)]);
  assert.equal(f.bpcer.value, 1);
  assert.equal(f.apcerBySpecies.print_photo!.value, 0);
  assert.equal(f.rocAuc.value, 0.5); // tied scores
});

test('no attacks in the set: a clear note, not a silent NaN', () => {
  const f = computeFigures([result('live', 'bona_fide', 'a', 'live', 0.9)]);
  assert.match(f.notes.join(' '), /No attack items/);
  assert.equal(f.apcerWorst.species, null);
  assert.equal(f.bpcer.value, 0);
});

test('attack typing is scored on the attacks called attacks, against their label', () => {
  const typed = (label: EvalItem['label'], name: string, outcome: ItemOutcome = 'attack') => ({ ...result(label, `${label}_x`, 's', outcome, 0.1), attackTypeName: name });
  const f = computeFigures([
    result('live', 'bona_fide', 'a', 'live', 0.9),
    typed('print', 'print'),
    typed('print', 'replay'),
    typed('replay', 'replay'),
    typed('mask', 'paper_mask'),
    typed('print', 'unknown_attack'), // a still failing closed: called an attack, no instrument named
    typed('mask', 'unknown_attack', 'inconclusive'), // not called an attack: not typed
    typed('replay', 'real', 'live'), // accepted: not typed
  ]);
  assert.equal(f.typing.calledAttacks, 5);
  assert.equal(f.typing.typed, 4);
  assert.equal(f.typing.accuracy, 3 / 4);
  assert.deepEqual(f.typing.byLabel, { print: { print: 1, replay: 1, unknown_attack: 1 }, replay: { replay: 1 }, mask: { paper_mask: 1 } });
});
