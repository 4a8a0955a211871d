/** roc.png and det.png: one curve per attack species against all bona fide items. */
import { apcer, bpcer, candidateThresholds, type Scored } from '../metrics/index.js';
import { probit, renderChart, type Series } from '../plot/chart.js';
import type { Figures } from './figures.js';
import type { ItemResult } from './run.js';

function speciesCurves(results: readonly ItemResult[]): Array<{ name: string; points: Array<[number, number]> }> {
  const live = results.filter((r) => r.item.label === 'live');
  const species = [...new Set(results.filter((r) => r.item.label !== 'live').map((r) => r.item.species))].sort();
  return species.map((name) => {
    const samples: Scored[] = [...live, ...results.filter((r) => r.item.species === name && r.item.label !== 'live')].map((r) => ({
      score: r.realProbability,
      bonaFide: r.item.label === 'live',
    }));
    // From the lowest threshold (everything accepted) to above the highest (nothing accepted).
    const points = [0, ...candidateThresholds(samples)].map((t): [number, number] => [apcer(samples, t), bpcer(samples, t)]);
    return { name, points };
  });
}

const percentTicks = (values: number[]) => values.map((value) => ({ value, label: `${Math.round(value * 1000) / 10}` }));

export function renderRoc(results: readonly ItemResult[], figures: Figures): Buffer {
  const series: Series[] = speciesCurves(results).map(({ name, points }) => ({ name, points: points.map(([a, b]) => [a, 1 - b] as const) }));
  return renderChart({
    title: 'ROC by attack species',
    x: { label: 'APCER (%)', scale: (v) => v, ticks: percentTicks([0, 0.2, 0.4, 0.6, 0.8, 1]) },
    y: { label: '1 - BPCER (%)', scale: (v) => v, ticks: percentTicks([0, 0.2, 0.4, 0.6, 0.8, 1]) },
    series,
    diagonal: true,
    marker: { x: figures.pooled.apcer.value, y: 1 - figures.bpcer.value, label: 'operating pt' },
  });
}

/** Detection error trade-off: both error rates on normal-deviate axes (Martin et al., 1997). */
export function renderDet(results: readonly ItemResult[], figures: Figures): Buffer {
  const low = 0.001;
  const high = 0.6;
  const scale = (v: number) => (probit(Math.max(low, Math.min(high, v))) - probit(low)) / (probit(high) - probit(low));
  const ticks = percentTicks([0.001, 0.01, 0.05, 0.1, 0.2, 0.4]);
  return renderChart({
    title: 'DET by attack species',
    x: { label: 'APCER (%)', scale, ticks },
    y: { label: 'BPCER (%)', scale, ticks },
    series: speciesCurves(results),
    marker: { x: figures.pooled.apcer.value, y: figures.bpcer.value, label: 'operating pt' },
  });
}
