/**
 * The configuration's environment: the NML_ variables it reads (each checked, an error naming it when
 * set but wrong), the ones set that nothing reads (warned about with the known name each looks like)
 * and the server log's level. config.ts merges the patch this gives over the file's.
 */
import { AppError, urlWithoutSecrets } from './core/index.js';
import type { ConfigPatch, NmlConfig } from './config-types.js';

/** An environment variable that is set but wrong: its name, its value and what it takes. */
function badEnv(name: string, value: string, field: string, want: string): never {
  throw new AppError('CONFIG_INVALID', 'bad_request', `config: environment variable ${name} is ${JSON.stringify(value)}; expected ${want}; fix or unset it`, { variable: name, field });
}

/** A decimal number (no hex, no words such as Infinity), checked by `ok`. */
function envNumber(name: string, v: string, field: string, ok: (n: number) => boolean, want: string): number {
  const n = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) && ok(n) ? n : badEnv(name, v, field, want);
}

const envPort = (name: string, v: string, field: string): number => envNumber(name, v, field, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'a port 0-65535');
const dividesDay = (ms: number): boolean => Number.isInteger(ms) && ms >= 1000 && ms <= 86_400_000 && 86_400_000 % ms === 0;

const ENV: Record<string, (c: ConfigPatch, v: string, name: string) => void> = {
  NML_DATA: (c, v) => (c.dataDir = v),
  NML_HTTP_HOST: (c, v) => (c.http = { ...c.http, host: v }),
  NML_HTTP_PUBLIC_URL: (c, v) => (c.http = { ...c.http, publicUrl: v }),
  NML_HTTP_PORT: (c, v, name) => (c.http = { ...c.http, port: envPort(name, v, 'http.port') }),
  NML_SYSLOG_PORT: (c, v, name) => {
    const port = envPort(name, v, 'syslog.udp.port');
    c.syslog = { udp: { ...c.syslog?.udp, port }, tcp: { ...c.syslog?.tcp, port } };
  },
  NML_SLOT_SECONDS: (c, v, name) =>
    (c.store = { ...c.store, slotMs: envNumber(name, v, 'store.slotMs', (n) => dividesDay(n * 1000), 'seconds between 1 and 86400 that divide a day (e.g. 60, 300, 3600)') * 1000 }),
  NML_RETENTION_DAYS: (c, v, name) =>
    (c.store = { ...c.store, retention: { ...c.store?.retention, maxAgeMs: envNumber(name, v, 'store.retention.maxAgeMs', (n) => n > 0, 'a number of days > 0, e.g. 30 (unset: no age limit)') * 86_400_000 } }),
  NML_ASSIST_LLM_URL: (c, v, name) => {
    if (!/^https?:\/\/\S+$/.test(v)) badEnv(name, urlWithoutSecrets(v), 'assist.llm.url', 'an http(s) URL of an OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1 (shown without its query or user, which may hold a key)');
    // its own field only: the file's model stays (the model defaults to 'default' after merging)
    c.assist = { ...c.assist, llm: { ...c.assist?.llm, url: v } as NonNullable<NmlConfig['assist']['llm']> };
  },
  NML_ASSIST_LLM_MODEL: (c, v) => (c.assist = { ...c.assist, llm: { ...c.assist?.llm, model: v } as NonNullable<NmlConfig['assist']['llm']> }),
  NML_FINDINGS_RETENTION_DAYS: (c, v, name) =>
    (c.findings = { maxAgeMs: envNumber(name, v, 'findings.maxAgeMs', (n) => n > 0, 'a number of days > 0, e.g. 365 (unset: findings are kept)') * 86_400_000 }),
  NML_RETENTION_GB: (c, v, name) =>
    (c.store = { ...c.store, retention: { ...c.store?.retention, maxBytes: envNumber(name, v, 'store.retention.maxBytes', (n) => n > 0, 'a number of gigabytes > 0, e.g. 500 (unset: no size limit)') * 1e9 } }),
};

/** NML_ variables read elsewhere (the LLM key, the log level, the datasets folder) or by the bench and test scripts. */
const OTHER_ENV = new Set(['NML_ASSIST_LLM_KEY', 'NML_LOG_LEVEL', 'NML_DATASETS']);
const OTHER_ENV_PREFIXES = ['NML_BENCH_', 'NML_TEST_'];

/**
 * The NML_ variables set that nothing reads, each with the known name it most looks like: a misspelt
 * `NML_RETENTON_DAYS` would otherwise keep every line for ever without a word. Warned about, not refused:
 * the environment is shared with other tools.
 */
export function unknownEnvNames(env: Record<string, string | undefined>): { name: string; like: string | null }[] {
  const known = [...Object.keys(ENV), ...OTHER_ENV];
  return Object.keys(env)
    .filter((n) => n.startsWith('NML_') && !Object.hasOwn(ENV, n) && !OTHER_ENV.has(n) && !OTHER_ENV_PREFIXES.some((p) => n.startsWith(p)))
    .sort()
    .map((name) => {
      let like: string | null = null;
      let best = 4;
      for (const k of known) {
        const d = editDistance(name, k);
        if (d < best) [best, like] = [d, k];
      }
      return { name, like };
    });
}

/** Levenshtein distance, for short names. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** pino's levels, the values NML_LOG_LEVEL takes. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The server log's level from NML_LOG_LEVEL (any case; unset or empty: info). Not a setting of the
 * configuration, but checked with it: pino throws a stack at a level it does not know.
 */
export function envLogLevel(env: Record<string, string | undefined>): LogLevel {
  const v = env['NML_LOG_LEVEL'];
  if (v === undefined || v === '') return 'info';
  const level = v.trim().toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(level) ? (level as LogLevel) : badEnv('NML_LOG_LEVEL', v, 'NML_LOG_LEVEL', `one of ${LOG_LEVELS.join(', ')} (unset: info)`);
}

/** The settings the environment gives; a variable that is set but wrong is an error naming it. */
export function envPatch(env: Record<string, string | undefined>): ConfigPatch {
  envLogLevel(env);
  const patch: ConfigPatch = {};
  for (const [name, apply] of Object.entries(ENV)) {
    const v = env[name];
    if (v !== undefined && v !== '') apply(patch, v, name);
  }
  return patch;
}
