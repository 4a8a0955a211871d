/**
 * Deletes inference records and capture sessions older than LIVENESS_RETENTION_DAYS: once at
 * start-up, then hourly. An inference's webhook and its delivery attempts go with it (ON DELETE
 * CASCADE, migration 3).
 * A failed sweep is logged and tried again at the next one; it never stops the server.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/index.js';

const SWEEP_EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export function startRetention({ inferences, sessions }: Pick<Store, 'inferences' | 'sessions'>, retentionDays: number, log: FastifyBaseLogger): { stop(): void } {
  if (retentionDays === 0) return { stop() {} };
  const sweep = () => {
    const cutoff = new Date(Date.now() - retentionDays * DAY_MS);
    try {
      const deleted = inferences.deleteCreatedBefore(cutoff);
      if (deleted > 0) log.info({ deleted, cutoff: cutoff.toISOString() }, 'retention: deleted inference records past LIVENESS_RETENTION_DAYS');
      const deletedSessions = sessions.deleteCreatedBefore(cutoff);
      if (deletedSessions > 0) log.info({ deleted: deletedSessions, cutoff: cutoff.toISOString() }, 'retention: deleted capture sessions past LIVENESS_RETENTION_DAYS');
    } catch (error) {
      log.error({ err: error }, 'retention: the sweep failed; it runs again within the hour');
    }
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  // The sweep alone must not keep the process alive.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
