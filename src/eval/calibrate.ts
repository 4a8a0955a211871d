/**
 * `liveness calibrate`: refits the fusion's probability calibration on the user's own labelled data
 * and puts the threshold where their target asks (e.g. APCER ≤ 1 %), with leave-one-subject-out
 * cross-validation. The output is a fusion model file that `--calibration` / LIVENESS_CALIBRATION
 * load in place of models/fusion.json.
 */
import { writeFile } from 'node:fs/promises';
import type { AnalysisConfig } from '../config.js';
import type { Deps } from '../deps.js';
import { invalidArgument } from '../errors.js';
import { fitProfile, type ThresholdTarget, type TrainingRow } from '../fusion/fit.js';
import { profileOf, type FusionModel, type FusionProfile } from '../fusion/model.js';
import { computeFigures, type Figures } from './figures.js';
import { loadEvalSet } from './manifest.js';
import { evaluateItems, type ItemResult } from './run.js';

export interface CalibrateOptions {
  readonly location: string;
  readonly target: ThresholdTarget;
  readonly outPath: string;
  readonly cacheDir: string;
  readonly concurrency: number;
  readonly config: AnalysisConfig;
  readonly onProgress?: { readonly start: (total: number) => void; readonly tick: () => void };
}

/** Parses `apcer=0.01` or `bpcer=0.05`. */
export function parseTarget(text: string): ThresholdTarget {
  const match = /^(apcer|bpcer)=(0(?:\.\d+)?|1(?:\.0+)?)$/.exec(text.trim());
  if (!match) throw invalidArgument("'apcer=<rate>' or 'bpcer=<rate>' with a rate from 0 to 1", '--target', text);
  return { kind: match[1] as 'apcer' | 'bpcer', value: Number(match[2]) };
}

/** The profiles calibration refits: each on the items it decided. */
const REFITTED = ['temporal', 'short'] as const;

export interface CalibrateResult {
  readonly before: Figures;
  readonly after: Figures;
  readonly model: FusionModel;
  /** Items each refitted profile was fitted on; a profile absent here kept its shipped fit. */
  readonly fitted: Partial<Record<(typeof REFITTED)[number], number>>;
}

export async function calibrate(deps: Deps, options: CalibrateOptions): Promise<CalibrateResult> {
  const items = await loadEvalSet(options.location);
  options.onProgress?.start(items.length);
  const results = await evaluateItems(items, deps, { concurrency: options.concurrency, cacheDir: options.cacheDir, config: options.config, onItemDone: options.onProgress?.tick });
  // Each profile is refitted on the items it decided (videos: temporal; arrays of 3–11 frames: short),
  // when they hold both bona fide items and attacks; a profile without such items keeps its fit.
  const refitted = new Map<ItemResult, { score: number; threshold: number }>();
  const profiles: Record<string, FusionProfile> = {};
  const fitted: CalibrateResult['fitted'] = {};
  for (const name of REFITTED) {
    const origin = new Map<TrainingRow, ItemResult>();
    const rows = results
      .filter((r) => (r.outcome === 'live' || r.outcome === 'attack') && r.profile === name)
      .map((r) => {
        const row: TrainingRow = { subject: r.item.subject, bonaFide: r.item.label === 'live', species: r.item.species, signals: r.signals };
        origin.set(row, r);
        return row;
      });
    if (!rows.some((r) => r.bonaFide) || !rows.some((r) => !r.bonaFide)) continue;
    const fit = fitProfile(rows, profileOf(deps.fusion, name).features, options.target);
    fit.rows.forEach((row, i) => refitted.set(origin.get(row)!, { score: fit.outOfFold[i]!, threshold: fit.profile.threshold }));
    profiles[name] = fit.profile;
    fitted[name] = fit.rows.length;
  }
  if (Object.keys(profiles).length === 0) {
    throw invalidArgument('bona fide items and attacks that a temporal profile decides (videos or arrays of 3 or more frames)', options.location, `${results.length} items, none of both kinds decided`);
  }
  // After: the refitted profiles' cross-validated scores; items they cannot score (inconclusive,
  // stills) keep the decision they had, which is a rejection.
  const after = results.map((r): ItemResult => {
    const refit = refitted.get(r);
    if (refit === undefined) return r;
    const live = refit.score >= refit.threshold;
    return { ...r, realProbability: refit.score, outcome: live ? 'live' : 'attack', attackTypeName: live ? 'real' : r.attackTypeName === 'real' ? 'unknown_attack' : r.attackTypeName };
  });
  const model: FusionModel = {
    version: `calibration-${new Date().toISOString().slice(0, 10)}`,
    profiles: { ...deps.fusion.profiles, ...profiles },
    provenance: {
      calibratedBy: 'liveness calibrate',
      from: deps.fusion.version,
      data: options.location,
      target: `${options.target.kind}${'value' in options.target ? `=${options.target.value}` : ''}`,
      items: fitted,
      subjects: new Set([...refitted.keys()].map((r) => r.item.subject)).size,
    },
  };
  await writeFile(options.outPath, `${JSON.stringify(model, null, 2)}\n`);
  return { before: computeFigures(results), after: computeFigures(after), model, fitted };
}
