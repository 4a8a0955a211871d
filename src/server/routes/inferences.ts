/**
 * `POST /v1/inferences` analyses the media in the body (JSON with data: URLs, or a multipart
 * upload) and answers with the contract's envelope;
 * `GET /v1/inferences/:id` answers again with what that POST answered. Both are thin: the analysis
 * is `analyzeMedia` (through the analyzer, in a worker thread when served), run and recorded by
 * `runInference`, which session captures share.
 */
import type { FastifyInstance } from 'fastify';
import type { AnalysisConfig } from '../../config.js';
import { isoSeconds, MODEL_ID, MODEL_NAME } from '../../envelope.js';
import { LivenessError } from '../../errors.js';
import type { InferenceStore } from '../../store/index.js';
import type { AnalysisQueue } from '../analysis-queue.js';
import { sendError } from '../error-reply.js';
import { parseInferenceRequest, type MediaFetcher } from '../inference-request.js';
import type { Readiness } from '../readiness.js';
import { runInference } from '../run-inference.js';
import { ENVELOPE_SCHEMA, errorResponses, INFERENCE_REQUEST_SCHEMA, PROCESSING_SCHEMA } from '../route-schemas.js';
import { readUploadRequest } from '../upload-request.js';

const SECURITY: ReadonlyArray<Record<string, readonly string[]>> = [{ bearer: [] }, { apiKey: [] }];
/** What a POST can answer with; a GET replays it, or says not_found. Start-up and CLI codes are left out. */
const POST_ERRORS = [
  'invalid_argument', 'empty_input', 'too_many_frames', 'unauthorized', 'url_not_allowed', 'media_too_large', 'unsupported_content_type', 'unsupported_media',
  'no_video_stream', 'dimensions_too_large', 'undecodable_media', 'decode_timeout', 'rate_limited', 'internal_error', 'url_fetch_failed', 'server_busy', 'not_ready', 'url_fetch_timeout',
] as const;

const POST_SCHEMA = {
  summary: 'Analyse a selfie video, frames or a still',
  description: 'JSON with a data: or http(s) URL, or multipart/form-data with one file field named file. Answers with the envelope, also for an inconclusive analysis.',
  security: SECURITY,
  body: INFERENCE_REQUEST_SCHEMA,
  response: { 200: ENVELOPE_SCHEMA, ...errorResponses(POST_ERRORS) },
} as const;

const GET_SCHEMA = {
  summary: 'What the POST with this id answered, again',
  security: SECURITY,
  params: { type: 'object', properties: { id: { type: 'string', description: 'The inference_id from the POST.' } }, required: ['id'] },
  response: { 200: ENVELOPE_SCHEMA, 202: PROCESSING_SCHEMA, ...errorResponses([...POST_ERRORS, 'not_found']) },
} as const;

export interface InferenceRouteOptions {
  readonly inferences: InferenceStore;
  readonly readiness: Readiness;
  readonly queue: AnalysisQueue;
  readonly analysis: AnalysisConfig;
  readonly bodyLimitBytes: number;
  readonly fetchMedia: MediaFetcher;
}

export function registerInferenceRoutes(app: FastifyInstance, { inferences, readiness, queue, analysis, bodyLimitBytes, fetchMedia }: InferenceRouteOptions): void {
  app.post('/inferences', { schema: POST_SCHEMA }, async (request, reply) => {
    const createdAt = new Date();
    const parsed = request.isMultipart() ? await readUploadRequest(request, analysis.ingest) : await parseInferenceRequest(request.body, analysis.ingest, fetchMedia);
    // The base64 text is no longer needed; let it be collected while the analysis waits its turn.
    request.body = undefined;
    const analyzer = readiness.analyzer();
    // Refused before a record is written: a busy server should not also fill its database.
    queue.checkRoom();

    const outcome = await runInference({ inferences, queue, analysis, bodyLimitBytes }, analyzer, parsed, { request, keyId: request.apiKey?.id ?? null, createdAt });
    return outcome.ok ? outcome.envelope : sendError(reply, outcome.error, outcome.inferenceId);
  });

  app.get<{ Params: { id: string } }>('/inferences/:id', { schema: GET_SCHEMA }, async (request, reply) => {
    const { id } = request.params;
    const record = inferences.find(id);
    // Another key's record is reported exactly like a missing one, so ids cannot be probed.
    if (!record || (request.apiKey !== null && record.keyId !== request.apiKey.id)) {
      throw new LivenessError('not_found', `Expected the id of an inference made with this API key but received '${id.slice(0, 60)}'`);
    }
    if (record.status === 'failed') return sendError(reply, record.error!, record.inferenceId);
    if (record.status === 'processing') {
      return reply.code(202).send({ inference_id: record.inferenceId, model_id: MODEL_ID, model_name: MODEL_NAME, status: 'processing', created_at: isoSeconds(new Date(record.createdAt)) });
    }
    return record.request.include.includes('evidence') ? { ...record.envelope!, evidence: record.evidence } : record.envelope;
  });
}
