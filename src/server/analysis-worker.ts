/**
 * One worker thread of the analysis pool: loads the deps once, says so, then runs `analyzeMedia`
 * (or a session's `checkChallenge`) for each job it is sent. Results are plain JSON; a
 * `LivenessError` travels as its code and message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadDeps, type DepsOptions } from '../deps.js';
import { LivenessError } from '../errors.js';
import { analyzeMedia } from '../pipeline/index.js';
import { checkChallenge } from './challenge-checker.js';
import type { WorkerJob, WorkerMessage } from './worker-pool.js';

const port = parentPort;
if (port === null) throw new Error('analysis-worker.js runs as a worker thread of the analysis pool');

const post = (message: WorkerMessage) => port.postMessage(message);

loadDeps(workerData as DepsOptions).then(
  (deps) => {
    post({ type: 'ready', versions: deps.versions });
    port.on('message', async (job: WorkerJob) => {
      const { id } = job;
      try {
        if (job.kind === 'analyze') post({ type: 'result', id, analysis: await analyzeMedia(job.input, deps, job.config) });
        else post({ type: 'challenge', id, outcome: await checkChallenge(job.input, job.spec, deps) });
      } catch (error) {
        const coded = error instanceof LivenessError;
        post({ type: 'error', id, code: coded ? error.code : null, message: (error as Error)?.message ?? String(error), stack: (error as Error)?.stack ?? '' });
      }
    });
  },
  (error: unknown) => post({ type: 'failed', message: (error as Error)?.message ?? String(error) }),
);
