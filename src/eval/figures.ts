/**
 * ISO/IEC 30107-3 figures from item results. At the operating point an item is accepted as bona
 * fide only when its outcome is `live`: an inconclusive or failed live item is a bona fide rejection
 * (it counts in BPCER), an inconclusive attack is not accepted. Curves use `real_probability`, which
 * is 0 for inconclusive and failed items.
 */
import { seededRandom } from '../synth/still-attacks.js';
import { apcerAtBpcer, bootstrapBySubject, bpcerAtApcer, equalErrorRate, rocAuc, type Scored } from '../metrics/index.js';
import type { ItemResult } from './run.js';

export interface Interval {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

export interface Figures {
  readonly counts: { readonly items: number; readonly bonaFide: number; readonly attacks: number; readonly subjects: number; readonly inconclusive: number; readonly errors: number };
  /** At the product's operating point. */
  readonly bpcer: Interval;
  readonly apcerBySpecies: Readonly<Record<string, Interval & { readonly items: number }>>;
  /** The worst species' APCER, as ISO/IEC 30107-3 reports it. */
  readonly apcerWorst: { readonly species: string | null; readonly value: number };
  /** (worst-species APCER + BPCER) / 2. */
  readonly acer: number;
  readonly pooled: { readonly apcer: Interval };
  readonly eer: Interval;
  readonly rocAuc: Interval;
  readonly bpcerAtApcer: Readonly<Record<string, number>>;
  readonly apcerAtBpcer: Readonly<Record<string, number>>;
  /** The same figures per input kind (video, frames, image, crop): each runs a different profile. */
  readonly byKind: Readonly<Record<string, { readonly bonaFide: number; readonly attacks: number; readonly bpcer: number; readonly apcer: number }>>;
  /**
   * Attack typing on the attacks the product called attacks (not inconclusive): how many it named an
   * instrument for (not `unknown_attack`), how often that instrument
   * is the item's label (`mask` → `paper_mask`), and what it said per label.
   */
  readonly typing: { readonly calledAttacks: number; readonly typed: number; readonly accuracy: number; readonly byLabel: Readonly<Record<string, Readonly<Record<string, number>>>> };
  readonly latencySeconds: { readonly p50: number; readonly p95: number };
  /** Why the figures that could not be computed are missing. */
  readonly notes: readonly string[];
}

const RATES = [0.01, 0.05, 0.1];
const REPLICATES = 1000;

export function computeFigures(results: readonly ItemResult[], seed = 1): Figures {
  const live = results.filter((r) => r.item.label === 'live');
  const attacks = results.filter((r) => r.item.label !== 'live');
  const notes: string[] = [];
  if (live.length === 0) notes.push('No bona fide items: BPCER and every curve figure are undefined.');
  if (attacks.length === 0) notes.push('No attack items: APCER and every curve figure are undefined.');
  const random = seededRandom(seed);
  const interval = (statistic: (sample: readonly ItemResult[]) => number): Interval => ({
    value: statistic(results),
    ...bootstrapBySubject(results, (r) => r.item.subject, statistic, { replicates: REPLICATES, random }),
  });
  const bpcerOf = (sample: readonly ItemResult[]) => rate(sample.filter((r) => r.item.label === 'live'), (r) => r.outcome !== 'live');
  const apcerOf = (species: string | null) => (sample: readonly ItemResult[]) =>
    rate(sample.filter((r) => r.item.label !== 'live' && (species === null || r.item.species === species)), (r) => r.outcome === 'live');
  const scored = (sample: readonly ItemResult[]): Scored[] => sample.map((r) => ({ score: r.realProbability, bonaFide: r.item.label === 'live' }));

  const species = [...new Set(attacks.map((r) => r.item.species))].sort();
  const apcerBySpecies = Object.fromEntries(species.map((s) => [s, { ...interval(apcerOf(s)), items: attacks.filter((r) => r.item.species === s).length }]));
  const worst = species.reduce<{ species: string | null; value: number }>(
    (acc, s) => (apcerBySpecies[s]!.value > acc.value || acc.species === null ? { species: s, value: apcerBySpecies[s]!.value } : acc),
    { species: null, value: Number.NaN },
  );
  const bpcer = interval(bpcerOf);
  const seconds = results.map((r) => r.seconds).sort((p, q) => p - q);
  return {
    counts: {
      items: results.length,
      bonaFide: live.length,
      attacks: attacks.length,
      subjects: new Set(results.map((r) => r.item.subject)).size,
      inconclusive: results.filter((r) => r.outcome === 'inconclusive').length,
      errors: results.filter((r) => r.outcome === 'error').length,
    },
    bpcer,
    apcerBySpecies,
    apcerWorst: worst,
    acer: (worst.value + bpcer.value) / 2,
    pooled: { apcer: interval(apcerOf(null)) },
    eer: interval((sample) => equalErrorRate(scored(sample)).eer),
    rocAuc: interval((sample) => rocAuc(scored(sample))),
    bpcerAtApcer: Object.fromEntries(RATES.map((r) => [`${r * 100}%`, bpcerAtApcer(scored(results), r).bpcer])),
    apcerAtBpcer: Object.fromEntries(RATES.map((r) => [`${r * 100}%`, apcerAtBpcer(scored(results), r).apcer])),
    byKind: Object.fromEntries(
      [...new Set(results.map((r) => r.item.kind))].sort().map((kind) => {
        const ofKind = results.filter((r) => r.item.kind === kind);
        return [kind, { bonaFide: ofKind.filter((r) => r.item.label === 'live').length, attacks: ofKind.filter((r) => r.item.label !== 'live').length, bpcer: bpcerOf(ofKind), apcer: apcerOf(null)(ofKind) }];
      }),
    ),
    typing: typingFigures(attacks),
    latencySeconds: { p50: quantileSorted(seconds, 0.5), p95: quantileSorted(seconds, 0.95) },
    notes,
  };
}

function rate<T>(items: readonly T[], counts: (item: T) => boolean): number {
  return items.length === 0 ? Number.NaN : items.filter(counts).length / items.length;
}

function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))]!;
}

/** The attack type each label should be given. */
const TYPE_OF_LABEL: Readonly<Record<string, string>> = { print: 'print', replay: 'replay', mask: 'paper_mask' };

function typingFigures(attacks: readonly ItemResult[]): Figures['typing'] {
  const called = attacks.filter((r) => r.outcome === 'attack');
  const typed = called.filter((r) => r.attackTypeName !== 'unknown_attack');
  const byLabel: Record<string, Record<string, number>> = {};
  for (const r of called) {
    const said = (byLabel[r.item.label] ??= {});
    said[r.attackTypeName] = (said[r.attackTypeName] ?? 0) + 1;
  }
  return { calledAttacks: called.length, typed: typed.length, accuracy: rate(typed, (r) => TYPE_OF_LABEL[r.item.label] === r.attackTypeName), byLabel };
}
