/**
 * Capture sessions on a served API: `liveness serve` checks colour and mouth challenges in its
 * worker pool, so a capture passes or fails there exactly as in-process. The server listens on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ColourSequence } from '../../src/challenge/index.js';
import type { RunningServer } from '../../src/server/serve.js';
import { startLocalServer } from '../helpers/server.js';
import { tintedClip } from '../helpers/challenge.js';
import { FRANCK, ffmpeg, noFranck, scratch } from '../helpers/media.js';

let server: RunningServer;
let stop: () => Promise<void>;

before(async () => {
  ({ server, stop } = await startLocalServer('liveness-serve-sessions-'));
});

after(async () => {
  await stop();
});

async function call(path: string, init: RequestInit): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, init);
  return { status: response.status, body: await response.json() };
}

test('a colour capture that reflects the revealed sequence passes in the worker pool; a plain one fails closed', { skip: noFranck }, async () => {
  const outcomes: boolean[] = [];
  for (const reflect of [true, false]) {
    const created = await call('/v1/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ challenge: 'colour' }) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { session_id: id, token } = created.body as { session_id: string; token: string };
    const revealed = await call(`/v1/sessions/${id}/challenge`, { method: 'POST', headers: { authorization: `Session ${token}` } });
    assert.equal(revealed.status, 200, JSON.stringify(revealed.body));
    const steps = revealed.body.sequence.steps as Array<{ colour: ColourSequence['steps'][number]['colour']; start_ms: number; duration_ms: number }>;
    const sequence: ColourSequence = { totalMs: revealed.body.sequence.total_ms, steps: steps.map((s) => ({ colour: s.colour, startMs: s.start_ms, durationMs: s.duration_ms })) };
    const clip = reflect
      ? await tintedClip(`serve-session-${id}.mp4`, sequence, { flashStartMs: 500, delayMs: 120, strength: 0.04, startS: 5 })
      : await tintedClip('serve-session-plain.mp4', null, { flashStartMs: 500, delayMs: 0, strength: 0, startS: 25 });
    const body = JSON.stringify({ model: 'face-liveness', video_url: `data:video/mp4;base64,${(await readFile(clip)).toString('base64')}`, flash_start_ms: 500 });
    const captured = await call(`/v1/sessions/${id}/capture`, { method: 'POST', headers: { authorization: `Session ${token}`, 'content-type': 'application/json' }, body });
    assert.equal(captured.status, 200, JSON.stringify(captured.body));
    outcomes.push(captured.body.challenge.passed);
    if (!reflect) assert.equal(captured.body.result.result.is_real, false);
    const report = await call(`/v1/sessions/${id}`, { method: 'GET' });
    assert.equal(report.body.status, 'completed');
    assert.equal(report.body.challenge.passed, reflect);
  }
  assert.deepEqual(outcomes, [true, false]);
});

test('a mouth capture of a man talking, who never follows the prompts, fails closed in the worker pool', { skip: noFranck }, async () => {
  const created = await call('/v1/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ challenge: 'mouth', return: 'evidence' }) });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const { session_id: id, token } = created.body as { session_id: string; token: string };
  const revealed = await call(`/v1/sessions/${id}/challenge`, { method: 'POST', headers: { authorization: `Session ${token}` } });
  assert.equal(revealed.status, 200, JSON.stringify(revealed.body));
  const { lead_in_ms: leadInMs, prompts } = revealed.body as { lead_in_ms: number; prompts: { total_ms: number; prompts: unknown[] } };
  // As long as the page records: the lead-in, the prompting and 800 ms for the reaction delay.
  const clip = join(await scratch(), `serve-mouth-${id}.mp4`);
  await ffmpeg(['-ss', '5', '-t', ((leadInMs + prompts.total_ms + 800) / 1000).toFixed(2), '-i', FRANCK, '-an', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', clip]);
  const body = JSON.stringify({ model: 'face-liveness', video_url: `data:video/mp4;base64,${(await readFile(clip)).toString('base64')}`, prompt_start_ms: leadInMs });
  const captured = await call(`/v1/sessions/${id}/capture`, { method: 'POST', headers: { authorization: `Session ${token}`, 'content-type': 'application/json' }, body });
  assert.equal(captured.status, 200, JSON.stringify(captured.body));
  const outcome = captured.body.challenge;
  assert.equal(outcome.type, 'mouth');
  assert.equal(outcome.passed, false, JSON.stringify(outcome));
  assert.equal(outcome.prompt_start_ms, leadInMs);
  assert.equal(outcome.prompts.length, prompts.prompts.length);
  assert.ok(outcome.rest_frames > 0, 'the face was tracked through the resting phases');
  assert.equal(captured.body.result.result.is_real, false);
  assert.equal(captured.body.result.result.real_probability, 0);
  const report = await call(`/v1/sessions/${id}`, { method: 'GET' });
  assert.equal(report.body.status, 'completed');
  assert.deepEqual(report.body.challenge, outcome);
});
