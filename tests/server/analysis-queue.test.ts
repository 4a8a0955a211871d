import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAnalysisQueue } from '../../src/server/analysis-queue.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

test('runs at most `concurrency` at once, queues up to `maxQueue`, refuses the rest with server_busy', async () => {
  const queue = createAnalysisQueue({ concurrency: 2, maxQueue: 3 });
  let running = 0;
  let peak = 0;
  const gates = [deferred(), deferred(), deferred()];
  const order: number[] = [];
  const work = (i: number) => async () => {
    running++;
    peak = Math.max(peak, running);
    await gates[i]!.promise;
    order.push(i);
    running--;
    return i;
  };
  const runs = [0, 1, 2].map((i) => queue.run(work(i)));
  assert.throws(() => queue.checkRoom(), { code: 'server_busy', message: 'Expected at most 3 analyses at once (LIVENESS_MAX_QUEUE) but received one more; retry later' });
  await assert.rejects(queue.run(async () => 9), { code: 'server_busy' });
  gates[1]!.resolve();
  gates[0]!.resolve();
  gates[2]!.resolve();
  assert.deepEqual(await Promise.all(runs), [0, 1, 2]);
  assert.equal(peak, 2);
  assert.deepEqual(order, [1, 0, 2]);
  queue.checkRoom();
});

test('a failing analysis frees its slot', async () => {
  const queue = createAnalysisQueue({ concurrency: 1, maxQueue: 1 });
  await assert.rejects(
    queue.run(async () => {
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(await queue.run(async () => 'next'), 'next');
});

test('an admission holds its place from the moment it is taken: counted as waiting, run once, or released', async () => {
  const queue = createAnalysisQueue({ concurrency: 1, maxQueue: 2 });
  const first = queue.admit();
  const second = queue.admit();
  assert.deepEqual(queue.depth(), { running: 0, waiting: 2 });
  assert.throws(() => queue.admit(), { code: 'server_busy' });
  await assert.rejects(queue.run(async () => 0), { code: 'server_busy' });

  const gate = deferred();
  const running = first.run(async () => {
    await gate.promise;
    return 'first';
  });
  assert.deepEqual(queue.depth(), { running: 1, waiting: 1 });
  await assert.rejects(first.run(async () => 'again'), /already used/);
  second.release();
  second.release();
  assert.deepEqual(queue.depth(), { running: 1, waiting: 0 });
  const third = queue.admit();
  const waited = third.run(async () => 'third');
  assert.deepEqual(queue.depth(), { running: 1, waiting: 1 });
  gate.resolve();
  assert.deepEqual(await Promise.all([running, waited]), ['first', 'third']);
  assert.deepEqual(queue.depth(), { running: 0, waiting: 0 });
});
