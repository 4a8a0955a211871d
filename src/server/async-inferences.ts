/**
 * Asynchronous inferences (`"async": true`): accepted with a place already taken in the analysis
 * queue, recorded `queued`, answered 202 at once; then, in the background, the media URLs are
 * fetched, the analysis runs when a slot is free (`processing`), the record becomes `completed` or
 * `failed` exactly as a synchronous one would, and its webhook, if any, is delivered. On shutdown
 * `drain` lets accepted work finish (bounded by LIVENESS_SHUTDOWN_GRACE_S).
 */
import type { FastifyBaseLogger } from 'fastify';
import { newInferenceId } from '../envelope.js';
import type { InferenceStore, RequestSummary, WebhookStore } from '../store/index.js';
import type { Admission } from './analysis-queue.js';
import type { Analyzer } from './analyzer.js';
import { codedOrInternal } from './error-reply.js';
import type { InferenceRequest } from './inference-request.js';
import { analyseAndRecord, type InferenceRunner } from './run-inference.js';
import { settleBefore, type WebhookDispatcher } from './webhook-dispatcher.js';

export interface AsyncSubmission {
  readonly analyzer: Analyzer;
  /** The place in the queue, taken before the request was accepted. */
  readonly admission: Admission;
  readonly keyId: string | null;
  readonly createdAt: Date;
  /** What is recorded now; URLs not fetched yet have size 0 until `receive` fetches them. */
  readonly summary: RequestSummary;
  /** Fetches any media URLs and gives the core's input. */
  readonly receive: () => Promise<InferenceRequest>;
  readonly webhookUrl: URL | null;
}

export interface AsyncInferences {
  /** Records the inference as queued and starts its work in the background; returns its id. */
  submit(submission: AsyncSubmission): string;
  /** Waits until every accepted inference has finished (with its first webhook attempt), or until `deadlineMs`. */
  drain(deadlineMs: number): Promise<void>;
}

export function createAsyncInferences({
  runner,
  webhooks,
  dispatcher,
  log,
}: {
  readonly runner: Pick<InferenceRunner, 'inferences' | 'analysis'>;
  readonly webhooks: WebhookStore;
  readonly dispatcher: WebhookDispatcher;
  readonly log: FastifyBaseLogger;
}): AsyncInferences {
  const jobs = new Set<Promise<void>>();
  const { inferences } = runner;

  const runInBackground = async (inferenceId: string, { analyzer, admission, createdAt, receive, webhookUrl }: AsyncSubmission) => {
    try {
      let parsed: InferenceRequest;
      try {
        parsed = await receive();
      } catch (error) {
        // A media URL that cannot be fetched fails the inference; its place goes to the next one.
        admission.release();
        const coded = codedOrInternal(error);
        if (coded.code === 'internal_error') log.error({ err: error, inferenceId }, 'asynchronous inference: its media could not be received');
        inferences.fail({ inferenceId, error: coded, completedAt: new Date() });
        return;
      }
      await analyseAndRecord(runner, analyzer, parsed, {
        inferenceId,
        createdAt,
        log,
        toError: codedOrInternal,
        runInSlot: (work) => admission.run(work),
        onStart: () => inferences.start({ inferenceId, request: parsed.summary }),
      });
    } finally {
      if (webhookUrl) await dispatcher.deliver(inferenceId);
    }
  };

  return {
    submit(submission) {
      const inferenceId = newInferenceId();
      try {
        inferences.begin({ inferenceId, keyId: submission.keyId, request: submission.summary, createdAt: submission.createdAt, status: 'queued' });
        if (submission.webhookUrl) webhooks.create({ inferenceId, url: submission.webhookUrl.href, createdAt: submission.createdAt });
      } catch (error) {
        submission.admission.release();
        throw error;
      }
      const job: Promise<void> = runInBackground(inferenceId, submission)
        // Only a store that went away (shutdown past its grace) gets here; the next start fails the record.
        .catch((error: unknown) => log.error({ err: error, inferenceId }, 'asynchronous inference: its outcome could not be recorded'))
        .finally(() => jobs.delete(job));
      jobs.add(job);
      return inferenceId;
    },
    drain: (deadlineMs) => settleBefore([...jobs], deadlineMs),
  };
}
