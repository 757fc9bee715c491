/**
 * The OpenAPI document (built by @fastify/swagger from every route's schemas) and the docs UI at
 * `/docs`. Both are public: the document describes the API, it grants nothing, and the UI has to
 * load it before the user can enter a token ("Authorize") to try calls.
 */
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export const DOCS_PREFIX = '/docs';

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'NML API',
        description: 'Collect, search and mine security logs. Every /api route but /api/health and /api/auth/login needs `Authorization: Bearer <token>` (or the session cookie of the web UI); /health, /api/health and this documentation are open.',
        version,
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
      tags: [
        { name: 'ingest', description: 'store lines' },
        { name: 'search', description: 'find and count stored lines' },
        { name: 'ops', description: 'health, counters, metrics' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, uiConfig: { docExpansion: 'list', deepLinking: false } });
}
