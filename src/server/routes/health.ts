import type { FastifyInstance } from 'fastify';
import type { Readiness } from '../readiness.js';

/** `/healthz`: the process answers (always 200, no work). `/readyz`: the models are loaded (else 503 not_ready). */
export function registerHealthRoutes(app: FastifyInstance, readiness: Readiness): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async () => ({ status: 'ready', models: readiness.analyzer().versions }));
}
