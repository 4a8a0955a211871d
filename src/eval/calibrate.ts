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
import type { FusionModel } from '../fusion/model.js';
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

export async function calibrate(deps: Deps, options: CalibrateOptions): Promise<{ before: Figures; after: Figures; model: FusionModel; fittedItems: number }> {
  const items = await loadEvalSet(options.location);
  options.onProgress?.start(items.length);
  const results = await evaluateItems(items, deps, { concurrency: options.concurrency, cacheDir: options.cacheDir, config: options.config, onItemDone: options.onProgress?.tick });
  const current = deps.fusion.profiles.temporal;
  const origin = new Map<TrainingRow, ItemResult>();
  const rows = results
    .filter((r) => r.outcome === 'live' || r.outcome === 'attack')
    .map((r) => {
      const row: TrainingRow = { subject: r.item.subject, bonaFide: r.item.label === 'live', species: r.item.species, signals: r.signals };
      origin.set(row, r);
      return row;
    });
  const fit = fitProfile(rows, current.features, options.target);
  // After: the refitted model's cross-validated scores; items it cannot score (inconclusive, single
  // stills) keep the decision they had, which is a rejection.
  const refitted = new Map(fit.rows.map((row, i) => [origin.get(row)!, fit.outOfFold[i]!]));
  const after = results.map((r): ItemResult => {
    const score = refitted.get(r);
    if (score === undefined) return r;
    const live = score >= fit.profile.threshold;
    return { ...r, realProbability: score, outcome: live ? 'live' : 'attack', attackTypeName: live ? 'real' : r.attackTypeName === 'real' ? 'unknown_attack' : r.attackTypeName };
  });
  const model: FusionModel = {
    version: `calibration-${new Date().toISOString().slice(0, 10)}`,
    profiles: { ...deps.fusion.profiles, temporal: fit.profile },
    provenance: {
      calibratedBy: 'liveness calibrate',
      from: deps.fusion.version,
      data: options.location,
      target: `${options.target.kind}${'value' in options.target ? `=${options.target.value}` : ''}`,
      items: fit.rows.length,
      subjects: new Set(fit.rows.map((r) => r.subject)).size,
    },
  };
  await writeFile(options.outPath, `${JSON.stringify(model, null, 2)}\n`);
  return { before: computeFigures(results), after: computeFigures(after), model, fittedItems: fit.rows.length };
}
