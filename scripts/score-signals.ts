/**
 * Scores the signal values that `collect-signals` wrote with a fusion model's profile, at its
 * threshold, and prints how many items of each kind it gets wrong: bona fide rejected (s09–s30 apart,
 * as in fit-fusion) and attacks accepted, per species. For what-ifs such as "8 frames judged by the
 * 16-frame profile" or "the capture page's first 3 s": the items are the model's own training items
 * seen another way, so these figures are not cross-validated.
 *
 *   node dist/scripts/score-signals.js --in .cache/signals-short.jsonl [--profile temporal|short] [--model models/fusion.json]
 */
import { parseArgs } from 'node:util';
import { DEFAULT_FUSION_PATH } from '../src/deps.js';
import { fuseSignals, loadFusionModel, profileOf, type ProfileName } from '../src/fusion/model.js';
import { decidedByTemporal, isOtherCameraSubject, readSignalRows } from './signal-rows.js';

const { values } = parseArgs({ options: { in: { type: 'string' }, profile: { type: 'string', default: 'temporal' }, model: { type: 'string', default: DEFAULT_FUSION_PATH } } });
if (!values.in) throw new Error('Expected --in <signals.jsonl> (from scripts/collect-signals.ts)');
const model = await loadFusionModel(values.model!);
const profile = values.profile as ProfileName;
const { threshold } = profileOf(model, profile);

const rows = await readSignalRows(values.in);
const decided = decidedByTemporal(rows);
const groups = new Map<string, { wrong: number; items: number }>();
for (const row of decided) {
  const signals = Object.entries(row.signals).map(([name, value]) => ({ name, applies: value !== null, value, details: {} }));
  const live = fuseSignals(signals, model, profile).realProbability >= threshold;
  const group = row.label === 'live' ? (isOtherCameraSubject(row.subject) ? 'bona fide, s09–s30' : 'bona fide, others') : row.species;
  const counts = groups.get(group) ?? { wrong: 0, items: 0 };
  counts.items++;
  if (live !== (row.label === 'live')) counts.wrong++;
  groups.set(group, counts);
}
const left = rows.length - decided.length;
console.log(`${values.in}: profile ${profile} of ${model.version}, threshold ${threshold}; ${left} inconclusive or failed items left out`);
for (const [group, { wrong, items }] of [...groups].sort()) {
  console.log(`  ${group.padEnd(22)} ${group.startsWith('bona fide') ? 'rejected' : 'accepted'} ${wrong}/${items} (${((100 * wrong) / items).toFixed(1)} %)`);
}
