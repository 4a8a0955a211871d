import type { Envelope } from '../envelope.js';
import type { LivenessError } from '../errors.js';

type Row = { readonly label: string; readonly envelope: Envelope } | { readonly label: string; readonly error: LivenessError };

/** A plain-text table, one row per input, for people reading a terminal. */
export function formatTable(rows: readonly Row[]): string {
  const header = ['input', 'verdict', 'real_probability', 'confidence', 'attack_type', 'reason'];
  const lines = rows.map((row) => {
    if ('error' in row) return [row.label, 'error', '', '', '', row.error.code];
    const { result, inconclusive } = row.envelope;
    const verdict = inconclusive ? 'inconclusive' : result.is_real ? 'live' : 'attack';
    return [row.label, verdict, result.real_probability.toFixed(3), result.confidence.toFixed(3), result.is_real ? '' : result.attack_type_name, inconclusive?.code ?? ''];
  });
  return formatColumns(header, lines);
}

/** Left-aligned columns under a header and a rule of dashes. */
export function formatColumns(header: readonly string[], lines: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((_, c) => Math.max(header[c]!.length, ...lines.map((l) => l[c]!.length)));
  const format = (cells: readonly string[]) => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd();
  return `${[format(header), format(widths.map((w) => '-'.repeat(w))), ...lines.map(format)].join('\n')}\n`;
}
