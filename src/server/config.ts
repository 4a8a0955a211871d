/**
 * Every setting of the HTTP server, read once from environment variables at start-up: one schema,
 * each field with its variable, a doc line and a default. A bad value stops start-up with a message
 * that names the variable. The result is frozen and passed in; nothing reads `process.env` later.
 */
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { describeValue, LivenessError } from '../errors.js';

/** One allowed source for media URLs: a host name, or a network in CIDR notation. */
export type AllowlistEntry =
  | { readonly kind: 'host'; readonly host: string }
  | { readonly kind: 'cidr'; readonly address: string; readonly prefixLength: number; readonly family: 'ipv4' | 'ipv6' };

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** Absolute path of the folder that holds the database. */
  readonly dataDir: string;
  readonly auth: boolean;
  readonly urlAllowlist: readonly AllowlistEntry[];
  readonly retentionDays: number;
  readonly concurrency: number;
  readonly maxQueue: number;
  /** A fusion model / calibration file from `liveness calibrate`, or null for models/fusion.json. */
  readonly calibration: string | null;
  /** Origins (scheme://host[:port]) whose pages may embed the capture page with <liveness-capture>. */
  readonly frameAncestors: readonly string[];
  /** Attempts to deliver one webhook, the first included, before it is marked failed. */
  readonly webhookMaxAttempts: number;
  /** The wait before the first retry; each later one doubles it (plus up to 25 % jitter). */
  readonly webhookRetryBaseMs: number;
  /** On SIGTERM, how long queued and running asynchronous inferences (and their first webhook attempt) may take to finish. */
  readonly shutdownGraceS: number;
  /** Seconds a capture session's upload may take to arrive after its challenge has played out. */
  readonly challengeUploadS: number;
  /** The JSON log's level. */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
}

interface Rejection {
  readonly expected: string;
  readonly received?: string;
}

interface Setting<T> {
  readonly env: string;
  readonly doc: string;
  /** Raw text, parsed like a value from the environment so that defaults obey the same rules. */
  readonly default: string;
  /** Returns the value, or what was expected (and, for a list, which item was not) when `raw` is not valid. */
  readonly parse: (raw: string) => { readonly value: T } | Rejection;
}

type Schema = { readonly [K in keyof ServerConfig]: Setting<ServerConfig[K]> };

export const SERVER_SETTINGS: Schema = Object.freeze({
  host: {
    env: 'LIVENESS_HOST',
    doc: 'Interface to listen on. The default keeps the API on this machine; 0.0.0.0 opens it to the network.',
    default: '127.0.0.1',
    parse: (raw) => (/^[A-Za-z0-9.:-]+$/.test(raw) ? { value: raw } : { expected: 'a host name or IP address' }),
  },
  port: {
    env: 'LIVENESS_PORT',
    doc: 'TCP port to listen on; 0 picks a free one (it is logged).',
    default: '8080',
    parse: (raw) => integerIn(raw, 0, 65535),
  },
  dataDir: {
    env: 'LIVENESS_DATA_DIR',
    doc: 'Folder for the SQLite database (API keys as hashes, inference records; never media). Created if missing.',
    default: './data',
    parse: (raw) => ({ value: resolve(raw) }),
  },
  auth: {
    env: 'LIVENESS_AUTH',
    doc: "'on' requires an API key on every /v1 request; 'off' (local experiments only) accepts any caller and logs a warning.",
    default: 'on',
    parse: (raw) => (raw === 'on' ? { value: true } : raw === 'off' ? { value: false } : { expected: "'on' or 'off'" }),
  },
  urlAllowlist: {
    env: 'LIVENESS_URL_ALLOWLIST',
    doc: 'Comma-separated host names and CIDR networks that http(s) media URLs may reach although they are not public (loopback, private, link-local…); public addresses need no entry.',
    default: '',
    parse: parseAllowlist,
  },
  retentionDays: {
    env: 'LIVENESS_RETENTION_DAYS',
    doc: 'Inference records older than this many days are deleted (checked at start-up and hourly); 0 keeps them forever.',
    default: '30',
    parse: (raw) => integerIn(raw, 0, 36500),
  },
  concurrency: {
    env: 'LIVENESS_CONCURRENCY',
    doc: 'Analyses run at once, one worker thread each (each loads the models). Face models run on one CPU thread, so more than the core count only adds memory.',
    default: '2',
    parse: (raw) => integerIn(raw, 1, 64),
  },
  maxQueue: {
    env: 'LIVENESS_MAX_QUEUE',
    doc: 'Analyses admitted at once, running or waiting; beyond it requests get 503 server_busy instead of waiting.',
    default: '16',
    parse: (raw) => integerIn(raw, 1, 10000),
  },
  calibration: {
    env: 'LIVENESS_CALIBRATION',
    doc: 'A calibration file written by `liveness calibrate`, used instead of the shipped models/fusion.json; empty uses the shipped one.',
    default: '',
    parse: (raw) => (raw === '' ? { value: null } : existsSync(raw) ? { value: resolve(raw) } : { expected: 'an existing calibration file' }),
  },
  frameAncestors: {
    env: 'LIVENESS_FRAME_ANCESTORS',
    doc: 'Comma-separated origins (such as https://app.example.com) whose pages may embed the capture page; empty allows this server only.',
    default: '',
    parse: parseOrigins,
  },
  webhookMaxAttempts: {
    env: 'LIVENESS_WEBHOOK_MAX_ATTEMPTS',
    doc: 'Attempts to deliver a webhook (the first one included) before it is marked failed; each attempt is recorded.',
    default: '6',
    parse: (raw) => integerIn(raw, 1, 20),
  },
  webhookRetryBaseMs: {
    env: 'LIVENESS_WEBHOOK_RETRY_BASE_MS',
    doc: 'Milliseconds before the first webhook retry; each later retry waits twice as long, plus up to 25 % random jitter.',
    default: '2000',
    parse: (raw) => integerIn(raw, 1, 3_600_000),
  },
  shutdownGraceS: {
    env: 'LIVENESS_SHUTDOWN_GRACE_S',
    doc: 'On SIGTERM, seconds that accepted asynchronous inferences and their first webhook attempt may take to finish; what is left is failed at the next start.',
    default: '25',
    parse: (raw) => integerIn(raw, 0, 3600),
  },
  challengeUploadS: {
    env: 'LIVENESS_CHALLENGE_UPLOAD_S',
    doc: "Seconds a colour or mouth session's capture may take to arrive once its challenge has played out (revealed, shown, the camera's delay); a later one fails the session, since a known challenge could be answered at leisure.",
    default: '60',
    parse: (raw) => integerIn(raw, 5, 3600),
  },
  logLevel: {
    env: 'LIVENESS_LOG_LEVEL',
    doc: 'JSON log lines on stdout at this level and above: fatal, error, warn, info (one line per request), debug or silent.',
    default: 'info',
    parse: (raw) => (['fatal', 'error', 'warn', 'info', 'debug', 'silent'].includes(raw) ? { value: raw as ServerConfig['logLevel'] } : { expected: 'one of fatal, error, warn, info, debug, silent' }),
  },
});

function parseOrigins(raw: string): { value: readonly string[] } | Rejection {
  const origins: string[] = [];
  for (const item of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    let origin: string | null = null;
    try {
      const url = new URL(item);
      origin = (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === item.replace(/\/$/, '') ? url.origin : null;
    } catch {
      origin = null;
    }
    if (!origin) return { expected: 'origins such as https://app.example.com (scheme, host and port only) in each item', received: item };
    origins.push(origin);
  }
  return { value: Object.freeze(origins) };
}

/**
 * Reads and validates the server settings. An unset or empty variable takes the default.
 *
 * @example
 * const config = readServerConfig({ LIVENESS_PORT: '9000' });
 * config.port; // 9000
 */
export function readServerConfig(env: Readonly<Record<string, string | undefined>> = process.env): ServerConfig {
  const entries = Object.entries(SERVER_SETTINGS).map(([field, setting]: [string, Setting<unknown>]) => {
    const given = env[setting.env];
    const raw = given === undefined || given.trim() === '' ? setting.default : given.trim();
    const parsed = setting.parse(raw);
    if ('expected' in parsed) {
      throw new LivenessError('invalid_config', `Expected ${parsed.expected} for ${setting.env} but received ${describeValue(parsed.received ?? given)}`);
    }
    return [field, parsed.value];
  });
  const config = Object.fromEntries(entries) as unknown as ServerConfig;
  Object.freeze(config.urlAllowlist);
  return Object.freeze(config);
}

function integerIn(raw: string, min: number, max: number): { value: number } | Rejection {
  const value = Number(raw);
  return /^\d+$/.test(raw) && value >= min && value <= max ? { value } : { expected: `an integer from ${min} to ${max}` };
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

function parseAllowlist(raw: string): { value: readonly AllowlistEntry[] } | Rejection {
  const entries: AllowlistEntry[] = [];
  for (const item of raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    const entry = parseAllowlistEntry(item);
    if (!entry) return { expected: 'a host name or a CIDR network (such as 10.0.0.0/8) in each item', received: item };
    entries.push(Object.freeze(entry));
  }
  return { value: entries };
}

function parseAllowlistEntry(item: string): AllowlistEntry | null {
  const [address = '', prefix, extra] = item.split('/');
  const version = isIP(address);
  if (extra !== undefined) return null;
  if (version === 0) return prefix === undefined && HOST_NAME.test(item) ? { kind: 'host', host: item } : null;
  const maxPrefix = version === 4 ? 32 : 128;
  const prefixLength = prefix === undefined ? maxPrefix : Number(prefix);
  if (prefix !== undefined && !/^\d+$/.test(prefix)) return null;
  if (prefixLength > maxPrefix) return null;
  return { kind: 'cidr', address, prefixLength, family: version === 4 ? 'ipv4' : 'ipv6' };
}
