/**
 * `GET /api/search/pin`: a search page left open says its pin is still read (and learns whether it can
 * still be), without reading a line. The store holds back the merge of an hour whose later lines a pin
 * in use would miss, for `store.compaction.pinIdleMs` after the pin's last request (store/stored-by.ts):
 * an operator reading one page for longer than that and then asking for the next would be refused. The
 * page asks this every few minutes while it can load more; a 409 SEARCH_AS_OF_TOO_OLD says, before the
 * click, that no further page can come.
 */
import type { FastifyInstance } from 'fastify';
import type { PinParams, PinResponse } from '../api.js';
import type { AppDeps } from '../deps.js';
import { asOfParam, errorReplies, timeParams } from '../schemas.js';
import { searchRangeFromParams } from '../time-params.js';

export type PinRouteDeps = Pick<AppDeps, 'searcher'> & { now: () => number };

export function searchPinRoutes(deps: PinRouteDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: PinParams }>(
      '/api/search/pin',
      {
        schema: {
          summary: "keep a search's pin in use while its page is open",
          tags: ['search'],
          querystring: { type: 'object', additionalProperties: false, required: ['asOf'], properties: { ...timeParams, ...asOfParam } },
          response: {
            200: { type: 'object', required: ['shards'], properties: { shards: { type: 'integer' } } },
            ...errorReplies,
          },
        },
      },
      async (req): Promise<PinResponse> => deps.searcher.holdPin(searchRangeFromParams(req.query, deps.now())),
    );
  };
}
