import { parseArgs } from 'node:util';
import { invalidArgument } from '../errors.js';
import { parseCalibrateArgs, type CalibrateCommandOptions } from './calibrate-command.js';
import { parseEvalArgs, type EvalCommandOptions } from './eval-command.js';
import { parseSynthArgs, type SynthCommandOptions } from './synth-command.js';
import { parseKeysArgs, type KeysCommandOptions } from './keys-command.js';
import { checkServeArgs } from './serve-command.js';

export interface CheckOptions {
  readonly paths: readonly string[];
  readonly frames: boolean;
  readonly evidence: boolean;
  readonly format: 'json' | 'table';
  readonly concurrency: number;
  readonly threshold: number | null;
  readonly calibration: string | null;
  readonly debug: boolean;
}

export type Command =
  | { readonly name: 'help' }
  | { readonly name: 'version' }
  | { readonly name: 'check'; readonly options: CheckOptions }
  | { readonly name: 'eval'; readonly options: EvalCommandOptions }
  | { readonly name: 'calibrate'; readonly options: CalibrateCommandOptions }
  | { readonly name: 'synth'; readonly options: SynthCommandOptions }
  | { readonly name: 'serve' }
  | { readonly name: 'keys'; readonly options: KeysCommandOptions };

export function parseCommand(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { name: 'help' };
  if (command === '--version' || command === '-v' || command === 'version') return { name: 'version' };
  if (command === 'eval') return { name: 'eval', options: parseEvalArgs(rest) };
  if (command === 'calibrate') return { name: 'calibrate', options: parseCalibrateArgs(rest) };
  if (command === 'synth') return { name: 'synth', options: parseSynthArgs(rest) };
  if (command === 'serve') {
    checkServeArgs(rest);
    return { name: 'serve' };
  }
  if (command === 'keys') return { name: 'keys', options: parseKeysArgs(rest) };
  if (command !== 'check') throw invalidArgument('one of the commands: check, eval, calibrate, synth, serve, keys, help, version', 'the command', command);
  const { values, positionals } = parseArgs({
    args: [...rest],
    allowPositionals: true,
    options: {
      frames: { type: 'boolean', default: false },
      evidence: { type: 'boolean', default: false },
      format: { type: 'string', default: 'json' },
      concurrency: { type: 'string', default: '2' },
      threshold: { type: 'string' },
      calibration: { type: 'string' },
      debug: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { name: 'help' };
  if (positionals.length === 0) throw invalidArgument('at least one file or folder', 'check', undefined);
  if (values.format !== 'json' && values.format !== 'table') throw invalidArgument("'json' or 'table'", '--format', values.format);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw invalidArgument('an integer from 1 to 64', '--concurrency', values.concurrency);
  let threshold: number | null = null;
  if (values.threshold !== undefined) {
    threshold = Number(values.threshold);
    if (!(threshold > 0 && threshold < 1)) throw invalidArgument('a number between 0 and 1', '--threshold', values.threshold);
  }
  return {
    name: 'check',
    options: {
      paths: positionals,
      frames: values.frames!,
      evidence: values.evidence!,
      format: values.format,
      concurrency,
      threshold,
      calibration: values.calibration ?? null,
      debug: values.debug!,
    },
  };
}

export const HELP = `liveness — face liveness (presentation-attack detection) on your own machine

Usage:
  liveness check <file|folder>... [options]   analyse videos or stills; prints the contract JSON
  liveness check --frames <image>...|<folder> analyse the images as one capture's frames (1–16)
  liveness eval <manifest.csv|folder> --out DIR
                                              ISO/IEC 30107-3 figures on your own labelled data:
                                              report.md, results.json, items.csv, roc.png,
                                              det.png, index.html (re-runs resume from a cache)
  liveness calibrate <manifest.csv|folder> --target apcer=0.01|bpcer=0.05 --out calibration.json
                                              refit the calibration and threshold on your data
                                              (cross-validated by subject); use the file with
                                              --calibration or LIVENESS_CALIBRATION
  liveness synth <live media>... --out DIR [--species print,bent_print,replay,video_replay,steady_video_replay,mask,cutout,looped,moved,photo_over_face]
                [--seed N]
                                              attack clips made from bona fide media, with a
                                              manifest for eval
  liveness serve                              the HTTP API (POST /v1/inferences); settings from
                                              LIVENESS_* variables, listed in README.md
  liveness keys create [--name N] [--rate N/min]
                                              a new API key for the HTTP API, shown once on the
                                              last line (default rate 60/min), after its webhook
                                              signing secret
  liveness keys list | keys revoke <id>       the API keys (ids, not keys) | revoke one
  liveness keys webhook-secret [<id>]         a key's webhook signing secret (no id: the one for
                                              LIVENESS_AUTH=off)
  liveness help | version

Inputs are recognised by content: mp4, mov, avi, webm, mkv videos; jpg, png, webp stills (50 MB at most).
A folder is read file by file (sorted); several inputs print one JSON line each.

Options:
  --evidence           include the evidence: signals, frames used, quality, timings
  --format json|table  JSON (default) or a table for people
  --concurrency N      analyses run at once for several inputs (default 2)
  --threshold P        operating point on real_probability (default: the fusion model's own)
  --calibration FILE   a fusion model / calibration file instead of models/fusion.json
  --debug              print stack traces on errors

Exit codes (for several inputs, the highest that occurred):
  0 live   1 attack   2 inconclusive   3 bad input (unreadable, unsupported, too large, truncated)   4 internal error
`;
