import type { Database } from 'better-sqlite3';
import type { Envelope } from '../envelope.js';
import type { ErrorCode } from '../errors.js';
import type { Evidence } from '../pipeline/index.js';

/** `queued`: an asynchronous request accepted, waiting for its media and a free analysis slot. */
export type InferenceStatus = 'queued' | 'processing' | 'completed' | 'failed';

/** What a request asked for, without its media: which field, how each item came and its size. */
export interface RequestSummary {
  /** The contract field that carried the media, or `file` for a multipart upload. */
  readonly field: 'video_url' | 'image_url' | 'file';
  /** True when `image_url` was an array of frames. */
  readonly frames: boolean;
  /** One entry per media item. `mediaType` is what the client declared, not what the bytes are. */
  readonly sources: ReadonlyArray<{ readonly scheme: string; readonly mediaType: string; readonly byteLength: number }>;
  readonly include: readonly string[];
}

/** The contract response as it was sent, less the evidence (stored on its own). */
export type StoredEnvelope = Omit<Envelope, 'evidence'>;

export interface InferenceRecord {
  readonly inferenceId: string;
  /** The API key that made the request; null when the server ran with LIVENESS_AUTH=off. */
  readonly keyId: string | null;
  readonly status: InferenceStatus;
  readonly request: RequestSummary;
  /** Set once completed. */
  readonly envelope: StoredEnvelope | null;
  readonly evidence: Evidence | null;
  /** Set when failed: the error the client received. */
  readonly error: { readonly code: ErrorCode; readonly message: string } | null;
  /** Time waiting in the queue, in the analysis and in each stage. */
  readonly timingsMs: Readonly<Record<string, number>> | null;
  readonly createdAt: string;
  readonly completedAt: string | null;
}

export interface InferenceStore {
  /** Records a request as it starts (`processing`, or `queued` when asynchronous), so that failures too have an id. */
  begin(record: {
    readonly inferenceId: string;
    readonly keyId: string | null;
    readonly request: RequestSummary;
    readonly createdAt: Date;
    readonly status?: 'queued' | 'processing';
  }): void;
  /** A queued inference's analysis starts; `request` now has the sizes of media fetched since. */
  start(record: { readonly inferenceId: string; readonly request: RequestSummary }): void;
  complete(record: {
    readonly inferenceId: string;
    readonly envelope: StoredEnvelope;
    readonly evidence: Evidence;
    readonly timingsMs: Readonly<Record<string, number>>;
    readonly completedAt: Date;
  }): void;
  fail(record: { readonly inferenceId: string; readonly error: { readonly code: ErrorCode; readonly message: string }; readonly completedAt: Date }): void;
  find(inferenceId: string): InferenceRecord | null;
  /** Retention: deletes records created before `cutoff`; returns how many. */
  deleteCreatedBefore(cutoff: Date): number;
  /**
   * At start-up: records still `queued` or `processing` belong to a server that stopped before they
   * finished; media is never stored, so they cannot resume and are failed with `analysis_interrupted`.
   */
  failAbandoned(now: Date): number;
}

interface InferenceRow {
  inference_id: string;
  key_id: string | null;
  status: InferenceStatus;
  request_json: string;
  envelope_json: string | null;
  evidence_json: string | null;
  error_code: string | null;
  error_message: string | null;
  timings_json: string | null;
  created_at: string;
  completed_at: string | null;
}

export function createInferenceStore(db: Database): InferenceStore {
  const insert = db.prepare('INSERT INTO inferences (inference_id, key_id, status, request_json, created_at) VALUES (?, ?, ?, ?, ?)');
  const markProcessing = db.prepare("UPDATE inferences SET status = 'processing', request_json = ? WHERE inference_id = ? AND status = 'queued'");
  const markCompleted = db.prepare(
    "UPDATE inferences SET status = 'completed', envelope_json = ?, evidence_json = ?, timings_json = ?, completed_at = ? WHERE inference_id = ?",
  );
  const markFailed = db.prepare("UPDATE inferences SET status = 'failed', error_code = ?, error_message = ?, completed_at = ? WHERE inference_id = ?");
  const select = db.prepare<[string], InferenceRow>('SELECT * FROM inferences WHERE inference_id = ?');
  const deleteBefore = db.prepare('DELETE FROM inferences WHERE created_at < ?');
  const failUnfinished = db.prepare(
    "UPDATE inferences SET status = 'failed', error_code = 'analysis_interrupted', error_message = ?, completed_at = ? WHERE status IN ('queued', 'processing')",
  );

  return {
    begin({ inferenceId, keyId, request, createdAt, status = 'processing' }) {
      insert.run(inferenceId, keyId, status, JSON.stringify(request), createdAt.toISOString());
    },
    start({ inferenceId, request }) {
      markProcessing.run(JSON.stringify(request), inferenceId);
    },
    complete({ inferenceId, envelope, evidence, timingsMs, completedAt }) {
      markCompleted.run(JSON.stringify(envelope), JSON.stringify(evidence), JSON.stringify(timingsMs), completedAt.toISOString(), inferenceId);
    },
    fail({ inferenceId, error, completedAt }) {
      markFailed.run(error.code, error.message, completedAt.toISOString(), inferenceId);
    },
    find(inferenceId) {
      const row = select.get(inferenceId);
      return row ? toRecord(row) : null;
    },
    deleteCreatedBefore(cutoff) {
      return deleteBefore.run(cutoff.toISOString()).changes;
    },
    failAbandoned(now) {
      const message = 'Expected the analysis to complete but the server stopped first; media is not kept, so submit the request again';
      return failUnfinished.run(message, now.toISOString()).changes;
    },
  };
}

function toRecord(row: InferenceRow): InferenceRecord {
  return {
    inferenceId: row.inference_id,
    keyId: row.key_id,
    status: row.status,
    request: JSON.parse(row.request_json) as RequestSummary,
    envelope: row.envelope_json === null ? null : (JSON.parse(row.envelope_json) as StoredEnvelope),
    evidence: row.evidence_json === null ? null : (JSON.parse(row.evidence_json) as Evidence),
    error: row.error_code === null ? null : { code: row.error_code as ErrorCode, message: row.error_message ?? '' },
    timingsMs: row.timings_json === null ? null : (JSON.parse(row.timings_json) as Record<string, number>),
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}
