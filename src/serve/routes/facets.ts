/** `GET /api/facets`: the most frequent hosts or apps among the newest matches (sampled, and says so). */
import type { FastifyInstance } from 'fastify';
import type { FacetsParams, FacetsResponse } from '../api.js';
import type { AppDeps } from '../deps.js';
import { asOfParam, errorReplies, queryParam, timeParams } from '../schemas.js';
import { searchRangeFromParams } from '../time-params.js';
import { clientGone } from '../request-signal.js';

export const FACET_SAMPLE_DEFAULT = 2000;
export const FACET_SAMPLE_MAX = 20_000;
export const FACET_LIMIT_DEFAULT = 10;

export type FacetsRouteDeps = Pick<AppDeps, 'searcher' | 'enrich'> & { now: () => number };

export function facetsRoutes(deps: FacetsRouteDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: FacetsParams }>(
      '/api/facets',
      {
        schema: {
          summary: 'top values of host or app among the newest matches',
          description: `Counted over the newest \`sample\` matches (default ${FACET_SAMPLE_DEFAULT}); \`sampled\` says how many were read of how many match.`,
          tags: ['search'],
          querystring: {
            type: 'object',
            additionalProperties: false,
            required: ['field'],
            properties: {
              q: queryParam,
              ...timeParams,
              ...asOfParam,
              field: { type: 'string', enum: ['host', 'app'] },
              limit: { type: 'integer', minimum: 1, maximum: 100 },
              sample: { type: 'integer', minimum: 1, maximum: FACET_SAMPLE_MAX },
            },
          },
          response: {
            200: {
              type: 'object',
              required: ['field', 'values', 'sampled'],
              properties: {
                field: { type: 'string' },
                values: { type: 'array', items: { type: 'object', required: ['value', 'count'], properties: { value: { type: ['string', 'null'] }, count: { type: 'integer' } } } },
                sampled: { type: 'object', required: ['rows', 'total'], properties: { rows: { type: 'integer' }, total: { type: 'integer' } } },
                tookMs: { type: 'number' },
              },
            },
            ...errorReplies,
          },
        },
      },
      async (req, reply): Promise<FacetsResponse> => {
        const started = performance.now();
        const q = req.query;
        const range = searchRangeFromParams(q, deps.now());
        const text = q.q ?? '';
        const signal = clientGone(reply);
        const [page, total] = await Promise.all([deps.searcher.page(text, range, q.sample ?? FACET_SAMPLE_DEFAULT, null, signal), deps.searcher.count(text, range, signal)]);
        const counts = new Map<string | null, number>();
        for (const hit of page.hits) {
          const value = deps.enrich(hit)[q.field];
          counts.set(value, (counts.get(value) ?? 0) + 1);
        }
        const values = [...counts]
          .map(([value, count]) => ({ value, count }))
          .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)))
          .slice(0, q.limit ?? FACET_LIMIT_DEFAULT);
        return { field: q.field, values, sampled: { rows: page.hits.length, total: total.count }, tookMs: performance.now() - started };
      },
    );
  };
}
