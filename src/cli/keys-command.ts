import { parseArgs } from 'node:util';
import { EXIT, invalidArgument, LivenessError } from '../errors.js';
import { readServerConfig } from '../server/config.js';
import { deriveWebhookSecret, WEBHOOK_SERVER_SECRET } from '../server/webhook-signature.js';
import { openStore } from '../store/index.js';
import { formatColumns } from './table.js';

export type KeysCommandOptions =
  | { readonly action: 'create'; readonly name: string; readonly ratePerMinute: number }
  | { readonly action: 'list' }
  | { readonly action: 'revoke'; readonly id: string }
  | { readonly action: 'webhook-secret'; readonly id: string | null };

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
  if (action === 'webhook-secret') {
    if (operands.length > 1) throw invalidArgument('at most one key id (none: the secret for LIVENESS_AUTH=off)', 'keys webhook-secret', operands);
    return { action, id: operands[0] ?? null };
  }
  throw invalidArgument('one of create, list, revoke, webhook-secret', 'keys', action);
}

function parseRate(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_RATE_PER_MINUTE;
  const match = /^(\d+)(\/min)?$/.exec(raw);
  const rate = Number(match?.[1]);
  if (!match || rate < 1 || rate > 1_000_000) throw invalidArgument('requests per minute as N or N/min, from 1 to 1000000', '--rate', raw);
  return rate;
}

/**
 * `liveness keys`: API keys in the database under LIVENESS_DATA_DIR. A new key is printed once, on
 * the last line, after its webhook signing secret; `webhook-secret` prints a key's signing secret
 * again (derived, not stored: see src/server/webhook-signature.ts), or without an id the one used
 * when the server runs with LIVENESS_AUTH=off.
 */
export async function runKeys(options: KeysCommandOptions): Promise<number> {
  const config = readServerConfig(process.env);
  const store = openStore(config.dataDir);
  try {
    if (options.action === 'create') {
      const { key, secret } = store.keys.create({ name: options.name, ratePerMinute: options.ratePerMinute });
      const webhookSecret = deriveWebhookSecret(store.serverSecrets.get(WEBHOOK_SERVER_SECRET), key.id);
      process.stdout.write(
        `Created API key ${key.id} ('${key.name}', ${key.ratePerMinute} requests per minute) in ${store.path}.\n` +
          `Webhook signing secret (Liveness-Signature; \`liveness keys webhook-secret ${key.id}\` shows it again): ${webhookSecret}\n` +
          'This is the only time the key is shown: only its SHA-256 is stored.\n' +
          `${secret}\n`,
      );
    } else if (options.action === 'list') {
      const rows = store.keys.list().map((key) => [key.id, key.name, String(key.ratePerMinute), key.createdAt, key.revokedAt ? `revoked ${key.revokedAt}` : 'active']);
      process.stdout.write(rows.length > 0 ? formatColumns(['id', 'name', 'rate/min', 'created', 'status'], rows) : `No API keys in ${store.path}; create one with \`liveness keys create\`.\n`);
    } else if (options.action === 'webhook-secret') {
      if (options.id !== null && !store.keys.list().some((key) => key.id === options.id)) {
        throw new LivenessError('not_found', `Expected the id of an API key (see \`liveness keys list\`) but received '${options.id}'`);
      }
      process.stdout.write(`${deriveWebhookSecret(store.serverSecrets.get(WEBHOOK_SERVER_SECRET), options.id)}\n`);
    } else {
      const key = store.keys.revoke(options.id);
      process.stdout.write(`Revoked API key ${key.id} ('${key.name}') at ${key.revokedAt}.\n`);
    }
    return EXIT.live;
  } finally {
    store.close();
  }
}
