/**
 * The OpenAPI 3.1 document, generated from the route schemas (@fastify/swagger), at
 * `/openapi.json`, and Swagger UI at `/docs`, served from the package's own files (no CDN).
 * Every error code of the one table (src/errors.ts) is listed with its status and meaning.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { ERROR_TABLE } from '../errors.js';
import { ERROR_SCHEMA } from './route-schemas.js';

const ERROR_TABLE_MARKDOWN = [
  '| code | status | meaning |',
  '|---|---:|---|',
  ...Object.entries(ERROR_TABLE).map(([code, { httpStatus, description }]) => `| \`${code}\` | ${httpStatus} | ${description} |`),
].join('\n');

/** Registers the document and the UI; call before any route is added, so that every route is seen. */
export function registerOpenApi(app: FastifyInstance, { version }: { readonly version: string }): void {
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Face liveness API',
        version,
        description: `Self-hostable face liveness: a selfie video, frames or a still in; live or attack, with the evidence, out.\n\nErrors are \`{"error": {"code", "message"}}\`, plus \`inference_id\` once the request was recorded. Every code:\n\n${ERROR_TABLE_MARKDOWN}`,
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API key from `liveness keys create`.' },
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'The same key, in a header of its own.' },
        },
        schemas: { Error: ERROR_SCHEMA as unknown as Record<string, unknown> },
      },
    },
  });
  app.register(swaggerUi, { routePrefix: '/docs' });
  app.register(async (root) => {
    root.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  });
}
