/**
 * At most `concurrency` analyses run at once and at most `maxQueue` are admitted (running or
 * waiting); past that a request is refused at once with `server_busy` rather than left to wait.
 */
import { LivenessError } from '../errors.js';

export interface AnalysisQueue {
  /** Throws `server_busy` when `run` would refuse a new analysis now. */
  checkRoom(): void;
  /** Analyses running now, and admitted ones waiting for a slot. */
  depth(): { readonly running: number; readonly waiting: number };
  /** Runs `work` when a slot is free. Throws `server_busy` when the queue is full. */
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function createAnalysisQueue({ concurrency, maxQueue }: { readonly concurrency: number; readonly maxQueue: number }): AnalysisQueue {
  let running = 0;
  const waiting: Array<() => void> = [];
  const checkRoom = () => {
    if (running + waiting.length >= maxQueue) {
      throw new LivenessError('server_busy', `Expected at most ${maxQueue} analyses at once (LIVENESS_MAX_QUEUE) but received one more; retry later`);
    }
  };
  return {
    checkRoom,
    depth: () => ({ running, waiting: waiting.length }),
    async run(work) {
      checkRoom();
      if (running < concurrency) running++;
      // A finishing analysis hands its slot straight to the next waiter, so `running` never overshoots.
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await work();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    },
  };
}
