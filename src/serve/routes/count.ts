/** `GET /api/count`: how many lines match, without reading any of them. */
import type { FastifyInstance } from 'fastify';
import type { CountParams, CountResponse } from '../api.js';
import type { AppDeps } from '../deps.js';
import { asOfParam, errorReplies, queryParam, skippedShards, timeParams } from '../schemas.js';
import { searchRangeFromParams } from '../time-params.js';
import { clientGone } from '../request-signal.js';

export type CountRouteDeps = Pick<AppDeps, 'searcher'> & { now: () => number };

export function countRoutes(deps: CountRouteDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: CountParams }>(
      '/api/count',
      {
        schema: {
          summary: 'count matching lines',
          tags: ['search'],
          querystring: { type: 'object', additionalProperties: false, properties: { q: queryParam, ...timeParams, ...asOfParam } },
          response: {
            200: {
              type: 'object',
              required: ['count', 'tookMs', 'shardsSearched', 'skipped'],
              properties: { count: { type: 'integer' }, tookMs: { type: 'number' }, shardsSearched: { type: 'integer' }, skipped: skippedShards },
            },
            ...errorReplies,
          },
        },
      },
      async (req, reply): Promise<CountResponse> => {
        const range = searchRangeFromParams(req.query, deps.now());
        const r = await deps.searcher.count(req.query.q ?? '', range, clientGone(reply));
        return { count: r.count, tookMs: r.tookMs, shardsSearched: r.shardsSearched, skipped: r.skipped };
      },
    );
  };
}
