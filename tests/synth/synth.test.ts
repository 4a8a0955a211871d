import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadDeps } from '../../src/deps.js';
import { parseCsvRecords } from '../../src/manifest/csv.js';
import { analyzeMedia } from '../../src/pipeline/index.js';
import { bendSheet, renderPrint, renderScreen } from '../../src/synth/recapture.js';
import { parseSpecies, synthesize } from '../../src/synth/index.js';
import { seededRandom } from '../../src/synth/still-attacks.js';
import { FRANCK, noFranck, scratch, tools } from '../helpers/media.js';

const grey = (width: number, height: number, value: number) => ({ width, height, rgb: new Uint8Array(width * height * 3).fill(value) });

test('a print halftones a flat grey into ink dots within the paper range', () => {
  const printed = renderPrint(grey(32, 32, 128), seededRandom(1));
  assert.equal(printed.width, 64);
  const values = new Set(printed.rgb);
  assert.ok(values.size > 3, 'dots and their spread, not one flat value');
  assert.ok(Math.max(...printed.rgb) <= 255 && Math.min(...printed.rgb) >= 10, 'paper never reaches pure black');
});

test('a screen shows its sub-pixel stripes, with a bezel on some seeds', () => {
  const bezels = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => {
    const shown = renderScreen(grey(20, 20, 200), 'phone', seededRandom(seed));
    const padX = (shown.width - 60) / 2;
    const padY = (shown.height - 60) / 2;
    // Inside the content, neighbouring columns light different channels.
    const at = (x: number, c: number) => shown.rgb[((padY + 30) * shown.width + padX + 30 + x) * 3 + c]!;
    assert.ok(at(0, 0) > at(0, 1) && at(1, 1) > at(1, 0) && at(2, 2) > at(2, 0));
    if (padX > 0) assert.equal(shown.rgb[0], 18, 'the corner is bezel');
    return padX > 0;
  });
  assert.ok(bezels.includes(true) && bezels.includes(false));
});

test('a bent sheet is compressed and shaded towards its edges', () => {
  const bent = bendSheet(grey(100, 10, 200), 0.25);
  const at = (x: number) => bent.rgb[(5 * 100 + x) * 3]!;
  assert.ok(at(50) > at(2), `centre ${at(50)} brighter than edge ${at(2)}`);
});

test('--species is checked', () => {
  assert.deepEqual(parseSpecies('print,replay'), ['print', 'replay']);
  assert.throws(() => parseSpecies('print,hologram'), /Expected a comma-separated list of print, replay, looped, moved for --species but received 'print,hologram'/);
});

test('synth writes seeded, reproducible attack clips and a manifest eval reads', { skip: noFranck }, async () => {
  const run = async (name: string) => {
    const outDir = join(await scratch(), name);
    const items = await synthesize(tools, [FRANCK], { outDir, species: ['print', 'replay'], seed: 7, bitrateKbps: 1500 });
    return { outDir, items };
  };
  const first = await run('synth-a');
  const second = await run('synth-b');
  assert.deepEqual(first.items.map((i) => [i.label, i.species]), [['print', 'print_photo'], ['replay', second.items[1]!.species]]);
  assert.match(first.items[1]!.species, /^(phone|tablet|monitor)_replay$/);
  const digest = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');
  assert.equal(await digest(first.items[0]!.path), await digest(second.items[0]!.path), 'same seed, same bytes');
  const manifest = parseCsvRecords(await readFile(join(first.outDir, 'manifest.csv'), 'utf8'));
  assert.deepEqual(manifest.map((r) => [r.kind, r.label, r.subject]), [['video', 'print', 'franck'], ['video', 'replay', 'franck']]);
  // A printed photo and a photo on a screen, moved by hand: the core must call both attacks.
  const deps = await loadDeps();
  for (const item of first.items) {
    const analysis = await analyzeMedia({ kind: 'media', source: { path: item.path } }, deps);
    assert.equal(analysis.outcome, 'attack', `${item.species}: ${JSON.stringify(analysis.evidence.signals)}`);
  }
});
