/**
 * An evaluation set: a manifest with the columns of ../shared/bench/manifest.csv (path, kind, label,
 * species, subject; others ignored; paths relative to the manifest), or a folder laid out as
 * <label>/<species>/<files> (subject = file stem).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { LivenessError } from '../errors.js';
import type { AnalysisInput } from '../ingest/index.js';
import { parseCsvRecords } from '../manifest/csv.js';

export const LABELS = ['live', 'print', 'replay', 'mask'] as const;
export type Label = (typeof LABELS)[number];
export const KINDS = ['video', 'image', 'crop', 'frames'] as const;

export interface EvalItem {
  /** As written in the manifest (or relative to the folder): the item's name in reports. */
  readonly id: string;
  readonly path: string;
  readonly kind: (typeof KINDS)[number];
  readonly label: Label;
  /** Attack instrument; `bona_fide` for live items. */
  readonly species: string;
  readonly subject: string;
}

const REQUIRED_COLUMNS = ['path', 'kind', 'label', 'species', 'subject'] as const;
const FRAME_FILE = /\.(jpe?g|png|webp)$/i;

export async function loadEvalSet(location: string): Promise<EvalItem[]> {
  if (!existsSync(location)) throw new LivenessError('file_not_found', `Expected a manifest or folder but ${location} does not exist`);
  return statSync(location).isDirectory() ? readFolder(resolve(location)) : readManifest(resolve(location));
}

async function readManifest(path: string): Promise<EvalItem[]> {
  const records = parseCsvRecords(await readFile(path, 'utf8'));
  const header = Object.keys(records[0] ?? {});
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (records.length === 0 || missing.length > 0) {
    throw new LivenessError('invalid_manifest', `Expected a CSV with the columns ${REQUIRED_COLUMNS.join(', ')} but ${path} ${records.length === 0 ? 'has no rows' : `lacks ${missing.join(', ')}`}`);
  }
  const problems: string[] = [];
  const items: EvalItem[] = [];
  records.forEach((row, i) => {
    const line = i + 2; // 1-based, after the header
    const full = resolve(dirname(path), row.path ?? '');
    const rowProblems = [
      !(KINDS as readonly string[]).includes(row.kind ?? '') && `kind '${row.kind}' is not one of ${KINDS.join(', ')}`,
      !(LABELS as readonly string[]).includes(row.label ?? '') && `label '${row.label}' is not one of ${LABELS.join(', ')}`,
      !row.subject && 'subject is empty',
      !row.species && 'species is empty',
      (!row.path || !existsSync(full)) && `file ${row.path || '(empty path)'} does not exist`,
    ].filter((p): p is string => typeof p === 'string');
    if (rowProblems.length > 0) problems.push(`line ${line}: ${rowProblems.join('; ')}`);
    else items.push({ id: row.path!, path: full, kind: row.kind as EvalItem['kind'], label: row.label as Label, species: row.species!, subject: row.subject! });
  });
  if (problems.length > 0) {
    throw new LivenessError('invalid_manifest', `Expected every row of ${path} to be usable but ${problems.length} are not:\n  ${problems.join('\n  ')}`);
  }
  return items;
}

function readFolder(root: string): EvalItem[] {
  const items: EvalItem[] = [];
  const problems: string[] = [];
  for (const label of readdirSync(root).sort()) {
    if (!statSync(join(root, label)).isDirectory()) continue;
    if (!(LABELS as readonly string[]).includes(label)) {
      problems.push(`folder ${label}/ is not a label (${LABELS.join(', ')})`);
      continue;
    }
    for (const species of readdirSync(join(root, label)).sort()) {
      const speciesDir = join(root, label, species);
      if (!statSync(speciesDir).isDirectory()) continue;
      for (const name of readdirSync(speciesDir).sort()) {
        if (name.startsWith('.')) continue;
        const path = join(speciesDir, name);
        const isFrames = statSync(path).isDirectory();
        items.push({ id: `${label}/${species}/${name}`, path, kind: isFrames ? 'frames' : 'video', label: label as Label, species, subject: basename(name, extname(name)) });
      }
    }
  }
  if (problems.length > 0) throw new LivenessError('invalid_manifest', `Expected <label>/<species>/<files> in ${root} but:\n  ${problems.join('\n  ')}`);
  if (items.length === 0) throw new LivenessError('invalid_manifest', `Expected media files under <label>/<species>/ in ${root} but found none`);
  return items;
}

/** What the pipeline analyses for an item: a frames folder becomes an ordered array of its images. */
export function inputOf(item: EvalItem): AnalysisInput {
  if (item.kind !== 'frames') return { kind: 'media', source: { path: item.path } };
  const frames = readdirSync(item.path).filter((f) => FRAME_FILE.test(f)).sort((p, q) => p.localeCompare(q, 'en', { numeric: true }));
  return { kind: 'frames', frames: frames.map((f) => ({ path: join(item.path, f) })) };
}
