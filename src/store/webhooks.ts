/**
 * Webhooks of asynchronous inferences and every attempt to deliver one. A webhook is `pending`
 * until an attempt gets a 2xx (`delivered`) or the attempts run out (`failed`); `nextAttemptAt` is
 * set while a delivery is due, so a restarted server resumes where the last one stopped.
 */
import type { Database } from 'better-sqlite3';

export type WebhookStatus = 'pending' | 'delivered' | 'failed';
export type DeliveryOutcome = 'delivered' | 'retrying' | 'failed';

/** One attempt to deliver a webhook. */
export interface DeliveryAttempt {
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** The URL posted to (webhook URLs never carry credentials: they are refused at submission). */
  readonly url: string;
  readonly startedAt: string;
  readonly durationMs: number;
  /** The receiver's HTTP status; null when no response came (refused address, network error, timeout). */
  readonly httpStatus: number | null;
  /** Why the attempt failed; null when it was delivered. */
  readonly error: string | null;
  readonly outcome: DeliveryOutcome;
  /** When the next attempt is due (outcome `retrying` only). */
  readonly nextAttemptAt: string | null;
}

export interface WebhookRecord {
  readonly inferenceId: string;
  readonly url: string;
  readonly status: WebhookStatus;
  readonly attempts: readonly DeliveryAttempt[];
  /** Set while a delivery is due: once the inference has finished, and between retries. */
  readonly nextAttemptAt: string | null;
  readonly createdAt: string;
}

export interface WebhookStore {
  /** Registers the webhook of an inference just recorded; nothing is due until it finishes. */
  create(webhook: { readonly inferenceId: string; readonly url: string; readonly createdAt: Date }): void;
  find(inferenceId: string): WebhookRecord | null;
  /** The inference has finished: its first delivery is due at `at`. */
  markDue(inferenceId: string, at: Date): void;
  /** At start-up: pending webhooks of finished inferences that were never made due (a crash in between) are due at `now`. */
  markFinishedDue(now: Date): number;
  /** Pending deliveries with a due time, soonest first. */
  listDue(): Array<{ readonly inferenceId: string; readonly nextAttemptAt: string }>;
  /** Records an attempt and moves the webhook on (delivered, failed, or due again at `nextAttemptAt`), in one transaction. */
  recordAttempt(inferenceId: string, attempt: DeliveryAttempt): void;
}

interface WebhookRow {
  inference_id: string;
  url: string;
  status: WebhookStatus;
  attempts: number;
  next_attempt_at: string | null;
  created_at: string;
}

interface DeliveryRow {
  attempt: number;
  url: string;
  started_at: string;
  duration_ms: number;
  http_status: number | null;
  error: string | null;
  outcome: DeliveryOutcome;
  next_attempt_at: string | null;
}

const STATUS_AFTER: Record<DeliveryOutcome, WebhookStatus> = { delivered: 'delivered', retrying: 'pending', failed: 'failed' };

export function createWebhookStore(db: Database): WebhookStore {
  const insert = db.prepare("INSERT INTO webhooks (inference_id, url, status, created_at) VALUES (?, ?, 'pending', ?)");
  const select = db.prepare<[string], WebhookRow>('SELECT * FROM webhooks WHERE inference_id = ?');
  const selectAttempts = db.prepare<[string], DeliveryRow>('SELECT * FROM webhook_deliveries WHERE inference_id = ? ORDER BY attempt');
  const setDue = db.prepare("UPDATE webhooks SET next_attempt_at = ? WHERE inference_id = ? AND status = 'pending'");
  const setFinishedDue = db.prepare(`
    UPDATE webhooks SET next_attempt_at = ?
    WHERE status = 'pending' AND next_attempt_at IS NULL
      AND inference_id IN (SELECT inference_id FROM inferences WHERE status IN ('completed', 'failed'))`);
  const selectDue = db.prepare<[], { inference_id: string; next_attempt_at: string }>(
    "SELECT inference_id, next_attempt_at FROM webhooks WHERE status = 'pending' AND next_attempt_at IS NOT NULL ORDER BY next_attempt_at",
  );
  const insertAttempt = db.prepare(
    'INSERT INTO webhook_deliveries (inference_id, attempt, url, started_at, duration_ms, http_status, error, outcome, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const moveOn = db.prepare('UPDATE webhooks SET status = ?, attempts = ?, next_attempt_at = ? WHERE inference_id = ?');
  const record = db.transaction((inferenceId: string, a: DeliveryAttempt) => {
    insertAttempt.run(inferenceId, a.attempt, a.url, a.startedAt, a.durationMs, a.httpStatus, a.error, a.outcome, a.nextAttemptAt);
    moveOn.run(STATUS_AFTER[a.outcome], a.attempt, a.nextAttemptAt, inferenceId);
  });

  return {
    create({ inferenceId, url, createdAt }) {
      insert.run(inferenceId, url, createdAt.toISOString());
    },
    find(inferenceId) {
      const row = select.get(inferenceId);
      if (!row) return null;
      return {
        inferenceId: row.inference_id,
        url: row.url,
        status: row.status,
        attempts: selectAttempts.all(inferenceId).map(toAttempt),
        nextAttemptAt: row.next_attempt_at,
        createdAt: row.created_at,
      };
    },
    markDue(inferenceId, at) {
      setDue.run(at.toISOString(), inferenceId);
    },
    markFinishedDue(now) {
      return setFinishedDue.run(now.toISOString()).changes;
    },
    listDue() {
      return selectDue.all().map((row) => ({ inferenceId: row.inference_id, nextAttemptAt: row.next_attempt_at }));
    },
    recordAttempt(inferenceId, attempt) {
      record(inferenceId, attempt);
    },
  };
}

function toAttempt(row: DeliveryRow): DeliveryAttempt {
  return {
    attempt: row.attempt,
    url: row.url,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    httpStatus: row.http_status,
    error: row.error,
    outcome: row.outcome,
    nextAttemptAt: row.next_attempt_at,
  };
}
