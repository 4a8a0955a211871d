/**
 * One inference, as `POST /v1/inferences` and a session's capture both run it: record the request,
 * wait for a slot, analyse (through the analyzer), build the envelope, record the outcome.
 */
import type { FastifyRequest } from 'fastify';
import type { AnalysisConfig } from '../config.js';
import { buildEnvelope, newInferenceId, type Envelope } from '../envelope.js';
import type { LivenessError } from '../errors.js';
import type { Analysis } from '../pipeline/index.js';
import type { InferenceStore } from '../store/index.js';
import type { AnalysisQueue } from './analysis-queue.js';
import type { Analyzer } from './analyzer.js';
import { toApiError } from './error-reply.js';
import type { InferenceRequest } from './inference-request.js';

export interface InferenceRunner {
  readonly inferences: InferenceStore;
  readonly queue: AnalysisQueue;
  readonly analysis: AnalysisConfig;
  readonly bodyLimitBytes: number;
}

export type InferenceOutcome =
  | { readonly ok: true; readonly inferenceId: string; readonly envelope: Envelope; readonly analysis: Analysis }
  | { readonly ok: false; readonly inferenceId: string; readonly error: LivenessError };

/**
 * Runs `parsed` and records it under a new inference id. Call `queue.checkRoom()` first, so that a
 * busy server refuses before it writes a record. A failure comes back coded, never thrown.
 */
export async function runInference(
  { inferences, queue, analysis, bodyLimitBytes }: InferenceRunner,
  analyzer: Analyzer,
  parsed: InferenceRequest,
  { request, keyId, createdAt }: { readonly request: FastifyRequest; readonly keyId: string | null; readonly createdAt: Date },
): Promise<InferenceOutcome> {
  const inferenceId = newInferenceId();
  inferences.begin({ inferenceId, keyId, request: parsed.summary, createdAt });
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
    return { ok: true, inferenceId, envelope, analysis: result };
  } catch (error) {
    const coded = toApiError(error, request, { bodyLimitBytes });
    if (coded.code === 'internal_error') request.log.error({ err: error, inferenceId }, 'analysis failed unexpectedly');
    inferences.fail({ inferenceId, error: coded, completedAt: new Date() });
    return { ok: false, inferenceId, error: coded };
  }
}
