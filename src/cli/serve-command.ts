import { parseArgs } from 'node:util';
import { EXIT, invalidArgument } from '../errors.js';
import { readServerConfig } from '../server/config.js';
import { startServer } from '../server/serve.js';

/** `serve` takes no operands or options besides --debug: its settings are LIVENESS_* variables. */
export function checkServeArgs(args: readonly string[]): void {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { debug: { type: 'boolean', default: false } } });
  if (positionals.length > 0) throw invalidArgument('no operands (settings come from LIVENESS_* variables)', 'serve', positionals[0]);
}

/** `liveness serve`: the HTTP API until SIGINT or SIGTERM, then a graceful close (requests in flight finish). */
export async function runServe(): Promise<number> {
  const server = await startServer(readServerConfig(process.env));
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  try {
    // A failed model load rejects here: the server closes and the command exits with its error.
    await Promise.race([stopped, server.ready.then(() => stopped)]);
  } finally {
    await server.close();
  }
  return EXIT.live;
}
