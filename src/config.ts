/**
 * Configuration: defaults <- JSON file <- environment <- flags, validated once and frozen.
 * The environment is a parameter (never read from process.env here) so tests pass their own.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { AppError } from './core/index.js';
import { STORE_DEFAULTS, type StoreConfig } from './store/index.js';

export interface ListenConfig {
  enabled: boolean;
  host: string;
  port: number;
}

export interface NmlConfig {
  dataDir: string;
  store: StoreConfig;
  search: { threads: number };
  parse: { timeZone: string };
  syslog: {
    udp: ListenConfig & { recvBufferSize: number };
    tcp: ListenConfig & { tls: { certFile: string; keyFile: string; caFile?: string } | null };
  };
  http: ListenConfig & { bodyLimitBytes: number };
  /** log files to follow (`tail -F`, surviving rotation); `fromStart` reads what they already hold first */
  files: { follow: string[]; fromStart: boolean };
  demo: { enabled: boolean; rate: number };
}

export function defaultConfig(): NmlConfig {
  const cores = availableParallelism();
  return {
    dataDir: './nml-data',
    store: { ...STORE_DEFAULTS, lanes: Math.max(1, Math.min(cores, 4)), retention: { ...STORE_DEFAULTS.retention } },
    search: { threads: Math.max(1, cores) },
    parse: { timeZone: 'UTC' },
    syslog: {
      udp: { enabled: true, host: '0.0.0.0', port: 5514, recvBufferSize: 8 * 1024 * 1024 },
      tcp: { enabled: true, host: '0.0.0.0', port: 5514, tls: null },
    },
    http: { enabled: true, host: '127.0.0.1', port: 8823, bodyLimitBytes: 64 * 1024 * 1024 },
    files: { follow: [], fromStart: false },
    demo: { enabled: false, rate: 200 },
  };
}

/** A partial configuration, as a file or flags give it. */
export type ConfigPatch = { [K in keyof NmlConfig]?: NmlConfig[K] extends object ? DeepPartial<NmlConfig[K]> : NmlConfig[K] };
type DeepPartial<T> = { [K in keyof T]?: T[K] extends object | null ? DeepPartial<NonNullable<T[K]>> | T[K] : T[K] };

const ENV: Record<string, (c: ConfigPatch, v: string) => void> = {
  NML_DATA: (c, v) => (c.dataDir = v),
  NML_HTTP_HOST: (c, v) => (c.http = { ...c.http, host: v }),
  NML_HTTP_PORT: (c, v) => (c.http = { ...c.http, port: Number(v) }),
  NML_SYSLOG_PORT: (c, v) => (c.syslog = { udp: { ...c.syslog?.udp, port: Number(v) }, tcp: { ...c.syslog?.tcp, port: Number(v) } }),
  NML_SLOT_SECONDS: (c, v) => (c.store = { ...c.store, slotMs: Number(v) * 1000 }),
  NML_RETENTION_DAYS: (c, v) => (c.store = { ...c.store, retention: { ...c.store?.retention, maxAgeMs: Number(v) * 86_400_000 } }),
  NML_RETENTION_GB: (c, v) => (c.store = { ...c.store, retention: { ...c.store?.retention, maxBytes: Number(v) * 1e9 } }),
};

export function envPatch(env: Record<string, string | undefined>): ConfigPatch {
  const patch: ConfigPatch = {};
  for (const [name, apply] of Object.entries(ENV)) {
    const v = env[name];
    if (v !== undefined && v !== '') apply(patch, v);
  }
  return patch;
}

export function filePatch(path: string): ConfigPatch {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new AppError('CONFIG_INVALID', 'bad_request', `config: cannot read ${path}: ${(e as Error).message}`, { path });
  }
  try {
    return JSON.parse(text) as ConfigPatch;
  } catch (e) {
    throw new AppError('CONFIG_INVALID', 'bad_request', `config: ${path} is not valid JSON: ${(e as Error).message}`, { path });
  }
}

function merge<T>(base: T, patch: unknown): T {
  if (patch === undefined) return base;
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch) || base === null || typeof base !== 'object') return patch as T;
  const out = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) out[k] = merge(out[k], v);
  return out as T;
}

/** Applies patches in order, validates, and freezes the result. */
export function resolveConfig(...patches: ConfigPatch[]): Readonly<NmlConfig> {
  let c = defaultConfig();
  for (const p of patches) c = merge(c, p);
  validate(c);
  return deepFreeze(c);
}

function validate(c: NmlConfig): void {
  const bad = (field: string, value: unknown, want: string): never => {
    throw new AppError('CONFIG_INVALID', 'bad_request', `config: ${field} is ${JSON.stringify(value)}; expected ${want}`, { field });
  };
  const port = (f: string, v: number): void => {
    if (!Number.isInteger(v) || v < 0 || v > 65535) bad(f, v, 'a port 0-65535');
  };
  const positive = (f: string, v: number): void => {
    if (!Number.isFinite(v) || v <= 0) bad(f, v, 'a positive number');
  };
  if (typeof c.dataDir !== 'string' || c.dataDir === '') bad('dataDir', c.dataDir, 'a directory path');
  port('http.port', c.http.port);
  port('syslog.udp.port', c.syslog.udp.port);
  port('syslog.tcp.port', c.syslog.tcp.port);
  positive('store.slotMs', c.store.slotMs);
  if (c.store.slotMs < 1000 || c.store.slotMs > 86_400_000 || 86_400_000 % c.store.slotMs !== 0) bad('store.slotMs', c.store.slotMs, 'a divisor of one day between 1 s and 24 h');
  if (!Number.isInteger(c.store.lanes) || c.store.lanes < 1 || c.store.lanes > 64) bad('store.lanes', c.store.lanes, 'an integer 1-64');
  if (!Number.isInteger(c.search.threads) || c.search.threads < 1 || c.search.threads > 256) bad('search.threads', c.search.threads, 'an integer 1-256');
  positive('store.highWaterLines', c.store.highWaterLines);
  positive('store.maxLinesPerCommit', c.store.maxLinesPerCommit);
  const r = c.store.retention;
  if (r.maxAgeMs !== null) positive('store.retention.maxAgeMs', r.maxAgeMs);
  if (r.maxBytes !== null) positive('store.retention.maxBytes', r.maxBytes);
  positive('syslog.udp.recvBufferSize', c.syslog.udp.recvBufferSize);
  positive('http.bodyLimitBytes', c.http.bodyLimitBytes);
  positive('demo.rate', c.demo.rate);
  if (!Array.isArray(c.files.follow) || !c.files.follow.every((f) => typeof f === 'string' && f !== '')) bad('files.follow', c.files.follow, 'a list of file paths');
  if (!/^(UTC|[+-]\d{2}:?\d{2})$/.test(c.parse.timeZone)) bad('parse.timeZone', c.parse.timeZone, "'UTC' or an offset like +09:00");
}

function deepFreeze<T>(o: T): T {
  if (o !== null && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** The parser's time zone option from the configured `UTC` or `+09:00`: minutes east of UTC. */
export function timeZoneMinutes(tz: string): 'UTC' | number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
  if (m === null) return 'UTC';
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}
