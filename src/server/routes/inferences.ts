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
import { readUploadRequest } from '../upload-request.js';

export interface InferenceRouteOptions {
  readonly inferences: InferenceStore;
  readonly readiness: Readiness;
  readonly queue: AnalysisQueue;
  readonly analysis: AnalysisConfig;
  readonly bodyLimitBytes: number;
  readonly fetchMedia: MediaFetcher;
}

export function registerInferenceRoutes(app: FastifyInstance, { inferences, readiness, queue, analysis, bodyLimitBytes, fetchMedia }: InferenceRouteOptions): void {
  app.post('/inferences', async (request, reply) => {
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

  app.get<{ Params: { id: string } }>('/inferences/:id', async (request, reply) => {
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
