/**
 * The HTTP API as a Fastify instance, built without listening: `serve` listens, tests inject.
 * Requests read top to bottom: authenticate → rate limit → parse → analyse (queued) → record → reply;
 * asynchronous ones reply after the record, then analyse and deliver their webhook in the background.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { DEFAULT_CONFIG, type AnalysisConfig } from '../config.js';
import { PROJECT_ROOT } from '../deps.js';
import { LivenessError } from '../errors.js';
import type { Store } from '../store/index.js';
import { createAnalysisQueue } from './analysis-queue.js';
import { createAsyncInferences } from './async-inferences.js';
import type { Analyzer } from './analyzer.js';
import type { ChallengeChecker } from './challenge-checker.js';
import { createAuthenticator } from './auth.js';
import type { ServerConfig } from './config.js';
import { sendError, toApiError } from './error-reply.js';
import { DEFAULT_FETCH_OPTIONS, fetchMedia, type FetchMediaOptions } from './fetch-media.js';
import type { MediaFetcher } from './inference-request.js';
import { loggerOptions } from './logging.js';
import { createMetrics, registerMetricsRoute } from './metrics.js';
import { registerOpenApi } from './openapi.js';
import { createRateLimiter, createRateLimitHook } from './rate-limit.js';
import { trackReadiness } from './readiness.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerInferenceRoutes } from './routes/inferences.js';
import { registerCapturePage } from './routes/capture-page.js';
import { registerSessionCaptureRoutes, registerSessionRoutes } from './routes/sessions.js';
import { createWebhookDispatcher, type WebhookDispatcher } from './webhook-dispatcher.js';
import { DEFAULT_WEBHOOK_TIMEOUTS, sendWebhook } from './webhook-send.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Webhook deliveries: `serve` resumes the pending ones at start-up (recover-interrupted.ts). */
    webhookDispatcher: WebhookDispatcher;
  }
}

export interface AppOptions {
  readonly config: ServerConfig;
  /** The analyzer, or its loading: the app answers /healthz at once and /readyz when it is in. */
  readonly analyzer: Analyzer | Promise<Analyzer>;
  readonly store: Store;
  /** The analysis settings; the media size limit also sets the request body limit. */
  readonly analysis?: AnalysisConfig;
  /** False (the default) for no log; otherwise JSON lines at `level` (default info) to `stream` (default stdout). */
  readonly logger?: false | { readonly level?: string; readonly stream?: NodeJS.WritableStream };
  /** How http(s) media URLs are fetched and webhooks sent: time limits, and the resolver and connector for tests. */
  readonly urlFetch?: Partial<Omit<FetchMediaOptions, 'allowlist' | 'maxBytes'>>;
  /** A number in [0, 1) for the webhook retries' jitter (tests pin it). */
  readonly random?: () => number;
  /** Checks capture sessions' colour challenges; without it, sessions offer challenge 'none' only. */
  readonly challengeChecker?: ChallengeChecker | Promise<ChallengeChecker>;
  /** The clock for session expiry (tests move it). */
  readonly now?: () => Date;
}

/** Room for the JSON fields or the multipart headers around the media. */
const BODY_OVERHEAD_BYTES = 64 * 1024;

/**
 * The largest request body: the media limit plus room for the form, however the media comes. A body
 * announced larger is refused before it is read. Base64 carries 3 bytes in 4 characters, so a
 * `data:` URL carries at most three quarters of the media limit; larger media go as an upload or a URL.
 */
export function requestBodyLimit(maxMediaBytes: number): number {
  return maxMediaBytes + BODY_OVERHEAD_BYTES;
}

const ROUTES = 'POST /v1/inferences, GET /v1/inferences/:id, GET /v1/inferences/:id/webhook, POST /v1/sessions, GET /v1/sessions/:id, POST /v1/sessions/:id/challenge, POST /v1/sessions/:id/capture, GET /capture, GET /healthz, GET /readyz, GET /openapi.json, GET /docs or GET /metrics';

/**
 * @example
 * const app = buildApp({ config: readServerConfig(), analyzer: inProcessAnalyzer(await loadDeps()), store: openStore(dir) });
 * const response = await app.inject({ method: 'GET', url: '/healthz' });
 */
export function buildApp({ config, analyzer, store, analysis = DEFAULT_CONFIG, logger = false, urlFetch = {}, challengeChecker, now = () => new Date(), random }: AppOptions): FastifyInstance {
  const bodyLimitBytes = requestBodyLimit(analysis.ingest.maxBytes);
  // With a Content-Length over the limit, Fastify answers 413 before reading the body.
  const logging = loggerOptions(logger ? logger.level : undefined);
  const app = Fastify({
    ...logging,
    logger: logger ? { ...(logging.logger as object), ...(logger.stream ? { stream: logger.stream } : {}) } : false,
    bodyLimit: bodyLimitBytes,
  });
  // The request's id (its X-Request-Id, or a fresh UUID) goes back with every reply, to match log lines.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  const queue = createAnalysisQueue(config);
  const metrics = createMetrics(queue);
  const measured = analyzer instanceof Promise ? analyzer.then(metrics.measureAnalyzer) : metrics.measureAnalyzer(analyzer);
  const readiness = trackReadiness(measured, (error) => app.log.error({ err: error }, 'the models failed to load'));

  // JSON (and multipart, below) only: text/plain (on by default) would hand a string to the request parser.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('apiKey', null);
  app.setErrorHandler((error, request, reply) => {
    const coded = toApiError(error, request, { bodyLimitBytes });
    if (coded.code === 'internal_error') request.log.error({ err: error }, 'unexpected failure');
    return sendError(reply, coded);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new LivenessError('not_found', `Expected one of the routes ${ROUTES} but received ${request.method} ${request.url.slice(0, 100)}`)),
  );

  if (!config.auth) {
    app.log.warn('LIVENESS_AUTH=off: every caller is accepted without an API key and sees every inference. Use this only on a machine nobody else can reach.');
  }

  const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  registerOpenApi(app, { version });
  // The route schemas document the API (openapi.ts). Requests are checked by inference-request.ts,
  // whose messages say what was expected, and replies are sent as they are, every field kept.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerMetricsRoute(app, metrics);
  app.register(async (root) => registerHealthRoutes(root, readiness));
  const limiter = createRateLimiter();
  const fetchOptions = { ...DEFAULT_FETCH_OPTIONS, ...urlFetch, allowlist: config.urlAllowlist };
  const fetcher: MediaFetcher = metrics.measureFetcher(({ url, field }, maxBytes) => fetchMedia(url, field, { ...fetchOptions, maxBytes }));
  const runner = { inferences: store.inferences, queue, analysis, bodyLimitBytes };
  const webhookSend = { ...DEFAULT_WEBHOOK_TIMEOUTS, allowlist: config.urlAllowlist, resolve: fetchOptions.resolve, connect: fetchOptions.connect };
  const webhookDispatcher = createWebhookDispatcher({
    store,
    send: (url, body, headers) => sendWebhook(url, body, headers, webhookSend),
    maxAttempts: config.webhookMaxAttempts,
    retryBaseMs: config.webhookRetryBaseMs,
    log: app.log,
    onAttempt: metrics.countWebhookAttempt,
    ...(random ? { random } : {}),
  });
  const asyncInferences = createAsyncInferences({ runner, webhooks: store.webhooks, dispatcher: webhookDispatcher, log: app.log });
  app.decorate('webhookDispatcher', webhookDispatcher);
  // Before the server stops listening and the workers and the database close (serve's onClose hooks):
  // accepted asynchronous work finishes, with its first webhook attempt, within the grace period.
  app.addHook('preClose', async () => {
    const deadlineMs = Date.now() + config.shutdownGraceS * 1000;
    await asyncInferences.drain(deadlineMs);
    await webhookDispatcher.close(deadlineMs);
  });
  const sessionOptions = { sessions: store.sessions, runner, readiness, challengeChecker: challengeChecker ?? null, now, challengeUploadS: config.challengeUploadS };
  app.register(
    async (v1) => {
      if (config.auth) {
        v1.addHook('onRequest', createAuthenticator(store.keys));
        v1.addHook('onRequest', createRateLimitHook(limiter));
      }
      // Limits are set per request, where the media limit is known (src/server/upload-request.ts).
      await v1.register(multipart);
      registerInferenceRoutes(v1, {
        inferences: store.inferences,
        webhooks: store.webhooks,
        readiness,
        queue,
        analysis,
        bodyLimitBytes,
        fetchMedia: fetcher,
        asyncInferences,
        webhookCheck: { allowlist: config.urlAllowlist, resolve: fetchOptions.resolve },
      });
      registerSessionRoutes(v1, sessionOptions);
    },
    { prefix: '/v1' },
  );
  // The capture page's calls carry the session token, never the API key: outside the key's hooks.
  app.register(
    async (capture) => {
      await capture.register(multipart);
      registerSessionCaptureRoutes(capture, sessionOptions);
    },
    { prefix: '/v1' },
  );
  app.register(async (root) => registerCapturePage(root, { sessions: store.sessions, now, frameAncestors: config.frameAncestors }));
  return app;
}
