/**
 * `POST /v1/inferences` analyses the media in the body (JSON with data: or http(s) URLs, or a
 * multipart upload) and answers with the contract's envelope, or, with `"async": true`, answers
 * 202 at once and analyses in the background (async-inferences.ts), delivering a signed webhook
 * when asked to; `GET /v1/inferences/:id` answers with the record as it stands, and
 * `GET /v1/inferences/:id/webhook` with its webhook's delivery attempts. All thin: the analysis is
 * `analyzeMedia` (through the analyzer, in a worker thread when served), run and recorded by
 * `runInference` / `analyseAndRecord`, which session captures share.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AnalysisConfig } from '../../config.js';
import { LivenessError } from '../../errors.js';
import type { InferenceRecord, InferenceStore, WebhookRecord, WebhookStore } from '../../store/index.js';
import type { AnalysisQueue } from '../analysis-queue.js';
import { ASYNC_FIELDS, checkWebhookDestination, parseAsyncOptions, type AsyncOptions } from '../async-options.js';
import type { AsyncInferences } from '../async-inferences.js';
import type { AllowlistEntry } from '../config.js';
import { sendError } from '../error-reply.js';
import { parseHttpUrl, type Resolver } from '../fetch-media.js';
import { inferenceReply, pendingEnvelope } from '../inference-reply.js';
import { checkInferenceRequest, receiveInferenceRequest, summarizeChecked, type InferenceRequest, type MediaFetcher } from '../inference-request.js';
import type { Readiness } from '../readiness.js';
import { runInference } from '../run-inference.js';
import { ENVELOPE_SCHEMA, errorResponses, INFERENCE_REQUEST_SCHEMA, PENDING_SCHEMA, WEBHOOK_SCHEMA } from '../route-schemas.js';
import { readUploadRequest } from '../upload-request.js';

const SECURITY: ReadonlyArray<Record<string, readonly string[]>> = [{ bearer: [] }, { apiKey: [] }];
/** What a POST can answer with; a GET replays it, or says not_found. Start-up and CLI codes are left out. */
const POST_ERRORS = [
  'invalid_argument', 'empty_input', 'too_many_frames', 'unauthorized', 'url_not_allowed', 'media_too_large', 'unsupported_content_type', 'unsupported_media',
  'no_video_stream', 'dimensions_too_large', 'undecodable_media', 'decode_timeout', 'rate_limited', 'internal_error', 'url_fetch_failed', 'server_busy', 'not_ready', 'url_fetch_timeout',
] as const;

const POST_SCHEMA = {
  summary: 'Analyse a selfie video, frames or a still',
  description:
    'JSON with a data: or http(s) URL, or multipart/form-data with one file field named file. Answers with the envelope, also for an inconclusive analysis; with async: true, 202 at once with the envelope\'s shape, status \'queued\', and a Location header to poll.',
  security: SECURITY,
  body: INFERENCE_REQUEST_SCHEMA,
  response: { 200: ENVELOPE_SCHEMA, 202: { ...PENDING_SCHEMA, description: "async: true: accepted, status 'queued'; the Location header is GET /v1/inferences/{id}." }, ...errorResponses(POST_ERRORS) },
} as const;

const ID_PARAMS = { type: 'object', properties: { id: { type: 'string', description: 'The inference_id from the POST.' } }, required: ['id'] } as const;

const GET_SCHEMA = {
  summary: 'The inference as it stands: what the POST answered, or, for an asynchronous one, its outcome once known',
  description:
    "A completed or failed inference answers exactly as a synchronous POST would have (the error with its status, and inference_id). An asynchronous inference that failed because the server stopped is analysis_interrupted. This body is also what a webhook delivers.",
  security: SECURITY,
  params: ID_PARAMS,
  response: { 200: ENVELOPE_SCHEMA, 202: PENDING_SCHEMA, ...errorResponses([...POST_ERRORS, 'not_found', 'analysis_interrupted']) },
} as const;

const WEBHOOK_GET_SCHEMA = {
  summary: "An asynchronous inference's webhook: its status and every delivery attempt",
  security: SECURITY,
  params: ID_PARAMS,
  response: { 200: WEBHOOK_SCHEMA, ...errorResponses(['unauthorized', 'not_found', 'rate_limited']) },
} as const;

export interface InferenceRouteOptions {
  readonly inferences: InferenceStore;
  readonly webhooks: WebhookStore;
  readonly readiness: Readiness;
  readonly queue: AnalysisQueue;
  readonly analysis: AnalysisConfig;
  readonly bodyLimitBytes: number;
  readonly fetchMedia: MediaFetcher;
  readonly asyncInferences: AsyncInferences;
  /** The address policy's allowlist and the resolver, for checking webhook URLs at submission. */
  readonly webhookCheck: { readonly allowlist: readonly AllowlistEntry[]; readonly resolve: Resolver };
}

/** A request's media: received already (an upload), or checked and fetched when needed (JSON). */
interface PendingMedia {
  readonly options: AsyncOptions;
  readonly summary: () => InferenceRequest['summary'];
  readonly receive: () => Promise<InferenceRequest>;
}

export function registerInferenceRoutes(app: FastifyInstance, options: InferenceRouteOptions): void {
  const { inferences, webhooks, readiness, queue, analysis, bodyLimitBytes, asyncInferences, webhookCheck } = options;

  app.post('/inferences', { schema: POST_SCHEMA }, async (request, reply) => {
    const createdAt = new Date();
    const media = await readRequest(request, options);
    // The base64 text is no longer needed; let it be collected while the analysis waits its turn.
    request.body = undefined;
    const keyId = request.apiKey?.id ?? null;

    if (!media.options.async) {
      const analyzer = readiness.analyzer();
      // Refused before a media URL is fetched or a record written: a busy server should not also
      // download up to 50 MB, nor fill its database.
      queue.checkRoom();
      const parsed = await media.receive();
      const outcome = await runInference({ inferences, queue, analysis, bodyLimitBytes }, analyzer, parsed, { request, keyId, createdAt });
      return outcome.ok ? outcome.envelope : sendError(reply, outcome.error, outcome.inferenceId);
    }

    const analyzer = readiness.analyzer();
    const { webhookUrl } = media.options;
    if (webhookUrl) await checkWebhookDestination(webhookUrl, webhookCheck);
    // The place in the queue is taken before the request is accepted: once accepted, it runs.
    const admission = queue.admit();
    const inferenceId = asyncInferences.submit({ analyzer, admission, keyId, createdAt, summary: media.summary(), receive: media.receive, webhookUrl });
    return reply.code(202).header('location', `/v1/inferences/${inferenceId}`).send(pendingEnvelope(inferenceId, 'queued', createdAt));
  });

  app.get<{ Params: { id: string } }>('/inferences/:id', { schema: GET_SCHEMA }, async (request, reply) => {
    const record = findOwn(inferences, request);
    if (record.status === 'failed') return sendError(reply, record.error!, record.inferenceId);
    const { statusCode, body } = inferenceReply(record);
    return reply.code(statusCode).send(body);
  });

  app.get<{ Params: { id: string } }>('/inferences/:id/webhook', { schema: WEBHOOK_GET_SCHEMA }, async (request) => {
    const record = findOwn(inferences, request);
    const webhook = webhooks.find(record.inferenceId);
    if (!webhook) throw new LivenessError('not_found', `Expected an inference submitted with a webhook_url but ${record.inferenceId} has none`);
    return webhookReply(webhook);
  });
}

async function readRequest(request: FastifyRequest, { analysis, fetchMedia }: InferenceRouteOptions): Promise<PendingMedia> {
  if (request.isMultipart()) {
    const upload = await readUploadRequest(request, analysis.ingest, ASYNC_FIELDS);
    return { options: parseAsyncOptions(upload.fields, { fromForm: true }), summary: () => upload.summary, receive: async () => upload };
  }
  const checked = checkInferenceRequest(request.body, analysis.ingest, ASYNC_FIELDS);
  const asyncOptions = parseAsyncOptions(checked.extra);
  // An asynchronous request fetches its URLs later: a URL that is not one is refused now.
  if (asyncOptions.async) for (const item of checked.items) if ('url' in item) parseHttpUrl(item.url, item.field);
  return { options: asyncOptions, summary: () => summarizeChecked(checked), receive: () => receiveInferenceRequest(checked, analysis.ingest.maxBytes, fetchMedia) };
}

function findOwn(inferences: InferenceStore, request: FastifyRequest<{ Params: { id: string } }>): InferenceRecord {
  const { id } = request.params;
  const record = inferences.find(id);
  // Another key's record is reported exactly like a missing one, so ids cannot be probed.
  if (!record || (request.apiKey !== null && record.keyId !== request.apiKey.id)) {
    throw new LivenessError('not_found', `Expected the id of an inference made with this API key but received '${id.slice(0, 60)}'`);
  }
  return record;
}

function webhookReply(webhook: WebhookRecord) {
  return {
    inference_id: webhook.inferenceId,
    url: webhook.url,
    status: webhook.status,
    next_attempt_at: webhook.nextAttemptAt,
    attempts: webhook.attempts.map((a) => ({
      attempt: a.attempt,
      started_at: a.startedAt,
      duration_ms: a.durationMs,
      http_status: a.httpStatus,
      error: a.error,
      outcome: a.outcome,
      next_attempt_at: a.nextAttemptAt,
    })),
  };
}
