/** `GET /api/stats`: store, sources, ingest rates and process numbers as JSON (the UI's status page). */
import type { FastifyInstance } from 'fastify';
import type { StatsResponse } from '../api.js';
import { errorReplies, statsBody } from '../schemas.js';
import type { StatsService } from '../stats-service.js';
import { isViewer } from '../read-only.js';
import { statsForViewer } from '../viewer-paths.js';

export function statsRoutes(stats: StatsService) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get(
      '/api/stats',
      {
        schema: { summary: 'store, source and ingest counters', tags: ['ops'], response: { 200: statsBody, ...errorReplies } },
      },
      async (req): Promise<StatsResponse> => {
        const s = stats.snapshot();
        // a viewer reads what the server does, not where it keeps it (viewer-paths.ts)
        return isViewer(req) ? statsForViewer(s) : s;
      },
    );
  };
}
