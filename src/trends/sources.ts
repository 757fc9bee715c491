/** Collector configuration: the sources (feeds, social APIs, pages, onion sites) and the fetch limits, validated. */
import { readFileSync } from 'node:fs';
import { AppError, isAppError, pathFailureKind, unreadableWhy } from '../core/index.js';
import { FETCHER_DEFAULTS, type FetcherOptions } from './fetch/fetcher.js';

export const SOURCE_KINDS = ['feed', 'mastodon', 'reddit', 'page'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface SourceConfig {
  /** unique name; errors and counts are kept per name */
  name: string;
  /** `feed`: RSS or Atom; `mastodon`: a public or hashtag timeline; `reddit`: a listing; `page`: HTML */
  kind: SourceKind;
  url: string;
  /** how often to fetch, ms */
  intervalMs: number;
  /** fetch through the SOCKS5 proxy (implied for .onion hosts) */
  viaProxy: boolean;
}

export interface CollectorConfig {
  sources: SourceConfig[];
  fetch: FetcherOptions;
  /** how often the scheduler looks for due sources, ms */
  tickMs: number;
}

const DEFAULT_INTERVAL_MS = 15 * 60_000;

function bad(msg: string): AppError {
  return new AppError('TRENDS_CONFIG_INVALID', 'bad_request', `trends config: ${msg}`);
}

/** A key the file's objects do not have is an error naming it (a misspelt `intervalMS` would be ignored). */
function onlyKeys(o: Record<string, unknown>, keys: readonly string[], where: string): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) throw bad(`unknown key ${where}${k}; ${where === '' ? 'the top level' : where.slice(0, -1)} has ${keys.join(', ')}`);
}

const SOURCE_KEYS = ['name', 'kind', 'url', 'intervalMs', 'viaProxy'] as const;
const TOP_KEYS = ['sources', 'fetch', 'proxy', 'tickMs'] as const;
const FETCH_KEYS = ['concurrency', 'perHostIntervalMs', 'timeoutMs', 'maxBytes', 'maxRedirects', 'retries', 'backoffMs', 'respectRobots', 'userAgent'] as const;

function source(v: unknown, i: number): SourceConfig {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(`sources[${i}] is not an object`);
  const o = v as Record<string, unknown>;
  onlyKeys(o, SOURCE_KEYS, `sources[${i}].`);
  const name = typeof o['name'] === 'string' && o['name'] !== '' ? o['name'] : null;
  if (name === null) throw bad(`sources[${i}].name is missing`);
  if (!SOURCE_KINDS.includes(o['kind'] as SourceKind)) throw bad(`sources[${i}].kind must be one of ${SOURCE_KINDS.join(', ')}`);
  const url = typeof o['url'] === 'string' ? o['url'] : '';
  if (!/^https?:\/\//.test(url)) throw bad(`sources[${i}].url must be an http(s) url`);
  const interval = o['intervalMs'] ?? DEFAULT_INTERVAL_MS;
  if (typeof interval !== 'number' || !(interval >= 1000)) throw bad(`sources[${i}].intervalMs must be at least 1000`);
  return { name, kind: o['kind'] as SourceKind, url, intervalMs: interval, viaProxy: o['viaProxy'] === true };
}

/**
 * Validates a parsed JSON object `{ sources: [...], fetch?: {...}, proxy?: "host:port", tickMs? }`; `file`,
 * the sources file it was read from, is named in the message ("trends config: sources[0].kind …" said
 * neither which file nor where to fix it).
 */
export function parseCollectorConfig(v: unknown, file?: string): CollectorConfig {
  if (file === undefined) return parseConfig(v);
  try {
    return parseConfig(v);
  } catch (e) {
    if (!isAppError(e) || e.code !== 'TRENDS_CONFIG_INVALID') throw e;
    throw new AppError(e.code, e.kind, `${e.message.replace(/^trends config: /, `trends config: ${file}: `)}; fix it there`, { file }, e);
  }
}

/**
 * A sources file read, parsed and validated: `via` says where its name came from (`--sources`, or
 * `trends.sources` in the configuration), so a file that will not read says what to give there.
 */
export function readCollectorConfig(file: string, via: string): CollectorConfig {
  const advice = `give ${via} a JSON file of { sources: [...] } (README, "Attack trends")`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const why = e instanceof SyntaxError ? `it is not JSON: ${e.message}` : unreadableWhy(e, 'a sources file is one JSON file');
    throw new AppError('TRENDS_CONFIG_INVALID', pathFailureKind(e), `trends config: cannot read ${file}: ${why}; ${advice}`, { file }, e);
  }
  return parseCollectorConfig(raw, file);
}

function parseConfig(v: unknown): CollectorConfig {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad('expected an object with "sources"');
  const o = v as Record<string, unknown>;
  onlyKeys(o, TOP_KEYS, '');
  if (!Array.isArray(o['sources'])) throw bad('"sources" must be an array');
  const sources = o['sources'].map(source);
  const names = new Set<string>();
  for (const s of sources) {
    if (names.has(s.name)) throw bad(`source name '${s.name}' is used twice`);
    names.add(s.name);
  }
  const fetchIn = (o['fetch'] ?? {}) as Record<string, unknown>;
  if (typeof fetchIn !== 'object' || fetchIn === null || Array.isArray(fetchIn)) throw bad('"fetch" must be an object');
  onlyKeys(fetchIn, FETCH_KEYS, 'fetch.');
  const fetch: FetcherOptions = { ...FETCHER_DEFAULTS };
  for (const k of ['concurrency', 'perHostIntervalMs', 'timeoutMs', 'maxBytes', 'maxRedirects', 'retries', 'backoffMs'] as const) {
    const x = fetchIn[k];
    if (x === undefined) continue;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) throw bad(`fetch.${k} must be a non-negative integer`);
    fetch[k] = x;
  }
  if (fetch.concurrency < 1) throw bad('fetch.concurrency must be at least 1');
  // a wrong value is said, not ignored: `"respectRobots": "no"` left robots.txt obeyed without a word
  const robots = fetchIn['respectRobots'];
  if (robots !== undefined && typeof robots !== 'boolean') throw bad('fetch.respectRobots must be true or false');
  if (typeof robots === 'boolean') fetch.respectRobots = robots;
  const agent = fetchIn['userAgent'];
  if (agent !== undefined && (typeof agent !== 'string' || agent.trim() === '' || /[\r\n]/.test(agent))) throw bad('fetch.userAgent must be a one-line, non-empty string');
  if (typeof agent === 'string') fetch.userAgent = agent;
  const proxy = o['proxy'];
  if (proxy !== undefined && proxy !== null) {
    const m = typeof proxy === 'string' ? /^(?:socks5h?:\/\/)?([^:/]+):(\d{1,5})$/.exec(proxy) : null;
    if (m === null) throw bad('"proxy" must be "host:port" of a socks5 proxy, e.g. "127.0.0.1:9050"');
    fetch.proxy = { host: m[1]!, port: Number(m[2]) };
  }
  const tickIn = o['tickMs'];
  if (tickIn !== undefined && !(typeof tickIn === 'number' && Number.isFinite(tickIn) && tickIn >= 100)) throw bad('tickMs must be a number of milliseconds, at least 100');
  const tickMs = typeof tickIn === 'number' ? tickIn : 5000;
  return { sources, fetch, tickMs };
}
