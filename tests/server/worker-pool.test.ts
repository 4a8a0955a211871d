/**
 * Analyses run in worker threads: a real server listening on 127.0.0.1 keeps answering /healthz
 * at once (median under 10 ms, 90 % under 50 ms) while a worker analyses a clip, and errors from a
 * worker keep their code.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import type { RunningServer } from '../../src/server/serve.js';
import { startLocalServer } from '../helpers/server.js';
import { franckClip, noFranck, writeScratch } from '../helpers/media.js';

let server: RunningServer;
let stop: () => Promise<void>;

before(async () => {
  ({ server, stop } = await startLocalServer('liveness-pool-'));
});

after(async () => {
  await stop();
});

async function postMedia(path: string, mediaType: string): Promise<Response> {
  const body = JSON.stringify({ model: 'face-liveness', video_url: `data:${mediaType};base64,${(await readFile(path)).toString('base64')}` });
  return fetch(`${server.url}/v1/inferences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}

test('/readyz is ready once every worker has loaded its models', async () => {
  const response = await fetch(`${server.url}/readyz`);
  assert.equal(response.status, 200);
  const body = (await response.json()) as { status: string; models: Record<string, string> };
  assert.equal(body.status, 'ready');
  assert.match(body.models.runtime ?? '', /wasm/);
});

test('/healthz answers at once (90 % within 50 ms) while a worker analyses a clip', { skip: noFranck }, async () => {
  const clip = await franckClip('pool-live-5s.mp4', 5);
  let done = false;
  const analysis = postMedia(clip, 'video/mp4').finally(() => {
    done = true;
  });
  const latenciesMs: number[] = [];
  while (!done) {
    const startedAt = performance.now();
    const health = await fetch(`${server.url}/healthz`);
    await health.arrayBuffer();
    latenciesMs.push(performance.now() - startedAt);
    assert.equal(health.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const response = await analysis;
  const envelope = (await response.json()) as { status: string; result: { is_real: boolean } };
  assert.equal(response.status, 200, JSON.stringify(envelope));
  assert.equal(envelope.result.is_real, true);
  // Measured on a 2-core machine (load 6-8): in workers the median is ~1.5 ms and the 90th
  // percentile ~5 ms; with analyzeMedia on the main thread, ~28 ms and 56-117 ms. The slowest answer
  // is not asserted: other processes on a busy machine can deschedule this one for 200 ms.
  assert.ok(latenciesMs.length >= 10, `only ${latenciesMs.length} health checks ran during the analysis`);
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const summary = `median ${sorted[sorted.length >> 1]!.toFixed(1)} ms, 90th percentile ${sorted[Math.floor(sorted.length * 0.9)]!.toFixed(1)} ms, slowest ${sorted.at(-1)!.toFixed(1)} ms over ${sorted.length} checks`;
  assert.ok(sorted[sorted.length >> 1]! < 10, summary);
  assert.ok(sorted[Math.floor(sorted.length * 0.9)]! < 50, summary);
});

test('an error inside a worker keeps its code: a text file is 415 unsupported_media', async () => {
  const text = await writeScratch('pool-text.txt', 'hello, not a video');
  const response = await postMedia(text, 'video/mp4');
  const body = (await response.json()) as { error: { code: string; message: string }; inference_id?: string };
  assert.equal(response.status, 415, JSON.stringify(body));
  assert.equal(body.error.code, 'unsupported_media');
  assert.match(body.inference_id ?? '', /^inf_/);
});
