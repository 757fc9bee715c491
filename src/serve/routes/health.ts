/** `GET /health`: liveness, without authentication (load balancers and `nml status` call it). */
import type { FastifyInstance } from 'fastify';
import type { HealthResponse } from '../api.js';
import { errorBody } from '../schemas.js';

export function healthRoutes(version: string) {
  return async function register(app: FastifyInstance): Promise<void> {
    // also under /api: the web UI keeps every call there
    for (const url of ['/health', '/api/health']) {
      app.get(
      url,
      {
        schema: {
          summary: 'liveness check',
          tags: ['ops'],
          security: [],
          response: {
            200: { type: 'object', required: ['status', 'version'], properties: { status: { type: 'string', enum: ['ok'] }, version: { type: 'string' } } },
            // a load balancer's probe on a kept-alive connection meets the stopping server's refusal (app.ts)
            503: { ...errorBody, description: 'nml is stopping (HTTP_STOPPING): take it out of rotation' },
          },
        },
      },
      async (): Promise<HealthResponse> => ({ status: 'ok', version }),
      );
    }
  };
}
