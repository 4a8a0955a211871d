/**
 * Analyses in worker threads, so that the face models (tfjs on WebAssembly, CPU-bound for
 * seconds) never hold the event loop that answers /healthz and other requests. Each worker loads
 * the deps once; the pool is ready when every worker is. Media bytes are transferred, not copied.
 * Capture sessions' challenges (colour or mouth) are checked there too, with the same models.
 */
import { Worker } from 'node:worker_threads';
import type { ChallengeOutcome, MouthChallengeOutcome } from '../challenge/index.js';
import type { AnalysisConfig } from '../config.js';
import type { DepsOptions } from '../deps.js';
import { LivenessError, type ErrorCode } from '../errors.js';
import type { AnalysisInput, MediaSource } from '../ingest/index.js';
import type { Analysis } from '../pipeline/index.js';
import type { Analyzer } from './analyzer.js';
import type { ChallengeChecker, ChallengeOutcomeOf, ChallengeSpec } from './challenge-checker.js';

export type WorkerJob =
  | { readonly id: number; readonly kind: 'analyze'; readonly input: AnalysisInput; readonly config: AnalysisConfig }
  | { readonly id: number; readonly kind: 'challenge'; readonly input: AnalysisInput; readonly spec: ChallengeSpec };

export type WorkerMessage =
  | { readonly type: 'ready'; readonly versions: Readonly<Record<string, string>> }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'result'; readonly id: number; readonly analysis: Analysis }
  | { readonly type: 'challenge'; readonly id: number; readonly outcome: ChallengeOutcome | MouthChallengeOutcome }
  | { readonly type: 'error'; readonly id: number; readonly code: ErrorCode | null; readonly message: string; readonly stack: string };

export interface WorkerPool extends Analyzer, ChallengeChecker {
  /** Stops every worker; analyses in flight reject. */
  close(): Promise<void>;
}

type JobResult = Analysis | ChallengeOutcome | MouthChallengeOutcome;

interface PendingJob {
  resolve(value: JobResult): void;
  reject(error: unknown): void;
}

interface PoolWorker {
  readonly worker: Worker;
  job: PendingJob | null;
}

const WORKER_URL = new URL('./analysis-worker.js', import.meta.url);

/**
 * Starts `size` workers and resolves when all have loaded their models (rejects if one fails).
 * The caller bounds the analyses in flight (the analysis queue); jobs beyond `size` wait here.
 *
 * @example
 * const pool = await startWorkerPool({ size: 2 });
 * const analysis = await pool.analyze({ kind: 'media', source: { bytes } }, DEFAULT_CONFIG);
 */
export async function startWorkerPool({ size, depsOptions = {} }: { readonly size: number; readonly depsOptions?: DepsOptions }): Promise<WorkerPool> {
  const workers: PoolWorker[] = [];
  const waiting: Array<(worker: PoolWorker) => void> = [];
  let nextId = 0;
  let closed = false;

  const release = (slot: PoolWorker) => {
    slot.job = null;
    const next = waiting.shift();
    if (next) next(slot);
  };

  const start = (): Promise<Readonly<Record<string, string>>> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_URL, { workerData: depsOptions });
      const slot: PoolWorker = { worker, job: null };
      workers.push(slot);
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          resolve(message.versions);
          // A replacement worker (below) may have jobs waiting for it.
          release(slot);
        }
        else if (message.type === 'failed') reject(new Error(message.message));
        else {
          const job = slot.job;
          release(slot);
          if (message.type === 'result') job?.resolve(message.analysis);
          else if (message.type === 'challenge') job?.resolve(message.outcome);
          else job?.reject(toError(message));
        }
      });
      worker.on('error', (error) => {
        reject(error);
        slot.job?.reject(error);
        slot.job = null;
      });
      worker.on('exit', (exitCode) => {
        const error = new Error(`an analysis worker stopped (exit code ${exitCode})`);
        reject(error);
        slot.job?.reject(error);
        slot.job = null;
        const index = workers.indexOf(slot);
        if (index !== -1) workers.splice(index, 1);
        // A worker lost to a crash is replaced, so that the pool keeps its size.
        if (!closed) start().catch(() => undefined);
      });
    });

  const close = async () => {
    closed = true;
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  };

  let versions: Readonly<Record<string, string>>;
  try {
    [versions] = (await Promise.all(Array.from({ length: size }, start))) as [Readonly<Record<string, string>>];
  } catch (error) {
    await close();
    throw error;
  }

  const run = async <T extends JobResult>(job: WorkerJob): Promise<T> => {
    const slot = await acquire();
    return new Promise<T>((resolve, reject) => {
      slot.job = { resolve: resolve as (value: JobResult) => void, reject };
      const { message, transfer } = toTransferable(job);
      slot.worker.postMessage(message, transfer);
    });
  };

  const acquire = () => {
    const idle = workers.find((slot) => slot.job === null);
    return idle ? Promise.resolve(idle) : new Promise<PoolWorker>((resolve) => waiting.push(resolve));
  };

  return {
    versions,
    close,
    analyze: (input, config) => run<Analysis>({ id: nextId++, kind: 'analyze', input, config }),
    check: <S extends ChallengeSpec>(input: AnalysisInput, spec: S) => run<ChallengeOutcomeOf<S>>({ id: nextId++, kind: 'challenge', input, spec }),
  };
}

/** Moves each media buffer into an ArrayBuffer of its own, which can then be transferred without a copy. */
function toTransferable(job: WorkerJob): { message: WorkerJob; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const own = (source: MediaSource): MediaSource => {
    if (!('bytes' in source)) return source;
    const { bytes } = source;
    // Small Buffers share Node's pool, and a base64 decode may sit inside a larger allocation.
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    const copy = whole ? bytes : new Uint8Array(bytes);
    transfer.push(copy.buffer as ArrayBuffer);
    return { bytes: new Uint8Array(copy.buffer, 0, copy.byteLength) };
  };
  const input: AnalysisInput = job.input.kind === 'media' ? { kind: 'media', source: own(job.input.source) } : { kind: 'frames', frames: job.input.frames.map(own) };
  return { message: { ...job, input }, transfer };
}

function toError(message: Extract<WorkerMessage, { type: 'error' }>): Error {
  if (message.code !== null) return new LivenessError(message.code, message.message);
  const error = new Error(message.message);
  error.stack = message.stack;
  return error;
}
