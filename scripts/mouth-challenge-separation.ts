/**
 * How often a recording made without the prompts passes the mouth challenge by chance: every bona
 * fide clip of the dev set (as a replayed or injected video would show it) and every attack that
 * `liveness synth` made from them (paper masks, video replays), each checked against many random
 * prompt schedules placed at random points of its first seconds; a clip shorter than that is looped,
 * as an attacker replaying it would. Also prints the lip-gap range of
 * each clip. Then the worst case, simulated: a person who follows prompts (opening 300–700 ms after a
 * prompt appears, closing 250–650 ms after it ends, wide open 0.3–0.5, closed 0.02, ±0.01 noise),
 * checked against the prompts they followed and against other prompts, as a recording of them
 * made during another capture would be, with 3 prompts (as shipped) and with 2 (why not fewer).
 * Asserts nothing: the figures are in README.md.
 *
 *   node dist/scripts/mouth-challenge-separation.js [--bench DIR] [--synth .cache/synth-mv] [--schedules 200] [--seconds 15] [--simulated 2000] [--skip-clips]
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkMouthChallenge, DEFAULT_MOUTH_CHALLENGE, drawMouthPrompts, scoreMouthChallenge, type MouthPrompts, type MouthSample } from '../src/challenge/index.js';
import { loadObservationDeps } from '../src/deps.js';
import { seededRandom } from '../src/synth/still-attacks.js';
import { loadBench, loadSynth, type DevItem } from './dev-set.js';

const { values } = parseArgs({
  options: {
    bench: { type: 'string', default: process.env.BENCH_DIR ?? resolve('..', 'shared', 'bench') },
    synth: { type: 'string', default: resolve('.cache', 'synth-mv') },
    schedules: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '15' },
    simulated: { type: 'string', default: '2000' },
    'skip-clips': { type: 'boolean', default: false },
  },
});
const deps = await loadObservationDeps();
const { bench, items } = await loadBench(values.bench!);
const clips: DevItem[] = values['skip-clips'] ? [] : items.filter((i) => i.kind === 'video' && i.label === 'live');
if (!values['skip-clips'] && existsSync(join(values.synth!, 'manifest.csv'))) clips.push(...(await loadSynth(join(values.synth!, 'manifest.csv'), bench, { keepApart: true })));

const windowMs = Number(values.seconds) * 1000;
const groups = new Map<string, { clips: number; checks: number; passed: number; nearest: number[] }>();
for (const [n, item] of clips.entries()) {
  const group = item.label === 'live' ? 'bona fide clip replayed' : item.species;
  // One decode of the first seconds; the schedules are then scored on its lip-gap series.
  const { samples } = await checkMouthChallenge(item.input, { prompts: [], totalMs: windowMs }, deps, { ...DEFAULT_MOUTH_CHALLENGE, promptStartMs: 0, minLagMs: 0, maxLagMs: 0 });
  const stats = groups.get(group) ?? { clips: 0, checks: 0, passed: 0, nearest: [] };
  groups.set(group, stats);
  if (samples.length < 10) {
    console.error(`${item.id}: ${samples.length} frames with a face, left out`);
    continue;
  }
  stats.clips++;
  const random = seededRandom(1000 + n);
  const looped = loop(samples, windowMs);
  const end = looped.at(-1)!.timestampMs;
  const openings = samples.map((s) => s.opening).sort((a, b) => a - b);
  let passed = 0;
  let nearest = -Infinity;
  for (let k = 0; k < Number(values.schedules); k++) {
    const prompts = drawMouthPrompts(random);
    const room = end - prompts.totalMs - DEFAULT_MOUTH_CHALLENGE.maxLagMs;
    if (room < 0) break;
    const outcome = scoreMouthChallenge(looped, prompts, { ...DEFAULT_MOUTH_CHALLENGE, promptStartMs: random() * room });
    stats.checks++;
    if (outcome.passed) passed++;
    // How close it came: the smallest prompt rise over the threshold, with the rest spread under its limit.
    const rise = Math.min(...outcome.prompts.map((p) => p.rise ?? -1));
    if (outcome.restSpread <= DEFAULT_MOUTH_CHALLENGE.maxRestSpread) nearest = Math.max(nearest, rise);
  }
  stats.passed += passed;
  stats.nearest.push(nearest);
  console.error(`${n + 1}/${clips.length} ${item.id}: lip gap p5 ${openings[Math.floor(0.05 * openings.length)]!.toFixed(3)} p50 ${openings[Math.floor(0.5 * openings.length)]!.toFixed(3)} p95 ${openings[Math.floor(0.95 * openings.length)]!.toFixed(3)}; passed ${passed}; best rise with a closed rest ${nearest.toFixed(3)}`);
}
console.log(`mouth challenge: rise ≥ ${DEFAULT_MOUTH_CHALLENGE.minRise}, rest spread ≤ ${DEFAULT_MOUTH_CHALLENGE.maxRestSpread}, reaction ${DEFAULT_MOUTH_CHALLENGE.minLagMs}–${DEFAULT_MOUTH_CHALLENGE.maxLagMs} ms`);
for (const [group, { clips: count, checks, passed, nearest }] of groups) {
  const sorted = nearest.filter(Number.isFinite).sort((a, b) => a - b);
  console.log(`${group.padEnd(26)} clips ${String(count).padStart(3)}  checks ${String(checks).padStart(5)}  passed ${passed} (${((100 * passed) / Math.max(1, checks)).toFixed(2)} %)  best rise with closed rest: median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(3) ?? 'n/a'}, max ${sorted.at(-1)?.toFixed(3) ?? 'n/a'}`);
}

/** The series played again and again until `lengthMs`. */
function loop(samples: readonly MouthSample[], lengthMs: number): MouthSample[] {
  const periodMs = samples.at(-1)!.timestampMs + 1000 / 15;
  const out: MouthSample[] = [];
  for (let start = 0; start < lengthMs; start += periodMs) {
    for (const s of samples) if (start + s.timestampMs <= lengthMs) out.push({ timestampMs: start + s.timestampMs, opening: s.opening });
  }
  return out;
}

/** A person following `prompts` shown from `startMs`, filmed at 15 fps. */
function follower(prompts: MouthPrompts, startMs: number, lengthMs: number, random: () => number): MouthSample[] {
  const openMs = 300 + random() * 400;
  const closeMs = 250 + random() * 400;
  const open = (t: number) => prompts.prompts.some((p) => t >= startMs + p.startMs + openMs && t < startMs + p.startMs + p.durationMs + closeMs);
  const samples: MouthSample[] = [];
  for (let t = 0; t <= lengthMs; t += 1000 / 15) samples.push({ timestampMs: t, opening: (open(t) ? 0.3 + random() * 0.2 : 0.02) + (random() - 0.5) * 0.02 });
  return samples;
}
const runs = Number(values.simulated);
for (const count of [3, 2]) {
  const random = seededRandom(5);
  let own = 0;
  let other = 0;
  let lengthMs = 0;
  for (let k = 0; k < runs; k++) {
    const target = drawMouthPrompts(random, { count });
    const recorded = drawMouthPrompts(random, { count });
    const length = DEFAULT_MOUTH_CHALLENGE.promptStartMs + Math.max(target.totalMs, recorded.totalMs) + 1500;
    lengthMs += target.totalMs;
    if (scoreMouthChallenge(follower(target, DEFAULT_MOUTH_CHALLENGE.promptStartMs, length, random), target).passed) own++;
    // The recording began up to ±500 ms away from where this capture's prompts begin.
    if (scoreMouthChallenge(follower(recorded, DEFAULT_MOUTH_CHALLENGE.promptStartMs + (random() - 0.5) * 1000, length, random), target).passed) other++;
  }
  if (runs > 0) {
    console.log(`simulated person, ${count} prompts, ${runs} schedules (mean prompting ${(lengthMs / runs / 1000).toFixed(1)} s): follows these prompts → passes ${((100 * own) / runs).toFixed(1)} %; followed other prompts (a recording from another capture) → passes ${((100 * other) / runs).toFixed(1)} %`);
  }
}
