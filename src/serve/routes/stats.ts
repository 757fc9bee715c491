/** `GET /api/stats`: store, sources, ingest rates and process numbers as JSON (the UI's status page). */
import type { FastifyInstance } from 'fastify';
import type { StatsResponse } from '../api.js';
import { errorReplies, statsBody } from '../schemas.js';
import type { StatsService } from '../stats-service.js';

export function statsRoutes(stats: StatsService) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get(
      '/api/stats',
      {
        schema: { summary: 'store, source and ingest counters', tags: ['ops'], response: { 200: statsBody, ...errorReplies } },
      },
      async (): Promise<StatsResponse> => stats.snapshot(),
    );
  };
}
