/** `GET /api/histogram`: exact matches per time bucket, for the chart above the results. */
import type { FastifyInstance } from 'fastify';
import type { Searcher } from '../../search/index.js';
import type { HistogramParams, HistogramResponse } from '../api.js';
import type { AppDeps } from '../deps.js';
import { asOfParam, errorReplies, queryParam, skippedShards, timeParams } from '../schemas.js';
import { searchRangeFromParams } from '../time-params.js';
import { clientGone } from '../request-signal.js';

export const HISTOGRAM_BUCKETS_DEFAULT = 60;
export const HISTOGRAM_BUCKETS_MAX = 1000;
/** the span shown when nothing is stored and no `from` is given */
const EMPTY_SPAN_MS = 3600_000;

export interface HistogramRouteDeps {
  histogram: Pick<Searcher, 'histogram'>;
  storeStats: AppDeps['storeStats'];
  now: () => number;
}

export function histogramRoutes(deps: HistogramRouteDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: HistogramParams }>(
      '/api/histogram',
      {
        schema: {
          summary: 'matches per time bucket (exact)',
          description: 'Without from: from the oldest stored line; without to: until now. The bucket width is the smallest readable one (1s, 5s, 1m, 30m, 1h, 1d …) giving at most `buckets` buckets.',
          tags: ['search'],
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              q: queryParam,
              ...timeParams,
              ...asOfParam,
              buckets: { type: 'integer', minimum: 1, maximum: HISTOGRAM_BUCKETS_MAX, description: `about this many buckets, one more when the aligned start adds one (default ${HISTOGRAM_BUCKETS_DEFAULT})` },
            },
          },
          response: {
            200: {
              type: 'object',
              required: ['from', 'to', 'interval', 'buckets', 'total', 'skipped'],
              properties: {
                from: { type: 'integer' },
                to: { type: 'integer' },
                interval: { type: 'integer' },
                buckets: { type: 'array', items: { type: 'object', required: ['t', 'count'], properties: { t: { type: 'integer' }, count: { type: 'integer' } } } },
                total: { type: 'integer' },
                tookMs: { type: 'number' },
                shardsSearched: { type: 'integer' },
                skipped: skippedShards,
              },
            },
            ...errorReplies,
          },
        },
      },
      async (req, reply): Promise<HistogramResponse> => {
        const now = deps.now();
        const range = searchRangeFromParams(req.query, now);
        const to = range.to ?? now + 1;
        let from = range.from;
        if (from === null) {
          const oldest = deps.storeStats().oldest;
          from = oldest !== null && oldest < to ? oldest : to - EMPTY_SPAN_MS;
        }
        if (from >= to) from = to - 1;
        const h = await deps.histogram.histogram(req.query.q ?? '', { from, to, ...(range.asOf === undefined ? {} : { asOf: range.asOf }) }, req.query.buckets ?? HISTOGRAM_BUCKETS_DEFAULT, clientGone(reply));
        return {
          from,
          to,
          interval: h.interval,
          buckets: h.counts.map((count, i) => ({ t: h.start + i * h.interval, count })),
          total: h.total,
          tookMs: h.tookMs,
          shardsSearched: h.shardsSearched,
          skipped: h.skipped,
        };
      },
    );
  };
}
