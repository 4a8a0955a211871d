import { parseArgs } from 'node:util';
import { EXIT, invalidArgument } from '../errors.js';
import { readServerConfig } from '../server/config.js';
import { openStore } from '../store/index.js';
import { formatColumns } from './table.js';

export type KeysCommandOptions =
  | { readonly action: 'create'; readonly name: string; readonly ratePerMinute: number }
  | { readonly action: 'list' }
  | { readonly action: 'revoke'; readonly id: string };

/** A new key's rate when --rate is not given: one request a second, sustained. */
const DEFAULT_RATE_PER_MINUTE = 60;

export function parseKeysArgs(args: readonly string[]): KeysCommandOptions {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { name: { type: 'string' }, rate: { type: 'string' }, debug: { type: 'boolean', default: false } },
  });
  const [action, ...operands] = positionals;
  if (action === 'create') {
    if (operands.length > 0) throw invalidArgument('no operands (use --name and --rate)', 'keys create', operands[0]);
    const name = values.name ?? 'default';
    if (!/^[^\p{Cc}]{1,100}$/u.test(name)) throw invalidArgument('a name of 1 to 100 printable characters', '--name', name);
    return { action, name, ratePerMinute: parseRate(values.rate) };
  }
  if (values.name !== undefined || values.rate !== undefined) throw invalidArgument('--name and --rate only with keys create', `keys ${action ?? ''}`.trim(), values.name ?? values.rate);
  if (action === 'list') {
    if (operands.length > 0) throw invalidArgument('no operands', 'keys list', operands[0]);
    return { action };
  }
  if (action === 'revoke') {
    if (operands.length !== 1) throw invalidArgument('one key id (see `liveness keys list`)', 'keys revoke', operands);
    return { action, id: operands[0]! };
  }
  throw invalidArgument('one of create, list, revoke', 'keys', action);
}

function parseRate(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_RATE_PER_MINUTE;
  const match = /^(\d+)(\/min)?$/.exec(raw);
  const rate = Number(match?.[1]);
  if (!match || rate < 1 || rate > 1_000_000) throw invalidArgument('requests per minute as N or N/min, from 1 to 1000000', '--rate', raw);
  return rate;
}

/** `liveness keys`: API keys in the database under LIVENESS_DATA_DIR. A new key is printed once, on the last line. */
export async function runKeys(options: KeysCommandOptions): Promise<number> {
  const config = readServerConfig(process.env);
  const store = openStore(config.dataDir);
  try {
    if (options.action === 'create') {
      const { key, secret } = store.keys.create({ name: options.name, ratePerMinute: options.ratePerMinute });
      process.stdout.write(
        `Created API key ${key.id} ('${key.name}', ${key.ratePerMinute} requests per minute) in ${store.path}.\n` +
          'This is the only time the key is shown: only its SHA-256 is stored.\n' +
          `${secret}\n`,
      );
    } else if (options.action === 'list') {
      const rows = store.keys.list().map((key) => [key.id, key.name, String(key.ratePerMinute), key.createdAt, key.revokedAt ? `revoked ${key.revokedAt}` : 'active']);
      process.stdout.write(rows.length > 0 ? formatColumns(['id', 'name', 'rate/min', 'created', 'status'], rows) : `No API keys in ${store.path}; create one with \`liveness keys create\`.\n`);
    } else {
      const key = store.keys.revoke(options.id);
      process.stdout.write(`Revoked API key ${key.id} ('${key.name}') at ${key.revokedAt}.\n`);
    }
    return EXIT.live;
  } finally {
    store.close();
  }
}
