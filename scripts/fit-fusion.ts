/**
 * Fits the fusion model (models/fusion.json) on the signal values that `collect-signals` wrote,
 * with leave-one-subject-out cross-validation (src/fusion/fit.ts), and picks the operating point
 * security-first: the lowest threshold that rejects every cross-validated attack, as long as at most
 * 10 % of bona fide items are then rejected; otherwise the threshold where 10 % are.
 *
 *   node dist/scripts/fit-fusion.js [--in .cache/signals.jsonl] [--unseen .cache/signals-unseen.jsonl …]
 *     [--short-in .cache/signals-short.jsonl [--short-unseen … …]] [--out models/fusion.json] [--signals a,b,…]
 *
 * `--short-in` (collect-signals with `--frames 8`) fits the `short` profile the same way, for inputs
 * with 3–11 usable frames such as the contract's array of 8.
 * `--unseen` attacks are never trained on: kinds of attack the fusion is not fitted to (paper masks,
 * replays of a video), each scored by the model that left its subject out, and reported per species
 * at the chosen threshold; `--unseen` may be given more than once. The attack typing is fitted on
 * every attack of all the files.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { L2, fitProfile, type FeatureSpec, type TrainingRow } from '../src/fusion/fit.js';
import type { FusionModel } from '../src/fusion/model.js';
import { fitTyping, type TypingFit, type TypingRow } from '../src/fusion/typing.js';
import type { AttackTypeName } from '../src/verdict/attack-types.js';
import { apcer, bpcer, equalErrorRate, rocAuc, type Scored } from '../src/metrics/index.js';
import { decidedByTemporal, isOtherCameraSubject, readSignalRows, type SignalRow } from './signal-rows.js';

const ALL_TEMPORAL: FeatureSpec = [
  { signal: 'face_motion', transform: 'log' },
  { signal: 'planar_fit_residual', transform: 'log' },
  { signal: 'eye_dynamics', transform: 'log' },
  // A correlation, −1 to 1, already on a scale where differences mean the same everywhere.
  { signal: 'eye_sync', transform: 'identity' },
  { signal: 'mouth_dynamics', transform: 'log' },
  // A length in face heights, 0 where no border shows: its log would spread the differences between
  // no edge and a scrap of one, which say nothing.
  { signal: 'instrument_edges', transform: 'identity' },
];
const MAX_BPCER = 0.1;

const { values } = parseArgs({
  options: {
    in: { type: 'string', default: '.cache/signals.jsonl' },
    unseen: { type: 'string', multiple: true },
    'short-in': { type: 'string' },
    'short-unseen': { type: 'string', multiple: true },
    out: { type: 'string', default: 'models/fusion.json' },
    // For ablations: fit on these signals only (comma-separated).
    signals: { type: 'string', default: ALL_TEMPORAL.map((f) => f.signal).join(',') },
  },
});
const chosen = new Set(values.signals!.split(','));
const TEMPORAL = ALL_TEMPORAL.filter((f) => chosen.has(f.signal));
const toTraining = (r: SignalRow) => ({ subject: r.subject, bonaFide: r.label === 'live', species: r.species, signals: r.signals!, synthetic: r.synthetic ?? false });
const temporalFit = await fitTemporal(values.in!, values.unseen);
const shortFit = values['short-in'] ? await fitTemporal(values['short-in'], values['short-unseen']) : null;
const report = {
  temporal: temporalFit.report,
  ...(shortFit ? { short: shortFit.report } : {}),
  single: { note: 'no single-frame signal has held up in cross-validation: one still fails closed' },
};
const unseenSpecies = temporalFit.unseenSpecies;

const model: FusionModel = {
  version: `fusion-${new Date().toISOString().slice(0, 10)}`,
  profiles: {
    temporal: temporalFit.profile,
    ...(shortFit ? { short: shortFit.profile } : {}),
    single: { features: [], bias: 0, threshold: 1, thresholdSource: 'no validated signal for this input: it fails closed (always an attack, confidence 0)' },
  },
  provenance: {
    fittedBy: 'scripts/fit-fusion.ts (node dist/scripts/fit-fusion.js) on the output of scripts/collect-signals.ts',
    data: 'the dev bench (../shared/bench: videos and NUAA print sequences) and, as print attacks, a looped still and a hand-moved still made from each bona fide bench clip and franck.mp4, held up in a drawn room (src/synth/still-attacks.ts, room.ts); temporal: 16 frames of each (videos: over their first 6 s); short: 8 (videos: over their first 3 s; sequences: every other frame)',
    unseenAttacks: values.unseen?.length
      ? `never trained on: ${unseenSpecies.join(', ')} (liveness synth from the bona fide bench clips), scored by the model that left their subject out`
      : 'none given',
    method: `logistic regression on standardised features, L2 = ${L2}, classes weighted to balance; leave-one-subject-out cross-validation`,
    typing: 'softmax regression over the same features on every attack above, the unseen ones included (print: prints and stills; replay: screens; paper_mask: masks and cut-outs), classes weighted to balance; leave-one-subject-out cross-validation',
    operatingPoint: `lowest threshold with cross-validated APCER = 0 if BPCER <= ${MAX_BPCER * 100} % there, else the threshold where BPCER = ${MAX_BPCER * 100} %`,
    report,
  },
};
await writeFile(values.out!, `${JSON.stringify(model, null, 2)}\n`);
console.log(JSON.stringify(report, null, 2));

/** The instrument behind each attack species of the bench and of `liveness synth`. */
function attackTypeOf(species: string): AttackTypeName {
  if (/(paper_mask|print_cutout)$/.test(species)) return 'paper_mask';
  if (/replay$/.test(species)) return 'replay';
  if (/(print_photo|looped_still|moved_still)$/.test(species)) return 'print';
  throw new Error(`no attack type for species ${species}`);
}

/** Cross-validated accuracy, calibration (mean confidence, expected calibration error, Brier) and confusion. */
function typingReport({ model, rows, outOfFold }: TypingFit) {
  const predicted = outOfFold.map((p) => p.indexOf(Math.max(...p)));
  const truth = rows.map((r) => model.types.indexOf(r.type));
  const confidence = outOfFold.map((p, i) => p[predicted[i]!]!);
  const correct: number[] = predicted.map((k, i) => (k === truth[i] ? 1 : 0));
  const bins = Array.from({ length: 5 }, (_, b) => rows.map((_, i) => i).filter((i) => Math.min(4, Math.floor(confidence[i]! * 5)) === b));
  const ece = bins.reduce((sum, bin) => sum + (bin.length === 0 ? 0 : Math.abs(bin.reduce((s, i) => s + correct[i]! - confidence[i]!, 0))), 0) / rows.length;
  const brier = outOfFold.reduce((sum, p, i) => sum + p.reduce((s, q, k) => s + (q - (k === truth[i] ? 1 : 0)) ** 2, 0), 0) / rows.length;
  return {
    items: rows.length,
    accuracy: round(correct.reduce((s, v) => s + v, 0) / rows.length, 4),
    meanConfidence: round(confidence.reduce((s, v) => s + v, 0) / rows.length, 4),
    expectedCalibrationError: round(ece, 4),
    brier: round(brier, 4),
    confusion: Object.fromEntries(model.types.map((type, k) => [type, Object.fromEntries(model.types.map((other, m) => [other, truth.filter((t, i) => t === k && predicted[i] === m).length]))])),
  };
}

function round(value: number, digits = 6): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

/** Fits one profile on `inPath`'s rows, scores the attacks of `unseenPaths` with it, fits its typing, and reports. */
async function fitTemporal(inPath: string, unseenPaths: readonly string[] = []) {
  const temporalRows = decidedByTemporal(await readSignalRows(inPath));
  const training: Array<TrainingRow & { synthetic: boolean }> = temporalRows.map(toTraining);
  const unseen: Array<TrainingRow & { synthetic: boolean }> = [];
  for (const path of unseenPaths) {
    const rows = decidedByTemporal(await readSignalRows(path)).map(toTraining);
    if (rows.some((r) => r.bonaFide)) throw new Error(`${path} must hold attacks only`);
    unseen.push(...rows);
  }
  const fit = fitProfile(training, TEMPORAL, { kind: 'security-first', maxBpcer: MAX_BPCER }, unseen);

  const scored: Scored[] = fit.rows.map((r, i) => ({ score: fit.outOfFold[i]!, bonaFide: r.bonaFide }));
  const threshold = fit.profile.threshold;
  const species = [...new Set(fit.rows.filter((r) => !r.bonaFide).map((r) => r.species))];
  const only = (keep: (r: TrainingRow) => boolean) => scored.filter((_, i) => keep(fit.rows[i]!));
  const bonaFide = fit.rows.filter((r) => r.bonaFide);
  const synthetic = new Set<TrainingRow>(training.filter((r) => r.synthetic));
  // Each signal's raw value as a score (no fitting, so nothing to cross-validate) against the bona fide rows.
  const rawAuc = (signal: string, attacks: readonly TrainingRow[]) =>
    round(rocAuc([...bonaFide, ...attacks].filter((r) => typeof r.signals[signal] === 'number').map((r) => ({ score: r.signals[signal]!, bonaFide: r.bonaFide }))), 3);
  const perSignalRawAuc = Object.fromEntries(
    TEMPORAL.map(({ signal }) => {
      const attacksOf = (s: string | null) => fit.rows.filter((r) => !r.bonaFide && (s === null || r.species === s));
      return [signal, { all: rawAuc(signal, attacksOf(null)), ...Object.fromEntries(species.map((s) => [s, rawAuc(signal, attacksOf(s))])) }];
    }),
  );
  const liveSubjects = new Set(temporalRows.filter((r) => isOtherCameraSubject(r.subject)).map((r) => r.subject));
  const recorded = only((r) => !synthetic.has(r));

  // Unseen kinds of attack: APCER at the threshold, and each signal's raw AUC against the bona fide rows.
  const unseenSpecies = [...new Set(fit.heldOutRows.map((r) => r.species))];
  const unseenAttacks = Object.fromEntries(
    unseenSpecies.map((name) => {
      const attacks = fit.heldOutRows.filter((r) => r.species === name);
      const scores = fit.heldOut.flatMap((score, i) => (fit.heldOutRows[i]!.species === name ? [{ score, bonaFide: false }] : []));
      return [name, { items: attacks.length, apcerAtThreshold: round(apcer(scores, threshold), 4), perSignalRawAuc: Object.fromEntries(TEMPORAL.map(({ signal }) => [signal, rawAuc(signal, attacks)])) }];
    }),
  );

  // Attack typing, on every attack the temporal profile scores: which instrument, cross-validated by subject.
  const typingRows: TypingRow[] = [...fit.rows, ...fit.heldOutRows].filter((r) => !r.bonaFide).map((r) => ({ subject: r.subject, type: attackTypeOf(r.species), signals: r.signals }));
  const typing = fitTyping(typingRows, TEMPORAL);

  const report = {
      items: fit.rows.length,
      bonaFide: bonaFide.length,
      attacks: fit.rows.length - bonaFide.length,
      subjects: new Set(fit.rows.map((r) => r.subject)).size,
      perSignalRawAuc,
      crossValidated: {
        rocAuc: round(rocAuc(scored), 4),
        eer: round(equalErrorRate(scored).eer, 4),
        bpcerAtThreshold: round(bpcer(scored, threshold), 4),
        // s09–s30: bona fide clips from other cameras, light and filters than the selfie captures.
        bpcerOnS09toS30: round(bpcer(only((r) => r.bonaFide && liveSubjects.has(r.subject)), threshold), 4),
        apcerAtThresholdBySpecies: Object.fromEntries(species.map((s) => [s, round(apcer(only((r) => r.bonaFide || r.species === s), threshold), 4)])),
        // The same cross-validated scores on recorded media only: bench videos and NUAA sequences.
        recordedOnly: { items: recorded.length, rocAuc: round(rocAuc(recorded), 4), eer: round(equalErrorRate(recorded).eer, 4) },
      },
      unseenAttacks,
      typing: typingReport(typing),
  };
  return { profile: { ...fit.profile, typing: typing.model }, report, unseenSpecies };
}

