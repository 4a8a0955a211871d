/**
 * `POST /v1/inferences` analyses the media in the body (JSON with data: URLs, or a multipart
 * upload) and answers with the contract's envelope;
 * `GET /v1/inferences/:id` answers again with what that POST answered. Both are thin: the analysis
 * is `analyzeMedia` (through the analyzer, in a worker thread when served), the envelope is
 * `buildEnvelope`, the record is the store's.
 */
import type { FastifyInstance } from 'fastify';
import type { AnalysisConfig } from '../../config.js';
import { buildEnvelope, isoSeconds, MODEL_ID, MODEL_NAME, newInferenceId } from '../../envelope.js';
import { LivenessError } from '../../errors.js';
import type { InferenceStore } from '../../store/index.js';
import type { AnalysisQueue } from '../analysis-queue.js';
import { sendError, toApiError } from '../error-reply.js';
import { parseInferenceRequest, type MediaFetcher } from '../inference-request.js';
import type { Readiness } from '../readiness.js';
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

    const inferenceId = newInferenceId();
    inferences.begin({ inferenceId, keyId: request.apiKey?.id ?? null, request: parsed.summary, createdAt });
    try {
      const queuedAt = performance.now();
      let queueMs = 0;
      const result = await queue.run(() => {
        queueMs = Math.round(performance.now() - queuedAt);
        return analyzer.analyze(parsed.input, analysis);
      });
      const completedAt = new Date();
      const envelope = buildEnvelope(result, { createdAt, completedAt }, { inferenceId, includeEvidence: parsed.includeEvidence });
      const { evidence: _sent, ...stored } = envelope;
      inferences.complete({ inferenceId, envelope: stored, evidence: result.evidence, timingsMs: { queue: queueMs, ...result.evidence.timingsMs }, completedAt });
      return envelope;
    } catch (error) {
      const coded = toApiError(error, request, { bodyLimitBytes });
      if (coded.code === 'internal_error') request.log.error({ err: error, inferenceId }, 'analysis failed unexpectedly');
      inferences.fail({ inferenceId, error: coded, completedAt: new Date() });
      return sendError(reply, coded, inferenceId);
    }
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
