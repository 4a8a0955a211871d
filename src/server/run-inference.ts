/**
 * One inference, as `POST /v1/inferences` and a session's capture both run it: record the request,
 * wait for a slot, analyse (through the analyzer), build the envelope, record the outcome.
 * Asynchronous inferences (async-inferences.ts) share the part after the record: `analyseAndRecord`.
 */
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
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
  runner: InferenceRunner,
  analyzer: Analyzer,
  parsed: InferenceRequest,
  { request, keyId, createdAt }: { readonly request: FastifyRequest; readonly keyId: string | null; readonly createdAt: Date },
): Promise<InferenceOutcome> {
  const inferenceId = newInferenceId();
  runner.inferences.begin({ inferenceId, keyId, request: parsed.summary, createdAt });
  return analyseAndRecord(runner, analyzer, parsed, {
    inferenceId,
    createdAt,
    log: request.log,
    toError: (error) => toApiError(error, request, { bodyLimitBytes: runner.bodyLimitBytes }),
    runInSlot: (work) => runner.queue.run(work),
  });
}

export interface RecordedRun {
  readonly inferenceId: string;
  readonly createdAt: Date;
  readonly log: FastifyBaseLogger;
  /** Codes anything the analysis threw. */
  readonly toError: (error: unknown) => LivenessError;
  /** Runs the analysis in a queue slot: `queue.run`, or an admission taken earlier. */
  readonly runInSlot: <T>(work: () => Promise<T>) => Promise<T>;
  /** Called when the slot is taken, before the analysis starts. */
  readonly onStart?: () => void;
}

/** Analyses the media of the recorded inference `inferenceId` in a slot and records its envelope or error. */
export async function analyseAndRecord(
  { inferences, analysis }: Pick<InferenceRunner, 'inferences' | 'analysis'>,
  analyzer: Analyzer,
  parsed: InferenceRequest,
  { inferenceId, createdAt, log, toError, runInSlot, onStart }: RecordedRun,
): Promise<InferenceOutcome> {
  try {
    const queuedAt = performance.now();
    let queueMs = 0;
    const result = await runInSlot(() => {
      queueMs = Math.round(performance.now() - queuedAt);
      onStart?.();
      return analyzer.analyze(parsed.input, analysis);
    });
    const completedAt = new Date();
    const envelope = buildEnvelope(result, { createdAt, completedAt }, { inferenceId, includeEvidence: parsed.includeEvidence });
    const { evidence: _sent, ...stored } = envelope;
    inferences.complete({ inferenceId, envelope: stored, evidence: result.evidence, timingsMs: { queue: queueMs, ...result.evidence.timingsMs }, completedAt });
    return { ok: true, inferenceId, envelope, analysis: result };
  } catch (error) {
    const coded = toError(error);
    if (coded.code === 'internal_error') log.error({ err: error, inferenceId }, 'analysis failed unexpectedly');
    inferences.fail({ inferenceId, error: coded, completedAt: new Date() });
    return { ok: false, inferenceId, error: coded };
  }
}
