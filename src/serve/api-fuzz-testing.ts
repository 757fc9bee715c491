/**
 * The generators and checks of the API fuzz tests (api-fuzz*.test.ts): the routes of the app's own OpenAPI
 * document, junk and plausible requests for each, and what every reply must be. Test support only.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import type { Response as InjectResponse } from 'light-my-request';
import { AUTH } from './testing.js';
import { Investigator } from '../investigate/index.js';

/** An investigator over a fake relation index: every entity has one outgoing flow to 198.51.100.66 and 10.0.0.1 as its source. */
export function fuzzInvestigator(): Investigator {
  const edge = { kind: 'flow', direction: 'out', other: 'ip:198.51.100.66', first: 1, last: 2, count: 3 } as const;
  return new Investigator({ relations: { edges: () => [edge], fanIn: (d) => new Map(d.map((x) => [x, 1])), sourcesOf: (d) => new Map(d.map((x) => [x, new Set(['ip:10.0.0.1'])])), files: () => [{ start: 0, end: 3_600_000 }] } });
}

export interface Schema {
  type?: string | string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  /** branches, one of which a value must match: merged with the rest of the schema when generating */
  anyOf?: Schema[];
}

export interface Route {
  method: string;
  path: string;
  /** query parameters by name, with their schemas and whether required */
  query: { name: string; schema: Schema; required: boolean }[];
  /** the JSON body's schema, when the route takes one */
  body: Schema | undefined;
  /** the media types its body may have, as documented (empty when it documents no body) */
  bodyTypes: string[];
  /** the statuses it documents */
  statuses: string[];
}

type Op = { parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[]; requestBody?: { content?: Record<string, { schema?: Schema }> }; responses?: Record<string, unknown> };

/** Every route of the OpenAPI document but the docs UI's own pages. */
export async function routesOf(app: FastifyInstance): Promise<Route[]> {
  const doc = (await app.inject({ method: 'GET', url: '/docs/json', headers: AUTH })).json() as { paths: Record<string, Record<string, Op>> };
  return Object.entries(doc.paths)
    .filter(([path]) => !path.startsWith('/docs'))
    .flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {}, required: p.required === true })),
        body: op.requestBody?.content?.['application/json']?.schema,
        bodyTypes: Object.keys(op.requestBody?.content ?? {}),
        statuses: Object.keys(op.responses ?? {}),
      })),
    );
}

/** encodeURIComponent of a string whose lone surrogates (which it cannot encode) become U+FFFD, as a client's encoder would send them. */
const enc = (s: string): string => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/gu, '\uFFFD'));
const CONTROL = fc.string({ unit: fc.integer({ min: 0, max: 31 }).map((c) => String.fromCharCode(c)), maxLength: 8 });
/** Values a field or a parameter should not take, and some it should. */
const junkText = fc.oneof(
  fc.constantFrom('', ' ', '-1', '0', '1', '-0', 'NaN', 'Infinity', '-Infinity', '1e999', '9007199254740993', '99999999999999999999999', '0x10', '1.5', 'true', 'null', '[]', '{}', 'now', '-1h', 'now-', '2026-13-45', ')', '(', '"', '*', 'a:b', '\u0000', '\uD800', '日本語', '%', 'ndjson', 'json', 'csv'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  CONTROL,
  fc.integer().map(String),
  fc.double().map(String),
  fc.integer({ min: 1, max: 3000 }).map((n) => 'a'.repeat(n)),
);

/** Values of a schema's type, so that junk elsewhere reaches the handler and not only the validator. */
const PLAUSIBLE_TEXT = ['x', 'sshd', '10.0.0.1', 'ip:10.0.0.1', 'url:a.example/x', 'domain:a.example', '-1h', 'now', '1', 'new', 'alice', 'url'];

/** What a fuzz may know of the app besides its OpenAPI document: more plausible strings (stored ids, questions) and whole bodies (reports). */
export interface FuzzVocabulary {
  texts?: string[];
  payloads?: string[];
}
interface Vocab {
  text: fc.Arbitrary<string>;
  payloads: string[];
}

/** A branch of `anyOf` together with what the schema says besides (its properties, its required keys). */
function withBranch(s: Schema, branch: Schema): Schema {
  const { anyOf: _branches, ...rest } = s;
  return { ...rest, ...branch, properties: { ...rest.properties, ...branch.properties }, required: [...(rest.required ?? []), ...(branch.required ?? [])] };
}

/** Every property name a schema or its branches give. */
function propertyNames(s: Schema | undefined): string[] {
  if (s === undefined) return [];
  return [...new Set([...Object.keys(s.properties ?? {}), ...(s.anyOf ?? []).flatMap((b) => propertyNames(b))])];
}

function plausible(v: Vocab, s: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (s.anyOf !== undefined && s.anyOf.length > 0) return fc.oneof(...s.anyOf.map((b) => plausible(v, withBranch(s, b), depth)));
  if (s.enum !== undefined && s.enum.length > 0) return fc.constantFrom(...s.enum);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'integer' || type === 'number') {
    const min = Math.max(s.minimum ?? 0, -1e6);
    return fc.integer({ min, max: Math.max(min, Math.min(s.maximum ?? 100, 1e6)) });
  }
  if (type === 'boolean') return fc.boolean();
  if (type === 'array') return fc.array(s.items === undefined ? v.text : plausible(v, s.items, depth + 1), { maxLength: 3 });
  if (type === 'object' && depth < 3) return plausibleObject(v, s, depth + 1);
  return v.text;
}
function plausibleObject(v: Vocab, s: Schema, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  if (s.anyOf !== undefined && s.anyOf.length > 0) return fc.oneof(...s.anyOf.map((b) => plausibleObject(v, withBranch(s, b), depth)));
  const props = s.properties ?? {};
  const shape = Object.fromEntries(Object.entries(props).map(([k, p]) => [k, plausible(v, p, depth)]));
  return fc.record(shape, { requiredKeys: (s.required ?? []).filter((k) => k in props) }) as fc.Arbitrary<Record<string, unknown>>;
}
const asParam = (v: unknown): string => (Array.isArray(v) ? v.join(',') : String(v));

/** A query string: the route's parameters (plausible or junk values), plus unknown and repeated keys; values encoded or, now and then, raw. */
const queryArb = (v: Vocab, params: Route['query']) => {
  const names = params.map((p) => p.name);
  const junkPair = fc.tuple(names.length > 0 ? fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 })) : fc.string({ maxLength: 12 }), junkText, fc.nat(19));
  const known = fc.tuple(...params.map((p) => fc.tuple(p.required ? fc.constant(true) : fc.boolean(), fc.oneof({ arbitrary: plausible(v, p.schema).map(asParam), weight: 6 }, { arbitrary: junkText, weight: 1 }), fc.nat(19))));
  return fc.tuple(known, fc.oneof({ arbitrary: fc.constant([]), weight: 2 }, fc.array(junkPair, { minLength: 1, maxLength: 3 }))).map(([vals, junk]) => {
    const pairs: [string, string, number][] = [...params.flatMap((p, i) => (vals[i]![0] ? [[p.name, vals[i]![1], vals[i]![2]] as [string, string, number]] : [])), ...junk];
    return pairs.map(([k, v, raw]) => `${enc(k)}=${raw === 0 ? v.replace(/[^\x21-\x7e]/g, '') : enc(v)}`).join('&');
  });
};

const pathParam = fc.oneof(junkText.map(enc), fc.constantFrom('1', '%', '%zz', '%C0%AF', '%00', '..', '%2e%2e', 'ip:10.0.0.1', 'url:a.example%2Fx', 'alice'));

function nested(depth: number, array: boolean): string {
  return array ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const junkValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), junkText, fc.constant(Array.from({ length: 20_000 }, (_, i) => i)), fc.constant(-1), fc.constant(1e308), fc.constant(''));

/**
 * A body of the documented shape and media types, or of a wrong one or none: a plausible one with a junk
 * field, JSON of any value, broken JSON, deep nesting, large arrays.
 */
const bodyArb = (v: Vocab, schema: Schema | undefined, documented: string[]) => {
  const keys = propertyNames(schema);
  const good = schema === undefined ? plausibleObject(v, {}) : plausible(v, schema);
  const junkTypes = fc.constantFrom(undefined, 'application/json; charset=latin1', 'text/plain', 'application/x-ndjson', 'application/octet-stream', 'application/xml', 'multipart/form-data', 'message/rfc822', '');
  return fc.record({
    type: fc.oneof({ arbitrary: fc.constant('application/json'), weight: 4 }, ...(documented.length > 0 ? [{ arbitrary: fc.constantFrom(...documented), weight: 2 }] : []), { arbitrary: junkTypes, weight: 1 }),
    payload: fc.oneof(
      { arbitrary: good.map((o) => JSON.stringify(o)), weight: 2 },
      { arbitrary: fc.tuple(plausibleObject(v, schema ?? {}), keys.length > 0 ? fc.constantFrom(...keys) : fc.string({ maxLength: 8 }), junkValue).map(([o, k, v]) => JSON.stringify({ ...o, [k]: v })), weight: 4 },
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.constantFrom('', '{', '{"a":', '[1,2', 'null', '"x"', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '\uFEFF{}', '\u0000'),
      fc.integer({ min: 100, max: 5000 }).chain((d) => fc.boolean().map((a) => nested(d, a))),
      fc.integer({ min: 1000, max: 100_000 }).map((n) => JSON.stringify(Array.from({ length: n }, () => 'x'))),
      junkText,
      ...(v.payloads.length > 0 ? [fc.constantFrom(...v.payloads)] : []),
    ),
  });
};

/** A request to a route: its path with junk parameters, a query string, a body for a method that takes one, and whether to send the session (else the token). */
export function requestArb(r: Route, vocabulary: FuzzVocabulary = {}) {
  const v: Vocab = { text: fc.constantFrom(...PLAUSIBLE_TEXT, ...(vocabulary.texts ?? [])), payloads: vocabulary.payloads ?? [] };
  return fc.record({
    path: fc.constant(r.path).chain((p) => {
      const names = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
      return fc.tuple(...names.map(() => pathParam)).map((vals) => names.reduce((acc, n, i) => acc.replace(`{${n}}`, vals[i]!), p));
    }),
    query: queryArb(v, r.query),
    // a logout by the session would end it for the requests after it (and a new login meets the login limits)
    session: r.path === '/api/auth/logout' ? fc.constant(false) : fc.boolean(),
    body: ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) ? bodyArb(v, r.body, r.bodyTypes).map((b) => b as { type: string | undefined; payload: string } | null) : fc.constant(null),
  });
}

/**
 * What every reply must be: no 5xx; an error is JSON `{ error: { code, kind, message } }`; a JSON success parses.
 * No 503 either: every route documents one for an absent or stopping dependency, but here every
 * dependency is present and working, so a 503 could only come from the input.
 */
export function checkReply(label: string, res: InjectResponse): void {
  const type = String(res.headers['content-type'] ?? '');
  assert.ok(res.statusCode < 500, `${label}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  if (res.statusCode >= 400) {
    assert.match(type, /^application\/json/, `${label}: ${res.statusCode} error reply is ${type}`);
    const body = JSON.parse(res.body) as { error?: { code?: unknown; kind?: unknown; message?: unknown } };
    assert.equal(typeof body.error?.code, 'string', `${label}: no error code in ${res.body.slice(0, 300)}`);
    assert.equal(typeof body.error?.kind, 'string', `${label}: no error kind in ${res.body.slice(0, 300)}`);
    assert.ok(typeof body.error?.message === 'string' && body.error.message.trim() !== '', `${label}: no error message in ${res.body.slice(0, 300)}`);
  } else if (/^application\/json/.test(type)) {
    JSON.parse(res.body);
  }
}


export interface FuzzOptions {
  seed: number;
  runs: number;
  vocabulary?: FuzzVocabulary;
  /** a valid session cookie (`nml_session=…`), made anew when a request ended it; without it every request sends the token */
  session?: () => Promise<string>;
  /** every request sends the session, none the token (a viewer's fuzz: the token may write) */
  sessionOnly?: boolean;
  /** a check of each reply, run first (before checkReply's): it sees every request's reply */
  check?: (label: string, res: InjectResponse, route: Route) => void;
}

/** Sends `runs` generated requests to each route and checks every reply (checkReply); fast-check reports the seed and the shrunk request of a failure. Returns the count and a tally of statuses (by route with FUZZ_TALLY=route). */
export async function fuzzRoutes(app: FastifyInstance, routes: Route[], opts: FuzzOptions): Promise<{ requests: number; statuses: Map<string, number> }> {
  let requests = 0;
  const statuses = new Map<string, number>();
  for (const r of routes) {
    let cookie = opts.session === undefined ? '' : await opts.session();
    await fc.assert(
      fc.asyncProperty(requestArb(r, opts.vocabulary), async (req) => {
        const url = req.query === '' ? req.path : `${req.path}?${req.query}`;
        const useSession = (req.session || opts.sessionOnly === true) && opts.session !== undefined;
        if (useSession) cookie = await opts.session!();
        const headers: Record<string, string> = useSession ? { cookie } : { ...AUTH };
        if (req.body?.type !== undefined) headers['content-type'] = req.body.type;
        if (process.env.FUZZ_TRACE !== undefined) process.stderr.write(`>> ${r.method} ${url.slice(0, 300)} ${req.body?.type} ${req.body?.payload.slice(0, 200)}\n`);
        const res = await app.inject({ method: r.method as 'GET', url, headers, ...(req.body === null ? {} : { payload: req.body.payload }) });
        requests++;
        const key = process.env.FUZZ_TALLY === 'route' ? `${r.method} ${r.path} ${res.statusCode}` : String(res.statusCode);
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        const label = `${r.method} ${url.slice(0, 200)}`;
        opts.check?.(label, res, r);
        checkReply(label, res);
        assert.ok(r.statuses.includes(String(res.statusCode)), `${label}: ${res.statusCode} is not among the statuses its OpenAPI entry documents (${r.statuses.join(', ')}): ${res.body.slice(0, 300)}`);
      }),
      { numRuns: opts.runs, seed: opts.seed, includeErrorInReport: true },
    );
  }
  return { requests, statuses };
}

/** One line for the test log: routes, requests, seed and the statuses seen. */
export function fuzzSummary(name: string, routes: number, seed: number, result: { requests: number; statuses: Map<string, number> }): string {
  return `${name}: ${routes} routes, ${result.requests} requests, seed ${seed}; statuses ${[...result.statuses].sort().map(([k, n]) => `${k}: ${n}`).join(', ')}`;
}
