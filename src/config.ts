/**
 * Configuration: defaults <- JSON file <- environment <- flags, validated once and frozen.
 * The environment is a parameter (never read from process.env here) so tests pass their own.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { domainToASCII } from 'node:url';
import { AppError, errnoOf, isAppError, isWrongPath, parseCidr, parseIp, pathFailureKind, unreadableWhy, urlWithoutSecrets } from './core/index.js';
import { COMPACTION_DEFAULTS, STORE_DEFAULTS } from './store/index.js';
import type { ConfigPatch, NmlConfig } from './config-types.js';
import { followEntryProblem } from './config-follow.js';
import { checkBackupConfig } from './config-backup.js';
// the file itself, not detect/index.ts: the configuration loads no detector code
import { webhookProblem, webhookWithDefaults, type WebhookConfig } from './detect/findings/notify-target.js';

export function defaultConfig(): NmlConfig {
  const cores = availableParallelism();
  return {
    dataDir: './nml-data',
    store: { ...STORE_DEFAULTS, lanes: Math.max(1, Math.min(cores, 4)), retention: { ...STORE_DEFAULTS.retention } },
    search: { threads: Math.max(1, cores) },
    parse: { timeZone: 'UTC' },
    syslog: {
      udp: { enabled: true, host: '0.0.0.0', port: 5514, recvBufferSize: 8 * 1024 * 1024 },
      tcp: { enabled: true, host: '0.0.0.0', port: 5514, tls: null, idleTimeoutMs: 600_000, maxConnections: 1000, maxConnectionsPerAddress: 64 },
    },
    http: {
      enabled: true,
      host: '127.0.0.1',
      port: 8823,
      bodyLimitBytes: 64 * 1024 * 1024,
      ingestInFlightBytes: 256 * 1024 * 1024,
      secureCookies: null,
      sessions: { idleMs: 12 * 3600_000, absoluteMs: 7 * 86_400_000 },
      loginPerMinute: 10,
      trustProxy: [],
      tailExaminePerSecond: 10_000,
      maxConnections: 1000,
      maxConnectionsPerAddress: 256,
      publicUrl: null,
      tls: null,
    },
    files: { follow: [], fromStart: false },
    demo: { enabled: false, rate: 200 },
    // threshold: a host's score at or above it becomes a finding; null = the model's own (the shipped
    // model's 0.95 flags ≤1% of benign real hosts in leave-one-capture-out over five training seeds:
    // models/syn/MODEL_CARD.md)
    syn: { pcap: null, speed: 1, model: null, interface: null, tcpdump: null, threshold: null, ignore: [], findingsPerMinute: 60, fewSynFindingsPerMinute: 0, keepFindingsHours: 24, maxKeptFindings: 2000 },
    // well above 0.5: across sources the models' precision at 0.5 is 0.70-0.78 (models/url/MODEL_CARD.md);
    // threshold null = the model's own: for the shipped n-gram model 0.964 (0.968 before distinct grams), which ~0.2% of its benign
    // validation URLs (hosts it never trained on) on domains outside its popularity list reach; for
    // Bag-of-Bytes 0.972, which ~1% of all its benign validation URLs reach
    url: { live: true, threshold: null, model: null, ignore: [], perHost: 3, hostQuietMinutes: 60, tlsNames: true },
    assist: { enabled: true, llm: null },
    findings: { maxAgeMs: null, notify: [] },
    investigate: { blocklistsDir: null, articlesDir: null, watch: true },
    share: { keyFile: null, maxExports: 2 },
    backup: { dir: null, every: '1d', keep: 7, includeSecrets: false },
    audit: { retentionDays: 365, maxEntries: 1_000_000 },
    watches: { enabled: true, max: 200 },
    trends: { enabled: false, sources: null, models: 'models/trends', datasets: null, calendar: null },
  };
}

/**
 * What is wrong with one `url.ignore` entry, or null: it must be a domain of two labels or more as the
 * matcher reads it (without `*.`, dots at its ends or `www.`; a Unicode one in punycode, as logs write
 * it). A bare label (`com`) would ignore a whole top-level domain; an entry that is no domain (`a..b`)
 * would match nothing.
 */
function ignoredDomainProblem(entry: string): string | null {
  const ascii = domainToASCII(entry.toLowerCase().replace(/^\*?\./, '').replace(/\.+$/, '').replace(/^www\./, ''));
  const labels = ascii.split('.');
  if (ascii === '' || !labels.every((l) => /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/.test(l))) {
    return 'a domain such as "example.com" or "*.example.com": letters, digits and hyphens in labels between dots';
  }
  if (labels.length < 2) return 'a domain of two labels or more, such as "example.com" (a bare top-level label would ignore every URL under it)';
  return null;
}

/**
 * What is wrong with `http.publicUrl`, or null: an http(s) URL with a host, and no query, fragment or
 * user (the links add their own query). Said without the value: the caller shows it without secrets.
 */
export function publicUrlProblem(v: unknown): string | null {
  if (v === null) return null;
  const want = 'the http(s) address people open the web UI at, such as "https://nml.example.com" (a reverse proxy\'s), or null; set in http.publicUrl or NML_HTTP_PUBLIC_URL';
  if (typeof v !== 'string') return want;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return `${want} (it does not parse as a URL)`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `${want} (it starts ${u.protocol})`;
  if (u.hostname === '') return `${want} (it has no host)`;
  if (u.search !== '' || u.hash !== '' || /[?#]/.test(v)) return `${want} without a query or fragment (the links add their own)`;
  if (u.username !== '' || u.password !== '') return `${want} without a user or password (the links are read by everyone in the channel)`;
  return null;
}

/**
 * Whether the web UI's session cookie is `Secure`: `http.secureCookies` when set; unset (null), when
 * nml serves HTTPS itself (`http.tls`) or people open the UI at an https `http.publicUrl` (a TLS proxy in front), where a cookie without it
 * would also be sent over plain HTTP to the same host. `false` keeps it off for a UI also opened over HTTP.
 */
export function sessionCookiesSecure(http: Pick<NmlConfig['http'], 'secureCookies' | 'publicUrl' | 'tls'>): boolean {
  if (http.secureCookies !== null) return http.secureCookies;
  // served over TLS by NML itself: every page is https, so the cookie may as well never leave it
  if (http.tls !== null) return true;
  return http.publicUrl !== null && http.publicUrl.toLowerCase().startsWith('https:');
}

/** What to do about a --config file that would not read, by its errno. */
function configReadAdvice(e: unknown): string {
  const code = errnoOf(e);
  if (code === 'EISDIR') return 'give --config the JSON file (docs/configuration.md)';
  if (isWrongPath(e)) return 'check the path given to --config (a relative one is read from the folder nml runs in)';
  if (code === 'EACCES' || code === 'EPERM') return 'make it readable by the user nml runs as';
  return 'check the file and the disk it is on';
}

export function filePatch(path: string): ConfigPatch {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = unreadableWhy(e, 'a configuration is one JSON file of settings');
    throw new AppError('CONFIG_INVALID', pathFailureKind(e), `config: cannot read ${path}: ${why}; ${configReadAdvice(e)}`, { path }, e);
  }
  let parsed: unknown;
  try {
    // a byte order mark, as some Windows editors write, is not part of the JSON
    parsed = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (e) {
    const message = (e as Error).message;
    throw new AppError('CONFIG_INVALID', 'bad_request', `config: ${path} is not valid JSON: ${message}${lineAndColumn(text, message)}`, { path });
  }
  if (!isObject(parsed)) {
    throw new AppError('CONFIG_INVALID', 'bad_request', `config: ${path} holds ${shown(parsed)}; expected a JSON object of settings, such as {"dataDir": "/var/lib/nml"}; fix the file`, { path });
  }
  // the shape (sections are objects, no unknown keys) checked here, so that its errors name the file
  merge(defaultConfig(), parsed, '', path);
  // values are checked once every source is merged (resolveConfig): a bad one found there names this file
  PATCH_SOURCE.set(parsed, path);
  return parsed as ConfigPatch;
}

/** The file each file patch was read from, for resolveConfig's errors. */
const PATCH_SOURCE = new WeakMap<object, string>();

/** ` (line 4, column 3)` for JSON.parse's `at position N` (an editor shows lines, not offsets); '' without one. */
function lineAndColumn(text: string, message: string): string {
  const m = / at position (\d+)/.exec(message);
  if (m === null) return '';
  // positions count from after a byte order mark, which JSON.parse never saw
  const before = text.replace(/^\uFEFF/, '').slice(0, Number(m[1]));
  const lines = before.split('\n');
  return ` (line ${lines.length}, column ${lines.at(-1)!.length + 1})`;
}

/** Whether `patch` sets the dotted `field` (`store.slotMs`). */
function sets(patch: unknown, field: string): boolean {
  let v: unknown = patch;
  for (const k of field.split('.')) {
    if (!isObject(v) || !Object.hasOwn(v, k)) return false;
    v = v[k];
  }
  return true;
}

/** A value error of the merged configuration, naming the file whose value it is (the last patch to set the field). */
function namingSource(e: unknown, patches: readonly ConfigPatch[]): unknown {
  const field = isAppError(e) && e.code === 'CONFIG_INVALID' ? e.details?.['field'] : undefined;
  if (!isAppError(e) || typeof field !== 'string') return e;
  const last = [...patches].reverse().find((p) => sets(p, field));
  const path = last === undefined ? undefined : PATCH_SOURCE.get(last);
  if (path === undefined) return e;
  return new AppError(e.code, e.kind, e.message.replace(/^config: /, `config: ${path}: `), { ...e.details, path }, e);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A value for a message, cut short. */
function shown(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Keys that were replaced, and what to use instead. */
const REPLACED_KEYS: Record<string, string> = {
  'url.perHostPerMinute': "it is no longer read (a beacon's new URL every minute made a row a minute); use url.perHost, the flagged URLs of one host reported one by one, and url.hostQuietMinutes, after how long without a flagged URL a host starts afresh",
};

/** Sections that hold an object or null (off): null replaces them whole. */
const NULLABLE_SECTIONS = new Set(['syslog.tcp.tls', 'http.tls', 'assist.llm']);

/**
 * `patch` over `base`, key by key. A key the defaults do not have is an error, not ignored: a misspelt
 * `url.ignroe` would otherwise leave the operator's domains scored without a word. A section (an object
 * in the defaults) must be given as an object. `file`: where the patch came from, for the messages.
 */
function merge<T>(base: T, patch: unknown, path = '', file = ''): T {
  if (patch === undefined) return base;
  if (NULLABLE_SECTIONS.has(path) && patch !== null && !isObject(patch)) notAnObject(path, patch, [], file);
  if (!isObject(base) || (patch === null && NULLABLE_SECTIONS.has(path))) {
    wrongType(path, base, patch, file);
    return patch as T;
  }
  if (!isObject(patch)) notAnObject(path, patch, Object.keys(base), file);
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const at = path === '' ? k : `${path}.${k}`;
    if (!Object.hasOwn(out, k)) unknownKey(at, REPLACED_KEYS[at] ?? `${path === '' ? 'the top level' : path} has ${Object.keys(out).join(', ')}`, file);
    out[k] = merge(out[k], v, at, file);
  }
  return out as T;
}

/**
 * A setting whose default is a boolean, number, string or list given as another kind of value:
 * `"enabled": "no"` would count as true. (Settings whose default is null take more than one kind;
 * validation checks those.)
 */
function wrongType(at: string, base: unknown, patch: unknown, file: string): void {
  if (base === null || base === undefined || patch === null) return;
  const kind = (v: unknown): string => (Array.isArray(v) ? 'list' : typeof v === 'boolean' ? 'boolean' : typeof v);
  if (kind(base) === kind(patch)) return;
  const want = { boolean: 'true or false', number: 'a number', string: 'a string', list: 'a list [...]' }[kind(base)] ?? kind(base);
  throw new AppError('CONFIG_INVALID', 'bad_request', `config: ${file === '' ? '' : `${file}: `}${at} is ${shown(patch)}; expected ${want} (the default is ${shown(base)})`, { field: at });
}

function notAnObject(at: string, value: unknown, keys: string[], file: string): never {
  const where = file === '' ? '' : `${file}: `;
  if (at === '') throw new AppError('CONFIG_INVALID', 'bad_request', `config: ${where}the configuration is ${shown(value)}; expected an object of settings such as {"dataDir": "/var/lib/nml"}; pass one`, { field: '' });
  throw new AppError(
    'CONFIG_INVALID',
    'bad_request',
    `config: ${where}${at} is ${shown(value)}; expected an object${keys.length === 0 ? ' or null' : ` (with some of ${keys.join(', ')})`}; make it one, or remove ${at} for the defaults`,
    { field: at },
  );
}

function unknownKey(at: string, what: string, file: string): never {
  throw new AppError('CONFIG_INVALID', 'bad_request', `config: ${file === '' ? '' : `${file}: `}unknown key ${at}: ${what}; correct or remove it`, { field: at });
}

/** Applies patches in order, validates, and freezes the result. */
export function resolveConfig(...patches: ConfigPatch[]): Readonly<NmlConfig> {
  let c = defaultConfig();
  for (const p of patches) c = merge(c, p);
  // an endpoint given without a model (NML_ASSIST_LLM_URL alone) asks for the server's default one
  if (c.assist.llm !== null && c.assist.llm.model === undefined) c.assist.llm = { ...c.assist.llm, model: 'default' };
  try {
    validate(c);
  } catch (e) {
    throw namingSource(e, patches);
  }
  c.findings = { ...c.findings, notify: c.findings.notify.map((h) => webhookWithDefaults(h as Partial<WebhookConfig> & { url: string })) };
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
  const rp = c.store.relations.periodMs;
  if (!(rp >= 60_000 && rp <= 86_400_000 && 86_400_000 % rp === 0)) bad('store.relations.periodMs', rp, 'a divisor of one day between 1 min and 24 h');
  const bh = c.store.relations.rollupBlockHours;
  if (bh !== undefined && !(Array.isArray(bh) && bh.every((h) => Number.isInteger(h) && h >= 2 && h < 24 && 24 % h === 0))) {
    bad('store.relations.rollupBlockHours', bh, 'a list of block lengths in hours that divide a day (2, 3, 4, 6, 8 or 12); [] for none');
  }
  for (const k of ['rollupCheckMs', 'rollupSettleMs'] as const) {
    const v = c.store.relations[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) bad(`store.relations.${k}`, v, k === 'rollupCheckMs' ? 'milliseconds ≥ 0 (0: no day roll-ups)' : 'milliseconds ≥ 0');
  }
  if (!Number.isInteger(c.store.lanes) || c.store.lanes < 1 || c.store.lanes > 64) bad('store.lanes', c.store.lanes, 'an integer 1-64');
  if (!Number.isInteger(c.search.threads) || c.search.threads < 1 || c.search.threads > 256) bad('search.threads', c.search.threads, 'an integer 1-256');
  positive('store.highWaterLines', c.store.highWaterLines);
  if (c.store.highWaterBytes !== undefined) positive('store.highWaterBytes', c.store.highWaterBytes);
  positive('store.maxLinesPerCommit', c.store.maxLinesPerCommit);
  const r = c.store.retention;
  if (r.maxAgeMs !== null) positive('store.retention.maxAgeMs', r.maxAgeMs);
  if (r.maxBytes !== null) positive('store.retention.maxBytes', r.maxBytes);
  if (c.findings.maxAgeMs !== null) positive('findings.maxAgeMs', c.findings.maxAgeMs);
  checkWebhooks(c.findings.notify);
  // a timer's delay: Node takes at most 2^31 - 1 ms, and 0 for the retention check ran it every millisecond
  const wholeMs = (f: string, v: number, min: number, what: string): void => {
    if (!Number.isInteger(v) || v < min || v > 2_147_483_647) bad(f, v, `milliseconds, a whole number from ${min} to 2147483647 (${what})`);
  };
  wholeMs('store.sealIdleMs', c.store.sealIdleMs, 0, 'a closed slot\'s shard is sealed after this long without writes');
  wholeMs('store.retentionCheckMs', c.store.retentionCheckMs, 1000, 'how often retention runs');
  const hourAfter = c.store.hourShardsAfterMs;
  if (hourAfter !== null && hourAfter !== undefined) wholeMs('store.hourShardsAfterMs', hourAfter, 0, "a line of an hour that ended this long before it arrived goes to its lane's shard of the whole hour; null: never");
  const cp = { ...COMPACTION_DEFAULTS, ...c.store.compaction };
  wholeMs('store.compaction.checkMs', cp.checkMs, 0, "how often closed hours' shards are merged; 0: never");
  wholeMs('store.compaction.settleMs', cp.settleMs, 0, 'how long after its end an hour is merged');
  wholeMs('store.compaction.graceMs', cp.graceMs, 0, "how long a merge's sources stay on disk");
  wholeMs('store.compaction.pinIdleMs', cp.pinIdleMs, 0, 'an hour whose merge would refuse a pinned search read within this long waits; 0: never');
  if (!Number.isInteger(cp.maxRows) || cp.maxRows < 1 || cp.maxRows > 1e9) bad('store.compaction.maxRows', cp.maxRows, 'a whole number of lines from 1 to 1000000000 (busier hours are not merged)');
  if (!Number.isInteger(c.store.maxOpenShards) || c.store.maxOpenShards < 1 || c.store.maxOpenShards > 1024) bad('store.maxOpenShards', c.store.maxOpenShards, 'a whole number from 1 to 1024 (shards a writer lane keeps open)');
  // the UDP source's and the demo's own limits, said here rather than at start
  if (!Number.isInteger(c.syslog.udp.recvBufferSize) || c.syslog.udp.recvBufferSize < 1 || c.syslog.udp.recvBufferSize > 2 ** 30) bad('syslog.udp.recvBufferSize', c.syslog.udp.recvBufferSize, 'bytes, a whole number from 1 to 1073741824');
  const idle = c.syslog.tcp.idleTimeoutMs;
  if (!Number.isInteger(idle) || idle < 0 || idle > 2_147_483_647) bad('syslog.tcp.idleTimeoutMs', idle, 'milliseconds, a whole number from 0 (never) to 2147483647');
  const conns = c.syslog.tcp.maxConnections;
  if (!Number.isInteger(conns) || conns < 1 || conns > 1_000_000) bad('syslog.tcp.maxConnections', conns, 'a whole number from 1 to 1000000 (open connections at most)');
  const perAddress = c.syslog.tcp.maxConnectionsPerAddress;
  if (!Number.isInteger(perAddress) || perAddress < 1 || perAddress > 1_000_000) bad('syslog.tcp.maxConnectionsPerAddress', perAddress, 'a whole number from 1 to 1000000 (open connections from one address at most; above syslog.tcp.maxConnections it is that)');
  for (const key of ['bodyLimitBytes', 'ingestInFlightBytes'] as const) positive(`http.${key}`, c.http[key]);
  positive('http.sessions.idleMs', c.http.sessions.idleMs);
  positive('http.sessions.absoluteMs', c.http.sessions.absoluteMs);
  if (!Number.isInteger(c.http.loginPerMinute) || c.http.loginPerMinute < 1) bad('http.loginPerMinute', c.http.loginPerMinute, 'a positive integer');
  positive('http.tailExaminePerSecond', c.http.tailExaminePerSecond);
  for (const [key, v] of [['http.maxConnections', c.http.maxConnections], ['http.maxConnectionsPerAddress', c.http.maxConnectionsPerAddress]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 1_000_000) bad(key, v, 'a whole number from 1 to 1000000 (open HTTP connections at most)');
  }
  if (typeof c.http.secureCookies !== 'boolean' && c.http.secureCookies !== null) bad('http.secureCookies', c.http.secureCookies, 'true, false, or null (Secure when http.publicUrl is https)');
  if (!Array.isArray(c.http.trustProxy) || !c.http.trustProxy.every((a) => typeof a === 'string' && (parseIp(a) !== null || parseCidr(a) !== null))) {
    bad('http.trustProxy', c.http.trustProxy, 'a list of proxy addresses or CIDRs, such as ["127.0.0.1", "10.0.0.0/8"] (empty: no proxy)');
  }
  const publicUrlWhy = publicUrlProblem(c.http.publicUrl);
  if (publicUrlWhy !== null) bad('http.publicUrl', typeof c.http.publicUrl === 'string' ? urlWithoutSecrets(c.http.publicUrl) : c.http.publicUrl, publicUrlWhy);
  if (!(typeof c.demo.rate === 'number' && c.demo.rate > 0 && c.demo.rate <= 1_000_000)) bad('demo.rate', c.demo.rate, 'lines per second, above 0 and at most 1000000');
  for (const [f, v] of [['syn.model', c.syn.model], ['url.model', c.url.model], ['investigate.blocklistsDir', c.investigate.blocklistsDir], ['investigate.articlesDir', c.investigate.articlesDir], ['share.keyFile', c.share.keyFile]] as const) {
    if (v !== null && (typeof v !== 'string' || v === '')) bad(f, v, 'a path or null');
  }
  // share
  if (!Number.isInteger(c.share.maxExports) || c.share.maxExports < 1 || c.share.maxExports > 64) bad('share.maxExports', c.share.maxExports, 'a whole number from 1 to 64 (whole share exports at once, each a worker thread anonymizing its range)');
  if (!Number.isInteger(c.audit.retentionDays) || c.audit.retentionDays < 1 || c.audit.retentionDays > 36500) bad('audit.retentionDays', c.audit.retentionDays, 'whole days from 1 to 36500 (audit entries older than this are removed, hourly)');
  if (!Number.isInteger(c.audit.maxEntries) || c.audit.maxEntries < 1000) bad('audit.maxEntries', c.audit.maxEntries, 'a whole number ≥ 1000 (past it the oldest audit entries go, failed logins first, and that removal is recorded)');
  if (typeof c.watches.enabled !== 'boolean') bad('watches.enabled', c.watches.enabled, 'true or false (whether nml serve counts the watches)');
  if (!Number.isInteger(c.watches.max) || c.watches.max < 1 || c.watches.max > 10_000) bad('watches.max', c.watches.max, 'a whole number from 1 to 10000 (watches at most; each is one count of its window every `every`)');
  if (!Number.isFinite(c.syn.speed) || c.syn.speed < 0) bad('syn.speed', c.syn.speed, 'a number ≥ 0 (0 = as fast as possible)');
  if (c.url.threshold !== null && !(typeof c.url.threshold === 'number' && c.url.threshold > 0 && c.url.threshold <= 1)) bad('url.threshold', c.url.threshold, 'a score in (0, 1] or null (the model\'s)');
  if (typeof c.url.live !== 'boolean') bad('url.live', c.url.live, 'true or false');
  if (typeof c.url.tlsNames !== 'boolean') bad('url.tlsNames', c.url.tlsNames, 'true or false');
  if (!Array.isArray(c.url.ignore) || !c.url.ignore.every((d) => typeof d === 'string' && /^(\*\.)?[^\s/:*]+$/.test(d))) bad('url.ignore', c.url.ignore, 'a list of domains such as "example.com" or "*.example.com" (a domain covers its subdomains)');
  for (const d of c.url.ignore) {
    const why = ignoredDomainProblem(d);
    if (why !== null) bad('url.ignore', d, why);
  }
  if (c.syn.pcap !== null && (typeof c.syn.pcap !== 'string' || c.syn.pcap === '')) bad('syn.pcap', c.syn.pcap, 'a capture file path or null');
  if (c.syn.interface !== null && (typeof c.syn.interface !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,63}$/.test(c.syn.interface))) bad('syn.interface', c.syn.interface, 'an interface name (e.g. eth0) or null');
  if (c.syn.interface !== null && c.syn.pcap !== null) bad('syn.interface', c.syn.interface, 'null when syn.pcap is set (one source for the live board)');
  if (c.syn.threshold !== null && !(typeof c.syn.threshold === 'number' && c.syn.threshold > 0 && c.syn.threshold <= 1)) bad('syn.threshold', c.syn.threshold, 'a score in (0, 1] or null (the model\'s)');
  if (!Number.isInteger(c.syn.findingsPerMinute) || c.syn.findingsPerMinute < 1) bad('syn.findingsPerMinute', c.syn.findingsPerMinute, 'a whole number ≥ 1 (findings reported one by one per minute before the rest are summed)');
  if (!Number.isInteger(c.syn.fewSynFindingsPerMinute) || c.syn.fewSynFindingsPerMinute < 0 || c.syn.fewSynFindingsPerMinute > c.syn.findingsPerMinute) bad('syn.fewSynFindingsPerMinute', c.syn.fewSynFindingsPerMinute, 'a whole number from 0 to syn.findingsPerMinute (hosts of 1–2 SYNs reported one by one per minute; 0: each is summed into its flood or its port\'s wave)');
  if (!Number.isInteger(c.url.perHost) || c.url.perHost < 1) bad('url.perHost', c.url.perHost, "a whole number ≥ 1 (a host's flagged URLs reported one by one before the rest are summed)");
  positive('url.hostQuietMinutes', c.url.hostQuietMinutes);
  if (typeof c.syn.keepFindingsHours !== 'number' || !Number.isFinite(c.syn.keepFindingsHours) || c.syn.keepFindingsHours < 0 || c.syn.keepFindingsHours > 24 * 90) bad('syn.keepFindingsHours', c.syn.keepFindingsHours, 'hours from 0 to 2160 (how long a finding host stays viewable on the Hosts page after its last SYN)');
  if (!Number.isInteger(c.syn.maxKeptFindings) || c.syn.maxKeptFindings < 0 || c.syn.maxKeptFindings > 100_000) bad('syn.maxKeptFindings', c.syn.maxKeptFindings, 'a whole number from 0 to 100000 (finding hosts kept viewable after they leave the live board, about 25 kB each)');
  if (!Array.isArray(c.syn.ignore)) bad('syn.ignore', c.syn.ignore, 'a list of source addresses or prefixes such as "10.20.0.5" or "10.20.0.0/16"');
  for (const e of c.syn.ignore) {
    if (typeof e !== 'string' || (parseIp(e) === null && parseCidr(e) === null)) bad('syn.ignore', e, 'an IPv4 or IPv6 address, or address/prefix such as "10.20.0.0/16" or "2001:db8::/48"');
  }
  if (c.syn.tcpdump !== null && (typeof c.syn.tcpdump !== 'string' || c.syn.tcpdump === '')) bad('syn.tcpdump', c.syn.tcpdump, 'the path of tcpdump or null (found on the PATH)');
  if (!Array.isArray(c.files.follow)) bad('files.follow', c.files.follow, 'a list of file paths, or of { "path": …, "host": … }');
  c.files.follow.forEach((f, i) => {
    const want = followEntryProblem(f);
    if (want !== null) bad(`files.follow[${i}]`, f, want);
  });
  const llm = c.assist.llm;
  // a nullable section is taken whole from the file, so its keys are checked here: `modle` would
  // otherwise leave the model at its default without a word
  const onlyKeys = (section: string, value: object | null, keys: readonly string[]): void => {
    for (const k of Object.keys(value ?? {})) if (!keys.includes(k)) bad(`${section}.${k}`, (value as Record<string, unknown>)[k], `no such key: ${section} has ${keys.join(', ')}`);
  };
  onlyKeys('assist.llm', llm, ['url', 'model']);
  onlyKeys('syslog.tcp.tls', c.syslog.tcp.tls, ['certFile', 'keyFile', 'caFile']);
  onlyKeys('http.tls', c.http.tls, ['certFile', 'keyFile']);
  for (const k of ['certFile', 'keyFile'] as const) {
    const v = c.http.tls?.[k];
    if (c.http.tls != null && (typeof v !== 'string' || v === '')) bad(`http.tls.${k}`, v, `the path of the PEM ${k === 'certFile' ? 'certificate (chain)' : 'private key'} the web UI and API are served with (both certFile and keyFile), or http.tls: null for plain HTTP`);
  }
  const caFile = c.syslog.tcp.tls?.caFile;
  // `null` or "" could be read as "no client certificates": that must be said by leaving the key out
  if (caFile !== undefined && (typeof caFile !== 'string' || caFile === '')) bad('syslog.tcp.tls.caFile', caFile, "the path of the PEM file of the CA that signs the clients' certificates (mutual TLS: a client without one is refused), or no caFile to accept clients without a certificate");
  if (llm !== null && (typeof llm.url !== 'string' || !/^https?:\/\/\S+$/.test(llm.url))) bad('assist.llm.url', typeof llm.url === 'string' ? urlWithoutSecrets(llm.url) : llm.url, 'an http(s) URL of an OpenAI-compatible endpoint (assist.llm.url in the file, or NML_ASSIST_LLM_URL; shown without its query or user, which may hold a key)');
  if (llm !== null && (typeof llm.model !== 'string' || llm.model === '')) bad('assist.llm.model', llm.model, 'a model name');
  for (const k of ['sources', 'datasets', 'calendar'] as const) if (c.trends[k] !== null && (typeof c.trends[k] !== 'string' || c.trends[k] === '')) bad(`trends.${k}`, c.trends[k], 'a path or null');
  checkBackupConfig(c);
  if (!/^(UTC|[+-](0\d|1[0-4]):?[0-5]\d)$/.test(c.parse.timeZone)) bad('parse.timeZone', c.parse.timeZone, "'UTC' or an offset like +09:00");
}

/** `findings.notify`: a list of webhooks, each checked without its URL's path or its headers' values in the message. */
function checkWebhooks(list: unknown): void {
  if (!Array.isArray(list)) throw new AppError('CONFIG_INVALID', 'bad_request', 'config: findings.notify is not a list; give a list of webhooks such as [{"url": "https://…"}], or [] for none', { field: 'findings.notify' });
  list.forEach((hook, i) => {
    const p = webhookProblem(hook, i);
    // the field for namingSource is the list's: a file sets `findings.notify`, not one entry of it
    if (p !== null) throw new AppError('CONFIG_INVALID', 'bad_request', `config: ${p.message}`, { field: 'findings.notify', entry: p.field });
  });
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
