/** The lines `collect-signals` writes, as the fitting and scoring scripts read them. */
import { readFile } from 'node:fs/promises';

export interface SignalRow {
  id: string;
  label: string;
  species: string;
  subject: string;
  mode?: string;
  inconclusive?: string | null;
  usable?: number;
  signals?: Record<string, number | null>;
  error?: string;
  synthetic?: boolean;
}

export async function readSignalRows(path: string): Promise<SignalRow[]> {
  return (await readFile(path, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as SignalRow);
}

/** The rows a temporal profile decides: videos and frame arrays with 3 or more usable frames, not inconclusive. */
export function decidedByTemporal(rows: readonly SignalRow[]): Array<SignalRow & { signals: Record<string, number | null> }> {
  return rows.filter((r): r is SignalRow & { signals: Record<string, number | null> } => !r.error && !r.inconclusive && !!r.signals && (r.mode === 'video' || r.mode === 'frames') && (r.usable ?? 0) >= 3);
}

/** s09–s30: bona fide clips from other cameras, light and filters than the selfie captures. */
export function isOtherCameraSubject(subject: string): boolean {
  return /^s(09|1\d|2\d|30)$/.test(subject);
}
