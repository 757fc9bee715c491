/**
 * `GET /api/pivot` (neighbours of an entity by relation, with blocklist hits, articles, users and
 * evidence searches), `GET /api/pivot/scope` (hosts sharing destinations with a host), and the
 * blocklist and article folders: `GET /api/pivot/sources`, `POST /api/pivot/reload`.
 */
import type { FastifyInstance } from 'fastify';
import { SCOPE_MAX_DESTINATIONS, type Investigator } from '../../investigate/index.js';
import type { PivotParams, PivotResponse, PivotSourcesResponse, ScopeResponse } from '../api.js';
import { isViewer, viewersRefused } from '../read-only.js';
import { errorReplies, noBody, timeParams } from '../schemas.js';
import { rangeFromParams } from '../time-params.js';

export const PIVOT_LIMIT_DEFAULT = 50;
export const PIVOT_LIMIT_MAX = 1000;

export type PivotService = Pick<Investigator, 'pivot' | 'scope' | 'reload' | 'status' | 'clients' | 'identity'>;

export interface PivotRouteDeps {
  investigator: PivotService;
  now: () => number;
}

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const strList = { type: 'array', items: str } as const;
const nullableInt = { type: ['integer', 'null'] } as const;
const nullableStr = { type: ['string', 'null'] } as const;

const querystring = {
  type: 'object',
  additionalProperties: false,
  required: ['entity'],
  properties: {
    entity: { type: 'string', minLength: 1, maxLength: 1024, description: 'ip:10.0.0.5, domain:evil.example, mac:…, user:…, port:…, host:…, sig:…, url:… (its host)' },
    ...timeParams,
    limit: { type: 'integer', minimum: 1, maximum: PIVOT_LIMIT_MAX, description: `neighbours per relation, or hosts (default ${PIVOT_LIMIT_DEFAULT})` },
  },
} as const;

const hit = { type: 'object', required: ['indicator', 'list'], properties: { indicator: str, list: str } } as const;
/** each list has the current holder's names first (latest lease, or latest logon without DHCP), then an earlier holder's */
export const identitySchema = {
  type: 'object',
  required: ['macs', 'users', 'hosts'],
  properties: {
    macs: strList,
    users: strList,
    hosts: strList,
    seen: {
      type: 'array',
      description: "the names with when each was first and last seen (ms, up to the range's end); earlier: an earlier holder's, last seen before the current one's lease or logon began",
      items: {
        type: 'object',
        required: ['kind', 'name', 'first', 'last'],
        properties: { kind: { type: 'string', enum: ['mac', 'user', 'host'] }, name: str, first: int, last: int, earlier: { type: 'boolean' } },
      },
    },
    since: { type: 'integer', description: "when the current holder's lease (or logon) was first seen in the look-back" },
  },
} as const;
const identity = identitySchema;
const nullableIdentity = { ...identity, type: ['object', 'null'] } as const;

const neighbour = {
  type: 'object',
  required: ['entity', 'count', 'first', 'last', 'blocklist', 'articles', 'evidence'],
  properties: {
    entity: str,
    count: { type: 'integer', description: 'lines in the range for sure' },
    countMax: {
      type: 'integer',
      description: 'the range cuts an hour of the relation index (kept per hour as first and last time and count): up to this many lines may lie in it; first and last are then where they may lie',
    },
    first: int,
    last: int,
    blocklist: { type: 'array', items: hit },
    articles: int,
    identity,
    identityOmitted: { type: 'boolean', description: 'an internal address whose identity was not looked up (past 25 lookups an answer)' },
    via: { type: 'string', description: "a pivot on an account: the qualified name this edge is from (user:corp\\alice of user:alice); absent for the entity's own edges" },
    evidence: { type: 'object', required: ['q', 'from', 'to'], properties: { q: str, from: int, to: int } },
  },
} as const;

const pivotBody = {
  type: 'object',
  required: ['entity', 'from', 'to', 'blocklist', 'articles', 'identity', 'groups', 'periods', 'tookMs'],
  properties: {
    entity: str,
    from: nullableInt,
    to: nullableInt,
    blocklist: { type: 'array', items: hit },
    articles: { type: 'array', items: { type: 'object', required: ['path', 'title'], properties: { path: str, title: str } } },
    identity: nullableIdentity,
    groups: {
      type: 'array',
      items: {
        type: 'object',
        required: ['relation', 'direction', 'total', 'neighbours'],
        properties: {
          relation: str,
          direction: { type: 'string', enum: ['out', 'in'] },
          total: int,
          neighbours: { type: 'array', items: neighbour },
          truncated: { type: 'boolean', description: 'over the row or time budget: only edges seen from readFrom on were read (every out group of a cut answer has the same readFrom)' },
          readFrom: int,
        },
      },
    },
    truncated: { type: 'boolean', description: 'a group was read in part for lack of row or time budget' },
    timedOut: { type: 'boolean', description: 'stopped at the time budget: relations not read by then are missing or truncated, later internal neighbours say identityOmitted' },
    periods: int,
    exactRange: {
      type: 'object',
      required: ['from', 'to'],
      properties: { from: nullableInt, to: nullableInt },
      description: 'set when a count is ranged (countMax): the range widened to the whole periods of the relation index it cuts, over which every count is exact; `to` is null (up to now) where the range cut the hour still running, whose end has not come',
    },
    tookMs: num,
  },
} as const;

const scopeBody = {
  type: 'object',
  required: ['entity', 'from', 'to', 'destinations', 'common', 'skipped', 'totalHosts', 'hosts', 'tookMs'],
  properties: {
    entity: str,
    from: nullableInt,
    to: nullableInt,
    destinations: int,
    common: int,
    skipped: { type: 'integer', description: 'destinations whose sources were not read for lack of row budget' },
    unexamined: { type: 'integer', description: `destinations whose sources were not counted: past the ${SCOPE_MAX_DESTINATIONS} most reached (blocklisted first), or left at the time budget` },
    readFrom: { type: 'integer', description: 'the entity has more destinations than a question reads: those seen from here to the end of the range were used' },
    timedOut: { type: 'boolean', description: 'stopped at the time budget: see unexamined, readFrom and identityOmitted' },
    totalHosts: { type: 'integer', description: 'hosts sharing a destination, before the cut to limit' },
    hosts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['entity', 'score', 'shared', 'sharedBlocklisted', 'destinations', 'identity', 'identityOmitted'],
        properties: {
          entity: str,
          score: num,
          shared: int,
          sharedBlocklisted: int,
          why: { type: 'string', description: 'why it ranks where it does: hosts that reached a blocklisted destination come first, then by score' },
          destinations: {
            type: 'array',
            items: { type: 'object', required: ['entity', 'sources', 'blocklisted'], properties: { entity: str, sources: int, blocklisted: { type: 'boolean' } } },
          },
          identity: nullableIdentity,
          identityOmitted: { type: 'boolean', description: 'an internal address whose identity was not looked up (past 25 lookups an answer)' },
        },
      },
    },
    tookMs: num,
  },
} as const;

const folder = { dir: nullableStr, loadedAt: nullableInt, error: nullableStr, missing: { type: 'boolean', description: 'the folder does not exist: nothing is listed from it' } } as const;
const sourcesBody = {
  type: 'object',
  required: ['blocklists', 'articles'],
  properties: {
    blocklists: {
      type: 'object',
      properties: {
        ...folder,
        counts: { type: 'object', properties: { ips: int, networks: int, domains: int } },
        files: {
          type: 'array',
          items: { type: 'object', properties: { file: str, format: str, entries: int, skipped: int, error: str } },
        },
      },
    },
    articles: { type: 'object', properties: { ...folder, files: int, entities: int } },
  },
} as const;

export function pivotRoutes(deps: PivotRouteDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: PivotParams }>(
      '/api/pivot',
      { schema: { summary: 'neighbours of an entity by relation, with blocklist hits, users and evidence', tags: ['investigate'], querystring, response: { 200: pivotBody, ...errorReplies } } },
      async (req): Promise<PivotResponse> => {
        const range = rangeFromParams(req.query, deps.now());
        return deps.investigator.pivot(req.query.entity, range, req.query.limit ?? PIVOT_LIMIT_DEFAULT);
      },
    );
    app.get<{ Querystring: PivotParams }>(
      '/api/pivot/scope',
      { schema: { summary: 'scope of impact: hosts that reached the same destinations, many and rare ones first', tags: ['investigate'], querystring, response: { 200: scopeBody, ...errorReplies } } },
      async (req): Promise<ScopeResponse> => {
        const range = rangeFromParams(req.query, deps.now());
        return deps.investigator.scope(req.query.entity, range, req.query.limit ?? PIVOT_LIMIT_DEFAULT);
      },
    );
    app.get(
      '/api/pivot/sources',
      { schema: { summary: 'the loaded blocklists and articles', tags: ['investigate'], response: { 200: sourcesBody, ...errorReplies } } },
      async (req): Promise<PivotSourcesResponse> => {
        const status = deps.investigator.status();
        // the server's folders are an operator's business: a viewer reads what is loaded, not where it lies
        if (!isViewer(req)) return status;
        return { ...status, blocklists: { ...status.blocklists, dir: null }, articles: { ...status.articles, dir: null } };
      },
    );
    app.post(
      '/api/pivot/reload',
      { onRequest: viewersRefused('reloading the blocklist and article folders'), schema: { summary: 'reload the blocklist and article folders now', tags: ['investigate'], body: noBody, response: { 200: sourcesBody, ...errorReplies, 403: errorReplies[400] } } },
      async (): Promise<PivotSourcesResponse> => deps.investigator.reload(),
    );
  };
}
