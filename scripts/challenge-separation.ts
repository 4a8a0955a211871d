/**
 * How well the colour challenge separates, over many random sequences: a live clip tinted in step
 * with the sequence (realistic strength and camera delay) against the same clip checked with other
 * sequences, with no reflection, and tinted out of step (the same colours 1.5 s late).
 * Prints correlation distributions and pass rates; asserts nothing.
 *
 *   node dist/scripts/challenge-separation.js [--clips 6] [--others 30]
 */
import { parseArgs } from 'node:util';
import { checkColourChallenge, drawColourSequence, scoreChallenge, type ChallengeOutcome } from '../src/challenge/index.js';
import { loadObservationDeps } from '../src/deps.js';
import { seededRandom } from '../src/synth/still-attacks.js';
import { tintedClip } from '../tests/helpers/challenge.js';

const { values } = parseArgs({ options: { clips: { type: 'string', default: '6' }, others: { type: 'string', default: '30' }, strength: { type: 'string', default: '0.04' }, delay: { type: 'string', default: '120' } } });
const deps = await loadObservationDeps();
const groups: Record<string, ChallengeOutcome[]> = { 'in step': [], 'other sequence': [], 'no reflection': [], 'out of step': [] };
const tint = { delayMs: Number(values.delay), strength: Number(values.strength) };
for (let k = 0; k < Number(values.clips); k++) {
  const sequence = drawColourSequence(seededRandom(100 + k));
  const startS = 5 + k * 20;
  const check = async (name: string, flashStartMs: number, tinted: boolean) =>
    checkColourChallenge({ kind: 'media', source: { path: await tintedClip(name, tinted ? sequence : null, { ...tint, flashStartMs, startS }) } }, sequence, deps);
  const inStep = await check(`sep-${k}.mp4`, 500, true);
  groups['in step']!.push(inStep);
  for (let j = 0; j < Number(values.others); j++) groups['other sequence']!.push(scoreChallenge(inStep.samples, drawColourSequence(seededRandom(10_000 + k * 1000 + j))));
  groups['no reflection']!.push(await check(`sep-plain-${k}.mp4`, 500, false));
  groups['out of step']!.push(await check(`sep-late-${k}.mp4`, 2000, true));
}
console.log(`tint strength ${tint.strength}, camera delay ${tint.delayMs} ms`);
for (const [name, outcomes] of Object.entries(groups)) {
  const c = outcomes.map((o) => o.correlation).sort((p, q) => p - q);
  const passed = outcomes.filter((o) => o.passed).length;
  console.log(`${name.padEnd(15)} n=${String(c.length).padStart(3)}  correlation min ${c[0]!.toFixed(2)}  median ${c[Math.floor(c.length / 2)]!.toFixed(2)}  max ${c.at(-1)!.toFixed(2)}  passed ${passed}/${outcomes.length}`);
}
