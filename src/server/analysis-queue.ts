/**
 * At most `concurrency` analyses run at once and at most `maxQueue` are admitted (running or
 * waiting); past that a request is refused at once with `server_busy` rather than left to wait.
 * An asynchronous request is admitted when it is accepted (`admit`), so the queue never accepts
 * work it then has to drop; it holds its place while its media is fetched.
 */
import { LivenessError } from '../errors.js';

export interface AnalysisQueue {
  /** Throws `server_busy` when `run` would refuse a new analysis now. */
  checkRoom(): void;
  /** Analyses running now, and admitted ones waiting for a slot. */
  depth(): { readonly running: number; readonly waiting: number };
  /** Runs `work` when a slot is free. Throws `server_busy` when the queue is full. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Takes a place in the queue now (throws `server_busy` when full) for work that runs later. */
  admit(): Admission;
}

/** A place in the queue: run once, or release when the work will not run. */
export interface Admission {
  /** Runs `work` when a slot is free; the place counts as waiting until then. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Gives the place back without running (a media fetch failed); a no-op once run or released. */
  release(): void;
}

export function createAnalysisQueue({ concurrency, maxQueue }: { readonly concurrency: number; readonly maxQueue: number }): AnalysisQueue {
  let running = 0;
  let admitted = 0;
  const waiting: Array<() => void> = [];
  const checkRoom = () => {
    if (running + waiting.length + admitted >= maxQueue) {
      throw new LivenessError('server_busy', `Expected at most ${maxQueue} analyses at once (LIVENESS_MAX_QUEUE) but received one more; retry later`);
    }
  };
  const runAdmitted = async <T>(work: () => Promise<T>): Promise<T> => {
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
  };
  return {
    checkRoom,
    depth: () => ({ running, waiting: waiting.length + admitted }),
    run(work) {
      try {
        checkRoom();
      } catch (error) {
        return Promise.reject(error);
      }
      return runAdmitted(work);
    },
    admit() {
      checkRoom();
      admitted++;
      let held = true;
      const leave = () => {
        if (held) admitted--;
        held = false;
      };
      return {
        run(work) {
          if (!held) return Promise.reject(new Error('This admission was already used'));
          // Leaving and taking a slot happen in one turn, so no other request can slip in between.
          leave();
          return runAdmitted(work);
        },
        release: leave,
      };
    },
  };
}
