/**
 * `/api/watches`: saved queries the server counts on a schedule (serve/watches/). Every role lists them;
 * admins, analysts and the API token make, change and remove them (a viewer 403 before the body is read);
 * each change is an audit entry (`watch.create`, `watch.update`, `watch.delete`). `POST /api/watches/test`
 * counts a query over a window now, saving nothing: what a watch would see. A change wakes the evaluator,
 * so an edited watch is counted within moments, not at its next `every`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WatchCreateRequest, WatchesResponse, WatchResponse, WatchTestRequest, WatchTestResponse, WatchUpdateRequest } from '../api.js';
import type { AppDeps } from '../deps.js';
import { errorReplies, noBody, queryParam, skippedShards } from '../schemas.js';
import { viewersRefused } from '../read-only.js';
import { clientGone } from '../request-signal.js';
import { checkThreshold, checkWatchQuery, countedQuery, watchAuditDetails, windowMs, WATCH_DEFAULTS, type Watch, type WatchStore } from '../watches/index.js';

/** What the routes need of the server's watches. */
export interface WatchesDep {
  store: Pick<WatchStore, 'list' | 'get' | 'add' | 'update' | 'remove' | 'max'>;
  /** whether the evaluator runs (`watches.enabled`) */
  evaluating: boolean;
  /** counts due watches now (after a change) */
  wake(): void;
}

export type WatchRouteDeps = Pick<AppDeps, 'searcher'> & { watches: WatchesDep; now: () => number };

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const span = (what: string) => ({ type: 'string', maxLength: 20, description: what }) as const;
const fields = {
  name: { type: 'string', maxLength: 200, description: '1 to 100 characters, unique whatever the case' },
  query: queryParam,
  window: span('the range counted back from now: 5m (1m to 7d; default 5m)'),
  every: span('how often it is counted: 1m (30s to 1d; default 1m)'),
  threshold: { type: 'integer', description: 'it fires when the count is at or above this: a whole number ≥ 1' },
  enabled: { type: 'boolean' },
} as const;

const runSchema = {
  type: ['object', 'null'],
  required: ['at', 'from', 'to', 'count', 'fired'],
  properties: {
    at: int,
    from: int,
    to: int,
    count: { type: ['integer', 'null'] },
    fired: { type: 'boolean' },
    skipped: int,
    error: { type: 'object', required: ['code', 'message'], properties: { code: str, message: str } },
  },
} as const;

const watchSchema = {
  type: 'object',
  required: ['id', 'name', 'query', 'window', 'every', 'threshold', 'enabled', 'createdBy', 'createdAt', 'updatedAt', 'last'],
  properties: { id: int, name: str, query: str, window: str, every: str, threshold: int, enabled: { type: 'boolean' }, createdBy: { type: ['string', 'null'] }, createdAt: int, updatedAt: int, last: runSchema },
} as const;

const watchReply = { type: 'object', required: ['watch'], properties: { watch: watchSchema } } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } } } as const;
const changeReplies = { ...errorReplies, 403: errorReplies[400], 404: errorReplies[400], 409: errorReplies[400] } as const;


const actor = (req: FastifyRequest): string | null => req.principal?.user.name ?? null;

export function watchRoutes(deps: WatchRouteDeps) {
  const refused = viewersRefused('changing watches');
  return async function register(app: FastifyInstance): Promise<void> {
    app.get(
      '/api/watches',
      { schema: { summary: 'every watch, by name, with its last evaluation', tags: ['watches'], response: { 200: { type: 'object', required: ['watches', 'evaluating', 'max'], properties: { watches: { type: 'array', items: watchSchema }, evaluating: { type: 'boolean' }, max: int } }, ...errorReplies } } },
      async (): Promise<WatchesResponse> => ({ watches: deps.watches.store.list(), evaluating: deps.watches.evaluating, max: deps.watches.store.max }),
    );

    app.post<{ Body: WatchCreateRequest }>(
      '/api/watches',
      {
        onRequest: refused,
        schema: {
          summary: 'make a watch (admins, analysts, the API token); it is counted at once, then every `every`',
          tags: ['watches'],
          body: { type: 'object', additionalProperties: false, required: ['name', 'query', 'threshold'], properties: fields },
          response: { 201: watchReply, ...changeReplies },
        },
      },
      async (req, reply): Promise<WatchResponse> => {
        const w = deps.watches.store.add(req.body, actor(req));
        req.log.info({ watch: w.name, watchId: w.id }, 'watch added');
        req.audit({ action: 'watch.create', target: w.name, details: watchAuditDetails(w) });
        deps.watches.wake();
        reply.code(201);
        return { watch: w };
      },
    );

    app.patch<{ Params: { id: number }; Body: WatchUpdateRequest }>(
      '/api/watches/:id',
      {
        onRequest: refused,
        schema: {
          summary: 'change a watch: its name, query, window, every, threshold or enabled (a change of what it counts forgets its last evaluation and counts it at once)',
          tags: ['watches'],
          params: idParams,
          body: { type: 'object', additionalProperties: false, minProperties: 1, properties: fields },
          response: { 200: watchReply, ...changeReplies },
        },
      },
      async (req): Promise<WatchResponse> => {
        const before = deps.watches.store.get(req.params.id);
        const w = deps.watches.store.update(req.params.id, req.body);
        const changed = Object.keys(req.body).filter((k) => before === null || before[k as keyof Watch] !== w[k as keyof Watch]);
        req.log.info({ watch: w.name, watchId: w.id, changed }, 'watch changed');
        req.audit({ action: 'watch.update', target: w.name, details: { ...watchAuditDetails(w), changed, ...(before !== null && before.name !== w.name ? { from: before.name } : {}) } });
        deps.watches.wake();
        return { watch: w };
      },
    );

    app.delete<{ Params: { id: number } }>(
      '/api/watches/:id',
      {
        onRequest: refused,
        schema: { summary: 'remove a watch (its findings stay)', tags: ['watches'], params: idParams, body: noBody, response: { 200: watchReply, ...changeReplies } },
      },
      async (req): Promise<WatchResponse> => {
        const w = deps.watches.store.remove(req.params.id);
        req.log.info({ watch: w.name, watchId: w.id }, 'watch removed');
        req.audit({ action: 'watch.delete', target: w.name, details: watchAuditDetails(w) });
        return { watch: w };
      },
    );

    app.post<{ Body: WatchTestRequest }>(
      '/api/watches/test',
      {
        schema: {
          summary: 'count a query over a window now, as a watch would, saving nothing',
          tags: ['watches'],
          body: { type: 'object', additionalProperties: false, required: ['query'], properties: { query: fields.query, window: fields.window, threshold: fields.threshold } },
          response: {
            200: {
              type: 'object',
              required: ['count', 'from', 'to', 'fired', 'counted', 'tookMs', 'skipped'],
              properties: { count: int, from: int, to: int, fired: { type: 'boolean' }, counted: str, tookMs: { type: 'number' }, skipped: skippedShards },
            },
            ...errorReplies,
          },
        },
      },
      async (req, reply): Promise<WatchTestResponse> => {
        const query = checkWatchQuery(req.body.query);
        const span = windowMs(req.body.window ?? WATCH_DEFAULTS.window);
        const threshold = checkThreshold(req.body.threshold ?? 1);
        const to = deps.now();
        const from = to - span;
        const counted = countedQuery(query);
        const r = await deps.searcher.count(counted, { from, to }, clientGone(reply));
        return { count: r.count, from, to, fired: r.count >= threshold, counted, tookMs: r.tookMs, skipped: r.skipped };
      },
    );
  };
}
