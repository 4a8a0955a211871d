import { parseArgs } from 'node:util';
import { locateTools } from '../decode/index.js';
import { EXIT, invalidArgument } from '../errors.js';
import { parseSpecies, synthesize, type SynthSpecies } from '../synth/index.js';

export interface SynthCommandOptions {
  readonly sources: readonly string[];
  readonly outDir: string;
  readonly species: readonly SynthSpecies[];
  readonly seed: number;
  readonly bitrateKbps: number;
}

export function parseSynthArgs(args: readonly string[]): SynthCommandOptions {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { out: { type: 'string' }, species: { type: 'string', default: 'print,replay' }, seed: { type: 'string', default: '1' }, bitrate: { type: 'string', default: '2000' } },
  });
  if (positionals.length === 0) throw invalidArgument('at least one bona fide clip or photo', 'synth', undefined);
  if (!values.out) throw invalidArgument('a folder for the attack media', '--out', values.out);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw invalidArgument('a non-negative integer', '--seed', values.seed);
  const bitrateKbps = Number(values.bitrate);
  if (!Number.isInteger(bitrateKbps) || bitrateKbps < 100 || bitrateKbps > 50_000) throw invalidArgument('an integer from 100 to 50000 (kbit/s)', '--bitrate', values.bitrate);
  return { sources: positionals, outDir: values.out, species: parseSpecies(values.species!), seed, bitrateKbps };
}

/** `liveness synth`: attack media from bona fide media, with a manifest for `liveness eval`. */
export async function runSynth(options: SynthCommandOptions): Promise<number> {
  const items = await synthesize(locateTools(), options.sources, options);
  process.stdout.write(`wrote ${items.length} attack clips and ${options.outDir}/manifest.csv\n`);
  return EXIT.live;
}
