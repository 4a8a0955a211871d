/**
 * Delivers the webhooks of asynchronous inferences: once an inference has finished, its GET body
 * is posted, signed (webhook-signature.ts), to its webhook_url; a failed attempt is retried after
 * base × 2^(attempt − 1) ms plus up to 25 % jitter, until one gets a 2xx or the attempts run out.
 * Every attempt is recorded, and the next due time is stored before waiting for it, so a restart
 * resumes pending deliveries (`resume`). On shutdown, attempts in flight finish; waiting retries
 * stay in the database for the next start.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { DeliveryOutcome, Store } from '../store/index.js';
import { inferenceReply } from './inference-reply.js';
import type { SendOutcome } from './webhook-send.js';
import { deriveWebhookSecret, signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER, WEBHOOK_SERVER_SECRET } from './webhook-signature.js';

/** Jitter spreads the retries of many deliveries that failed together (one receiver down) without ever shortening a wait. */
const JITTER_SHARE = 0.25;
/** No retry waits longer than a day, whatever the base (setTimeout also caps at 24.8 days). */
const MAX_RETRY_DELAY_MS = 24 * 60 * 60 * 1000;

export interface WebhookDispatcherOptions {
  readonly store: Pick<Store, 'inferences' | 'webhooks' | 'serverSecrets'>;
  /** Sends one attempt (`sendWebhook` with the server's SSRF policy and time limits). */
  readonly send: (url: URL, body: string, headers: Readonly<Record<string, string>>) => Promise<SendOutcome>;
  readonly maxAttempts: number;
  readonly retryBaseMs: number;
  readonly log: FastifyBaseLogger;
  /** Counts each attempt's outcome (metrics). */
  readonly onAttempt?: (outcome: DeliveryOutcome) => void;
  /** A number in [0, 1) for the jitter; tests pin it. */
  readonly random?: () => number;
}

export interface WebhookDispatcher {
  /** The inference has finished: makes its first delivery attempt now (a no-op without a webhook); settles after that attempt. */
  deliver(inferenceId: string): Promise<void>;
  /** At start-up: schedules every pending delivery that is due, at its due time; returns how many. */
  resume(): number;
  /** Waits for attempts in flight until `deadlineMs` (epoch ms), then stops scheduling; pending retries stay stored. */
  close(deadlineMs: number): Promise<void>;
}

/** The wait after failed attempt `attempt` (1 for the first): base × 2^(attempt − 1), plus `random` × 25 %. */
export function retryDelayMs(attempt: number, baseMs: number, random: number): number {
  return Math.min(MAX_RETRY_DELAY_MS, Math.round(baseMs * 2 ** (attempt - 1) * (1 + JITTER_SHARE * random)));
}

export function createWebhookDispatcher({ store, send, maxAttempts, retryBaseMs, log, onAttempt = () => undefined, random = Math.random }: WebhookDispatcherOptions): WebhookDispatcher {
  const timers = new Map<string, NodeJS.Timeout>();
  const inFlight = new Map<string, Promise<void>>();
  let closed = false;

  const schedule = (inferenceId: string, dueAt: Date) => {
    if (closed) return;
    clearTimeout(timers.get(inferenceId));
    const timer = setTimeout(() => {
      timers.delete(inferenceId);
      void attempt(inferenceId);
    }, Math.max(0, dueAt.getTime() - Date.now()));
    // A waiting retry alone must not keep the process alive; it is stored and resumes at the next start.
    timer.unref();
    timers.set(inferenceId, timer);
  };

  const attempt = (inferenceId: string): Promise<void> => {
    if (closed) return Promise.resolve();
    const running = inFlight.get(inferenceId);
    if (running) return running;
    const work = attemptOnce(inferenceId)
      .catch((error: unknown) => log.error({ err: error, inferenceId }, 'webhook: the attempt could not be made or recorded'))
      .finally(() => inFlight.delete(inferenceId));
    inFlight.set(inferenceId, work);
    return work;
  };

  const attemptOnce = async (inferenceId: string) => {
    const webhook = store.webhooks.find(inferenceId);
    const record = store.inferences.find(inferenceId);
    if (!webhook || webhook.status !== 'pending' || webhook.nextAttemptAt === null || !record) return;
    if (record.status === 'queued' || record.status === 'processing') return;
    const number = webhook.attempts.length + 1;
    const body = JSON.stringify(inferenceReply(record).body);
    const timestamp = Math.floor(Date.now() / 1000);
    const secret = deriveWebhookSecret(store.serverSecrets.get(WEBHOOK_SERVER_SECRET), record.keyId);
    const headers = { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body), 'Liveness-Attempt': String(number) };
    const startedAt = new Date();
    const sent = await send(new URL(webhook.url), body, headers);
    const finishedAt = Date.now();
    const outcome: DeliveryOutcome = sent.error === null ? 'delivered' : number >= maxAttempts ? 'failed' : 'retrying';
    const nextAttemptAt = outcome === 'retrying' ? new Date(finishedAt + retryDelayMs(number, retryBaseMs, random())) : null;
    store.webhooks.recordAttempt(inferenceId, {
      attempt: number,
      url: webhook.url,
      startedAt: startedAt.toISOString(),
      durationMs: finishedAt - startedAt.getTime(),
      httpStatus: sent.httpStatus,
      error: sent.error,
      outcome,
      nextAttemptAt: nextAttemptAt?.toISOString() ?? null,
    });
    onAttempt(outcome);
    if (outcome === 'failed') log.warn({ inferenceId, attempts: number, error: sent.error }, 'webhook: not delivered; no attempts left (LIVENESS_WEBHOOK_MAX_ATTEMPTS)');
    if (nextAttemptAt) schedule(inferenceId, nextAttemptAt);
  };

  return {
    deliver(inferenceId) {
      if (closed) return Promise.resolve();
      store.webhooks.markDue(inferenceId, new Date());
      return attempt(inferenceId);
    },
    resume() {
      const due = store.webhooks.listDue();
      for (const { inferenceId, nextAttemptAt } of due) schedule(inferenceId, new Date(nextAttemptAt));
      return due.length;
    },
    async close(deadlineMs) {
      // Retries that come due while the attempts in flight finish still go out; later ones wait for the next start.
      await settleBefore([...inFlight.values()], deadlineMs);
      closed = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await settleBefore([...inFlight.values()], deadlineMs);
    },
  };
}

/** Waits for `work` to settle, or until `deadlineMs` (epoch ms), whichever comes first. */
export async function settleBefore(work: ReadonlyArray<Promise<unknown>>, deadlineMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadlineMs - Date.now()))));
  try {
    await Promise.race([Promise.allSettled(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
