/**
 * Runs the product's own pipeline over an evaluation set, with bounded concurrency and a cache keyed
 * by each item's bytes and the model versions, so that a run stopped half-way resumes where it was.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Deps } from '../deps.js';
import type { ProfileName } from '../fusion/model.js';
import { LivenessError } from '../errors.js';
import type { AnalysisConfig } from '../config.js';
import { analyzeMedia } from '../pipeline/index.js';
import { mapWithConcurrency } from '../util/pool.js';
import { inputOf, type EvalItem } from './manifest.js';

export type ItemOutcome = 'live' | 'attack' | 'inconclusive' | 'error';

export interface ItemResult {
  readonly item: EvalItem;
  readonly outcome: ItemOutcome;
  /** 0 for inconclusive and failed items: nothing was verified. */
  readonly realProbability: number;
  readonly attackTypeName: string;
  /** The inconclusive or error code, when there is one. */
  readonly reason: string | null;
  /** The fusion profile that decided (temporal, short), or null when none did. */
  readonly profile: ProfileName | null;
  readonly seconds: number;
  readonly signals: Readonly<Record<string, number | null>>;
  /** The first usable frame and its face box, for the report's gallery. */
  readonly shownFrame: { readonly index: number; readonly timestampMs: number | null; readonly box: readonly number[] } | null;
}

export interface RunOptions {
  readonly concurrency: number;
  readonly cacheDir: string;
  readonly config: AnalysisConfig;
  readonly onItemDone?: () => void;
}

/** Bumped when ItemResult changes shape, so older cached results are not read as newer ones. */
const CACHE_FORMAT = 2;

export async function evaluateItems(items: readonly EvalItem[], deps: Deps, options: RunOptions): Promise<ItemResult[]> {
  mkdirSync(options.cacheDir, { recursive: true });
  const versionKey = JSON.stringify([CACHE_FORMAT, deps.versions, options.config]);
  return mapWithConcurrency(items, options.concurrency, async (item) => {
    const cachePath = join(options.cacheDir, `${await contentKey(item, versionKey)}.json`);
    if (existsSync(cachePath)) {
      const cached = JSON.parse(await readFile(cachePath, 'utf8')) as Omit<ItemResult, 'item'>;
      options.onItemDone?.();
      return { ...cached, item };
    }
    const result = await evaluateItem(item, deps, options.config);
    const { item: _item, ...stored } = result;
    if (result.outcome !== 'error' || result.reason !== 'internal_error') await writeFile(cachePath, JSON.stringify(stored));
    options.onItemDone?.();
    return result;
  });
}

async function evaluateItem(item: EvalItem, deps: Deps, config: AnalysisConfig): Promise<ItemResult> {
  const startedAt = performance.now();
  const seconds = () => Math.round(performance.now() - startedAt) / 1000;
  try {
    const analysis = await analyzeMedia(inputOf(item), deps, config);
    const shown = analysis.evidence.frames.find((f) => f.usable && f.face) ?? analysis.evidence.frames.find((f) => f.face) ?? null;
    return {
      item,
      outcome: analysis.outcome,
      realProbability: analysis.result.real_probability,
      attackTypeName: analysis.result.attack_type_name,
      reason: analysis.inconclusive?.code ?? null,
      profile: analysis.evidence.fusion?.profile ?? null,
      seconds: seconds(),
      signals: Object.fromEntries(analysis.evidence.signals.map((s) => [s.name, s.value])),
      shownFrame: shown ? { index: shown.index, timestampMs: shown.timestampMs, box: shown.face!.box } : null,
    };
  } catch (error) {
    const code = error instanceof LivenessError ? error.code : 'internal_error';
    return { item, outcome: 'error', realProbability: 0, attackTypeName: 'unknown_attack', reason: code, profile: null, seconds: seconds(), signals: {}, shownFrame: null };
  }
}

/** sha256 over the item's bytes (every frame of a frames folder) and the versions of what judges it. */
async function contentKey(item: EvalItem, versionKey: string): Promise<string> {
  const hash = createHash('sha256').update(versionKey);
  const input = inputOf(item);
  const paths = input.kind === 'frames' ? input.frames.map((f) => ('path' in f ? f.path : '')) : ['path' in input.source ? input.source.path : ''];
  for (const path of paths) hash.update(await readFile(path));
  return hash.digest('hex').slice(0, 32);
}
