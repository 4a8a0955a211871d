/** Writes an evaluation's figures and items: report.md, results.json, items.csv. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Figures, Interval } from './figures.js';
import type { ItemResult } from './run.js';

export interface ReportContext {
  readonly source: string;
  readonly threshold: string;
  readonly models: Readonly<Record<string, string>>;
  readonly createdAt: Date;
}

export async function writeReports(outDir: string, results: readonly ItemResult[], figures: Figures, context: ReportContext): Promise<string[]> {
  const files = {
    'report.md': markdownReport(results, figures, context),
    'results.json': `${JSON.stringify({ source: context.source, createdAt: context.createdAt.toISOString(), threshold: context.threshold, models: context.models, figures, items: results.map(itemRecord) }, null, 2)}\n`,
    'items.csv': itemsCsv(results),
  };
  for (const [name, text] of Object.entries(files)) await writeFile(join(outDir, name), text);
  return Object.keys(files);
}

const percent = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(1)} %` : 'n/a');
const withInterval = (i: Interval) => (Number.isFinite(i.value) ? `${percent(i.value)} (95 % CI ${percent(i.low)} – ${percent(i.high)})` : 'n/a');

function markdownReport(results: readonly ItemResult[], f: Figures, context: ReportContext): string {
  const lines = [
    '# Liveness evaluation',
    '',
    `Set: \`${context.source}\` — ${f.counts.items} items (${f.counts.bonaFide} bona fide, ${f.counts.attacks} attacks) from ${f.counts.subjects} subjects; ${f.counts.inconclusive} inconclusive, ${f.counts.errors} failed.`,
    `Operating point: ${context.threshold}. Models: ${Object.entries(context.models).map(([k, v]) => `${k} ${v}`).join('; ')}.`,
    '',
    'Confidence intervals: 95 % percentile bootstrap over subjects (1000 resamples). An inconclusive or failed bona fide item counts as a rejection; an inconclusive attack is not accepted.',
    '',
    ...f.notes.map((n) => `> ${n}`),
    '',
    '## At the operating point',
    '',
    '| attack species | items | APCER |',
    '|---|---:|---|',
    ...Object.entries(f.apcerBySpecies).map(([s, v]) => `| ${s} | ${v.items} | ${withInterval(v)} |`),
    '',
    `- BPCER: ${withInterval(f.bpcer)}`,
    `- APCER, worst species (${f.apcerWorst.species ?? 'none'}): ${percent(f.apcerWorst.value)}`,
    `- ACER (worst-species APCER + BPCER) / 2: ${percent(f.acer)}`,
    `- APCER, all attacks pooled: ${withInterval(f.pooled.apcer)}`,
    '',
    '## By input kind',
    '',
    '| kind | bona fide | attacks | BPCER | APCER (pooled) |',
    '|---|---:|---:|---|---|',
    ...Object.entries(f.byKind).map(([kind, k]) => `| ${kind} | ${k.bonaFide} | ${k.attacks} | ${percent(k.bpcer)} | ${percent(k.apcer)} |`),
    '',
    '## Over all thresholds (real_probability)',
    '',
    `- ROC AUC: ${Number.isFinite(f.rocAuc.value) ? `${f.rocAuc.value.toFixed(4)} (95 % CI ${f.rocAuc.low.toFixed(4)} – ${f.rocAuc.high.toFixed(4)})` : 'n/a'}`,
    `- EER: ${withInterval(f.eer)}`,
    `- BPCER at APCER = ${Object.entries(f.bpcerAtApcer).map(([k, v]) => `${k}: ${percent(v)}`).join(', ')}`,
    `- APCER at BPCER = ${Object.entries(f.apcerAtBpcer).map(([k, v]) => `${k}: ${percent(v)}`).join(', ')}`,
    '',
    '## Attack typing',
    '',
    `Of the ${f.typing.calledAttacks} attacks called attacks, ${f.typing.typed} were given an instrument (the others \`unknown_attack\`; inconclusive items, stills among them, are not counted here); ${percent(f.typing.accuracy)} of those were their label's (print → print, replay → replay, mask → paper_mask). What each label was called:`,
    '',
    '| label | called |',
    '|---|---|',
    ...Object.entries(f.typing.byLabel).map(([label, said]) => `| ${label} | ${Object.entries(said).map(([name, n]) => `${name} ${n}`).join(', ')} |`),
    '',
    `Per-item latency: p50 ${f.latencySeconds.p50.toFixed(2)} s, p95 ${f.latencySeconds.p95.toFixed(2)} s.`,
    '',
    '## Not decided (listed, never dropped)',
    '',
    ...(results.some((r) => r.reason) ? ['| item | label | outcome | reason |', '|---|---|---|---|', ...results.filter((r) => r.reason).map((r) => `| ${r.item.id} | ${r.item.label} | ${r.outcome} | ${r.reason} |`)] : ['None.']),
    '',
    '## Errors',
    '',
    '| item | label | species | real_probability | error |',
    '|---|---|---|---:|---|',
    ...results
      .filter((r) => (r.item.label === 'live') !== (r.outcome === 'live'))
      .map((r) => `| ${r.item.id} | ${r.item.label} | ${r.item.species} | ${r.realProbability.toFixed(3)} | ${r.item.label === 'live' ? 'bona fide rejected' : 'attack accepted'} |`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

function itemRecord(r: ItemResult) {
  const { item, ...rest } = r;
  return { id: item.id, kind: item.kind, label: item.label, species: item.species, subject: item.subject, ...rest };
}

function itemsCsv(results: readonly ItemResult[]): string {
  const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  const header = ['path', 'label', 'species', 'subject', 'real_probability', 'decision', 'attack_type', 'reason_codes', 'seconds'];
  const rows = results.map((r) =>
    [r.item.id, r.item.label, r.item.species, r.item.subject, r.realProbability.toFixed(4), r.outcome, r.attackTypeName, r.reason ?? '', r.seconds.toFixed(3)].map((v) => quote(String(v))).join(','),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
