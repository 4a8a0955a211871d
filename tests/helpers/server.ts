import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readServerConfig } from '../../src/server/config.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';

/**
 * `liveness serve`'s server in this process on 127.0.0.1 (one analysis worker, no keys), with a
 * private data folder, ready once its worker has loaded the models.
 */
export async function startLocalServer(prefix: string): Promise<{ server: RunningServer; stop: () => Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  const config = readServerConfig({ LIVENESS_DATA_DIR: dataDir, LIVENESS_PORT: '0', LIVENESS_AUTH: 'off', LIVENESS_CONCURRENCY: '1' });
  const server = await startServer(config, { logger: false });
  await server.ready;
  return {
    server,
    stop: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
