/**
 * Starts the HTTP API for `liveness serve`: opens the store, starts the analysis workers (each
 * loads the models), listens at once (so /healthz answers during the load), fails records a
 * previous run left unfinished and resumes pending webhooks, and keeps the retention sweep going.
 * Closing refuses new requests, lets accepted asynchronous inferences and their first webhook
 * attempt finish (LIVENESS_SHUTDOWN_GRACE_S), waits for requests in flight, stops the workers and
 * closes the database.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { LivenessError } from '../errors.js';
import { openStore } from '../store/index.js';
import type { Analyzer } from './analyzer.js';
import { buildApp, type AppOptions } from './app.js';
import type { ServerConfig } from './config.js';
import { recoverInterrupted } from './recover-interrupted.js';
import { startRetention } from './retention.js';
import { startWorkerPool } from './worker-pool.js';

export interface RunningServer {
  readonly app: FastifyInstance;
  /** Where it listens, such as http://127.0.0.1:8080. */
  readonly url: string;
  /** Settles when every analysis worker has loaded its models, or one failed to. */
  readonly ready: Promise<Analyzer>;
  close(): Promise<void>;
}

export async function startServer(config: ServerConfig, options: { readonly logger?: AppOptions['logger'] } = {}): Promise<RunningServer> {
  const store = openStore(config.dataDir);
  // One worker per analysis slot: the analysis queue never runs more than `concurrency` at once.
  const ready = startWorkerPool({ size: config.concurrency, depsOptions: config.calibration ? { fusionPath: config.calibration } : {} });
  // The app reports a failed load through /readyz and the log; callers learn of it from `ready`.
  ready.catch(() => undefined);
  // The workers also check capture sessions' colour challenges, with the models they hold.
  const app = buildApp({ config, analyzer: ready, challengeChecker: ready, store, logger: options.logger ?? { level: config.logLevel } });
  app.addHook('onClose', async () => store.close());
  app.addHook('onClose', async () => ready.then((pool) => pool.close(), () => undefined));
  try {
    const { failed, webhooksDue } = recoverInterrupted(store, app.webhookDispatcher);
    if (failed > 0) app.log.warn({ abandoned: failed }, 'inference records left queued or processing by a previous run were marked failed (analysis_interrupted)');
    if (webhooksDue > 0) app.log.info({ webhooksDue }, 'webhook deliveries left pending by a previous run are resumed');
    const retention = startRetention(store, config.retentionDays, app.log);
    app.addHook('onClose', async () => retention.stop());
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    throw listenError(error, config);
  }
  const { address, port, family } = app.server.address() as AddressInfo;
  const url = `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
  return { app, url, ready, close: () => app.close() };
}

function listenError(error: unknown, config: ServerConfig): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new LivenessError('invalid_config', `Expected a free port for LIVENESS_PORT but ${config.host}:${config.port} is in use`, { cause: error });
    case 'EACCES':
      return new LivenessError('invalid_config', `Expected a port this user may open for LIVENESS_PORT but received ${config.port}`, { cause: error });
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new LivenessError('invalid_config', `Expected an address of this machine for LIVENESS_HOST but received '${config.host}'`, { cause: error });
    default:
      return error;
  }
}
