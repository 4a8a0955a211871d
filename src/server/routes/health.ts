import type { FastifyInstance } from 'fastify';
import type { Readiness } from '../readiness.js';
import { errorResponses } from '../route-schemas.js';

const HEALTHY = { type: 'object', properties: { status: { type: 'string', const: 'ok' } } } as const;
const READY = {
  type: 'object',
  properties: { status: { type: 'string', const: 'ready' }, models: { type: 'object', additionalProperties: { type: 'string' }, description: 'Versions of everything that shapes a verdict.' } },
} as const;

/** `/healthz`: the process answers (always 200, no work). `/readyz`: the models are loaded (else 503 not_ready). */
export function registerHealthRoutes(app: FastifyInstance, readiness: Readiness): void {
  app.get('/healthz', { schema: { summary: 'The process answers', response: { 200: HEALTHY } } }, async () => ({ status: 'ok' }));
  app.get(
    '/readyz',
    { schema: { summary: 'Every analysis worker has loaded the models', response: { 200: READY, ...errorResponses(['not_ready', 'internal_error']) } } },
    async () => ({ status: 'ready', models: readiness.analyzer().versions }),
  );
}
