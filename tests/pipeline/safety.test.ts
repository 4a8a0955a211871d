/** No shared state between analyses, and no temp file left behind on any path. */
import assert from 'node:assert/strict';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { withOverrides } from '../../src/config.js';
import { loadDeps, type Deps } from '../../src/deps.js';
import { analyzeMedia } from '../../src/pipeline/index.js';
import { franckClip, handMovedStill, noFranck, writeScratch } from '../helpers/media.js';

let deps: Deps;
before(async () => {
  deps = await loadDeps();
});

const strip = (analysis: Awaited<ReturnType<typeof analyzeMedia>>) => ({ result: analysis.result, signals: analysis.evidence.signals, frames: analysis.evidence.frames });

test('two analyses running at once give exactly what each gives alone', { skip: noFranck }, async () => {
  const live = { kind: 'media' as const, source: { path: await franckClip('live-5s.mp4', 5) } };
  const attack = { kind: 'media' as const, source: { path: await handMovedStill(1) } };
  const aloneLive = strip(await analyzeMedia(live, deps));
  const aloneAttack = strip(await analyzeMedia(attack, deps));
  const [together1, together2] = await Promise.all([analyzeMedia(live, deps), analyzeMedia(attack, deps)]);
  assert.deepEqual(strip(together1), aloneLive);
  assert.deepEqual(strip(together2), aloneAttack);
});

test('uploads written to temp files are removed on success, on error and on timeout', { skip: noFranck }, async () => {
  const previous = process.env.TMPDIR;
  const privateTmp = await mkdtemp(join(tmpdir(), 'liveness-tmp-check-'));
  process.env.TMPDIR = privateTmp;
  try {
    const { readFile } = await import('node:fs/promises');
    const bytes = new Uint8Array(await readFile(await franckClip('live-5s.mp4', 5)));
    await analyzeMedia({ kind: 'media', source: { bytes } }, deps);
    await assert.rejects(analyzeMedia({ kind: 'media', source: { bytes: bytes.subarray(0, 3000) } }, deps));
    await assert.rejects(analyzeMedia({ kind: 'media', source: { bytes } }, deps, withOverrides({ decode: { timeoutMs: 1 } })));
    await assert.rejects(analyzeMedia({ kind: 'media', source: { path: await writeScratch('text.mov', 'not a movie') } }, deps));
    assert.deepEqual(await readdir(privateTmp), []);
  } finally {
    process.env.TMPDIR = previous;
  }
});
