/** `GET /api/search`: a newest-first page of hits with a cursor, or with format=ndjson (or lines) every hit as a stream. */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/index.js';
import { compileQuery, SkippedShards, type Hit } from '../../search/index.js';
import type { SearchParams, SearchResponse } from '../api.js';
import type { AppDeps } from '../deps.js';
import { asOfParam, errorReplies, flagParam, queryParam, searchHit, skippedShards, timeParams } from '../schemas.js';
import { searchRangeFromParams } from '../time-params.js';
import { exportFileName, exportWanted, LINES_FORMAT, ndjsonFormat, sendExport } from './search-export.js';
import { clientGone } from '../request-signal.js';

export const PAGE_LIMIT_DEFAULT = 100;
export const PAGE_LIMIT_MAX = 10_000;

export type SearchRouteDeps = Pick<AppDeps, 'searcher' | 'enrich'> & { now: () => number };

const querystring = {
  type: 'object',
  additionalProperties: false,
  properties: {
    q: queryParam,
    ...timeParams,
    ...asOfParam,
    limit: { type: 'integer', minimum: 1, description: `hits per page (default ${PAGE_LIMIT_DEFAULT}, at most ${PAGE_LIMIT_MAX}); caps an export` },
    cursor: { type: 'string', description: 'from the previous page' },
    fields: { ...flagParam, description: '1: hits carry parsed fields and entities' },
    count: { ...flagParam, description: '1: also count every match' },
    format: { type: 'string', enum: ['json', 'ndjson', 'lines'], description: 'ndjson: stream every hit as JSON, one per line (also Accept: application/x-ndjson); lines: every hit as its raw line (text/plain)' },
    download: { ...flagParam, description: '1, with format=ndjson or lines: sent as a file to save (Content-Disposition: attachment), named for the range' },
  },
} as const;

function isOn(flag: string | undefined): boolean {
  return flag === '1' || flag === 'true';
}

export function searchRoutes(deps: SearchRouteDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: SearchParams }>(
      '/api/search',
      {
        schema: {
          summary: 'search stored lines, newest first',
          tags: ['search'],
          querystring,
          response: {
            200: {
              description: 'a page of hits as JSON; with format=ndjson (or Accept: application/x-ndjson) every hit, one JSON object per line (cursor and count do not apply), ending with a {"warning": …} line when damaged or missing shards were left out',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['hits', 'cursor', 'tookMs', 'shardsSearched', 'skipped'],
                    properties: {
                      hits: { type: 'array', items: searchHit },
                      cursor: {
                        type: ['string', 'null'],
                        description: 'pass back as cursor= for the next page; null exactly when no hit is left, so a page is empty only when nothing matched at all',
                      },
                      count: { type: 'integer' },
                      tookMs: { type: 'number' },
                      shardsSearched: { type: 'integer' },
                      skipped: skippedShards,
                    },
                  },
                },
                'application/x-ndjson': { schema: { type: 'string', description: 'one hit object per line (the items of `hits`), in the order of the pages' } },
                'text/plain': { schema: { type: 'string', description: 'format=lines: one raw line per hit, in the order of the pages; a last line starting "# nml: " says the export is not whole (damaged shards left out, or a failure part-way)' } },
              },
            },
            ...errorReplies,
          },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const range = searchRangeFromParams(q, deps.now());
        const text = q.q ?? '';
        const fields = isOn(q.fields);
        // the client went away: the search (an export's every page too) stops
        const signal = clientGone(reply);
        const wanted = exportWanted(req, q.format);
        if (wanted !== null) {
          const format = wanted === 'lines' ? LINES_FORMAT : ndjsonFormat(fields ? (h: Hit) => deps.enrich(h) : (h: Hit) => h);
          const skipped = new SkippedShards();
          const download = isOn(q.download) ? exportFileName(range, deps.now(), format.extension) : undefined;
          // a query that does not compile is a 400 before anything is recorded: no export took place
          compileQuery(text);
          // data leaving: not sent unless recorded (routes/audit.ts)
          req.audit({ action: 'search.export', details: { q: text, from: range.from, to: range.to, format: wanted, limit: q.limit ?? null, fields } }, true);
          return sendExport(req, reply, deps.searcher.stream(text, range, q.limit ?? Infinity, undefined, signal, skipped), format, signal, skipped, download);
        }
        if (isOn(q.download)) {
          throw new AppError('HTTP_BAD_REQUEST', 'bad_request', 'request: query parameter download applies to an export; add format=ndjson or format=lines', { in: 'querystring', param: 'download' });
        }

        const limit = q.limit ?? PAGE_LIMIT_DEFAULT;
        if (limit > PAGE_LIMIT_MAX) {
          throw new AppError('SEARCH_LIMIT_TOO_LARGE', 'bad_request', `request: query parameter limit ${limit} is above ${PAGE_LIMIT_MAX}; page with cursor, or export with format=ndjson or format=lines`, { param: 'limit', max: PAGE_LIMIT_MAX });
        }
        const started = performance.now();
        const [page, counted] = await Promise.all([
          deps.searcher.page(text, range, limit, q.cursor ?? null, signal),
          isOn(q.count) ? deps.searcher.count(text, range, signal) : Promise.resolve(null),
        ]);
        const body: SearchResponse = {
          // typed without a cast: server hits that drift from api.ts fail to compile here
          hits: fields ? page.hits.map((h) => deps.enrich(h)) : page.hits,
          cursor: page.cursor,
          tookMs: performance.now() - started,
          shardsSearched: page.shardsSearched,
          skipped: page.skipped,
        };
        if (counted !== null) {
          body.count = counted.count;
          const all = new SkippedShards();
          all.add(page.skipped);
          all.add(counted.skipped);
          body.skipped = all.list;
        }
        return body;
      },
    );
  };
}
