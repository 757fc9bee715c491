/** Configuration checks: a wrong value, section, file or environment variable names where it is and what is expected. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError } from './core/index.js';
import { refusing } from './core/testing/refused-fs.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filePatch, resolveConfig, sessionCookiesSecure } from './config.js';
import { envLogLevel, envPatch, unknownEnvNames } from './config-env.js';
import type { ConfigPatch } from './config-types.js';

const invalid = (field: string) => (e: unknown) => isAppError(e) && e.code === 'CONFIG_INVALID' && e.message.includes(field);

test('syn.interface: a name, not both it and a capture file; syn.tcpdump a path', () => {
  assert.equal(resolveConfig({ syn: { interface: 'eth0' } }).syn.interface, 'eth0');
  assert.equal(resolveConfig({}).syn.interface, null);
  assert.throws(() => resolveConfig({ syn: { interface: 'eth0 ; reboot' } }), invalid('syn.interface'));
  assert.throws(() => resolveConfig({ syn: { interface: 'eth0', pcap: 'x.pcap' } }), invalid('syn.interface'));
  assert.throws(() => resolveConfig({ syn: { tcpdump: '' } }), invalid('syn.tcpdump'));
});

test('store.relations roll-up timings are milliseconds ≥ 0', () => {
  assert.equal(resolveConfig({ store: { relations: { rollupCheckMs: 0 } } }).store.relations.rollupCheckMs, 0);
  assert.throws(() => resolveConfig({ store: { relations: { rollupCheckMs: -1 } } }), invalid('store.relations.rollupCheckMs'));
  assert.throws(() => resolveConfig({ store: { relations: { rollupSettleMs: 1.5 } } }), invalid('store.relations.rollupSettleMs'));
});

test('syn.ignore: addresses and prefixes, else a clear error naming the entry', () => {
  assert.deepEqual(resolveConfig({}).syn.ignore, []);
  assert.deepEqual(resolveConfig({ syn: { ignore: ['10.20.0.5', '10.20.0.0/16', '2001:db8::/48'] } }).syn.ignore, ['10.20.0.5', '10.20.0.0/16', '2001:db8::/48']);
  assert.throws(() => resolveConfig({ syn: { ignore: ['scanner.corp.example'] } }), (e: Error) => /syn\.ignore is "scanner\.corp\.example"; expected an IPv4 or IPv6 address/.test(e.message));
  assert.throws(() => resolveConfig({ syn: { ignore: ['10.0.0.0/33'] } }), invalid('syn.ignore'));
  assert.throws(() => resolveConfig({ syn: { ignore: '10.0.0.1' as unknown as string[] } }), invalid('syn.ignore'));
});

test('findings budgets: whole numbers ≥ 1, defaults 60 (syn) and 3 (url per host, afresh after 60 quiet minutes)', () => {
  assert.equal(resolveConfig({}).syn.findingsPerMinute, 60);
  assert.equal(resolveConfig({}).url.perHost, 3);
  assert.equal(resolveConfig({}).url.hostQuietMinutes, 60);
  assert.equal(resolveConfig({ syn: { findingsPerMinute: 200 } }).syn.findingsPerMinute, 200);
  assert.throws(() => resolveConfig({ syn: { findingsPerMinute: 0 } }), invalid('syn.findingsPerMinute'));
  assert.equal(resolveConfig({}).syn.fewSynFindingsPerMinute, 0, 'hosts of 1–2 SYNs are summed by default');
  assert.equal(resolveConfig({ syn: { fewSynFindingsPerMinute: 20 } }).syn.fewSynFindingsPerMinute, 20);
  assert.throws(() => resolveConfig({ syn: { fewSynFindingsPerMinute: -1 } }), invalid('syn.fewSynFindingsPerMinute'));
  assert.throws(() => resolveConfig({ syn: { fewSynFindingsPerMinute: 61 } }), invalid('syn.fewSynFindingsPerMinute'));
  assert.deepEqual([resolveConfig({}).syn.keepFindingsHours, resolveConfig({}).syn.maxKeptFindings], [24, 2000]);
  assert.equal(resolveConfig({ syn: { keepFindingsHours: 0.5, maxKeptFindings: 0 } }).syn.keepFindingsHours, 0.5);
  assert.throws(() => resolveConfig({ syn: { keepFindingsHours: -1 } }), invalid('syn.keepFindingsHours'));
  assert.throws(() => resolveConfig({ syn: { maxKeptFindings: 1.5 } }), invalid('syn.maxKeptFindings'));
  assert.throws(() => resolveConfig({ url: { perHost: 2.5 } }), invalid('url.perHost'));
  assert.throws(() => resolveConfig({ url: { hostQuietMinutes: 0 } }), invalid('url.hostQuietMinutes'));
  // the key it replaced is not silently ignored
  assert.throws(() => resolveConfig({ url: { perHostPerMinute: 10 } as object }), (e: Error) => /unknown key url\.perHostPerMinute: it is no longer read.*url\.perHost\b.*url\.hostQuietMinutes/.test(e.message));
});

test('a key the configuration does not have is an error that names it and the keys there are', () => {
  assert.throws(() => resolveConfig({ url: { ignroe: ['corp.example'] } as object }), (e: unknown) => invalid('url.ignroe')(e) && /url has live, threshold, model, ignore,/.test((e as Error).message));
  assert.throws(() => resolveConfig({ dataDri: '/x' } as object), (e: unknown) => invalid('dataDri')(e) && /the top level has dataDir, store,/.test((e as Error).message));
  assert.throws(() => resolveConfig({ store: { relations: { periodMS: 60_000 } } } as object), invalid('store.relations.periodMS'));
  // values that replace a null default or a list are taken whole
  const c = resolveConfig({ syslog: { tcp: { tls: { certFile: 'c.pem', keyFile: 'k.pem', caFile: 'ca.pem' } } }, assist: { llm: { url: 'http://127.0.0.1:8000/v1', model: 'm' } } });
  assert.equal(c.syslog.tcp.tls?.caFile, 'ca.pem');
  assert.equal(c.assist.llm?.model, 'm');
});

test('a setting given as another kind of value than its default is an error: "enabled": "no" would count as true', () => {
  assert.throws(
    () => resolveConfig({ trends: { enabled: 'no' } } as object),
    (e: unknown) => invalid('trends.enabled')(e) && /trends\.enabled is "no"; expected true or false \(the default is false\)/.test((e as Error).message),
  );
  assert.throws(() => resolveConfig({ http: { port: '8823' } } as object), (e: unknown) => invalid('http.port')(e) && /expected a number/.test((e as Error).message));
  assert.throws(() => resolveConfig({ http: { host: 127 } } as object), invalid('http.host'));
  assert.throws(() => resolveConfig({ url: { ignore: 'example.com' } } as object), (e: unknown) => invalid('url.ignore')(e) && /expected a list/.test((e as Error).message));
  // a setting whose default is null takes its own kinds, checked by validation
  assert.equal(resolveConfig({ url: { threshold: 0.99 } }).url.threshold, 0.99);
  assert.equal(resolveConfig({ syn: { model: 'm.json' } }).syn.model, 'm.json');
});

test('url.ignore: a list of domains, else a clear error', () => {
  assert.deepEqual(resolveConfig({}).url.ignore, []);
  assert.deepEqual(resolveConfig({ url: { ignore: ['example.com', '*.corp.example'] } }).url.ignore, ['example.com', '*.corp.example']);
  assert.throws(() => resolveConfig({ url: { ignore: ['https://example.com/'] } }), invalid('url.ignore'));
  assert.throws(() => resolveConfig({ url: { ignore: 'example.com' as unknown as string[] } }), invalid('url.ignore'));
  // a Unicode domain is taken (the matcher reads it in punycode); a bare top-level label or no domain is refused, naming the entry
  assert.deepEqual(resolveConfig({ url: { ignore: ['bücher.de', 'xn--mnchen-3ya.de', 'www.example.org.'] } }).url.ignore, ['bücher.de', 'xn--mnchen-3ya.de', 'www.example.org.']);
  for (const entry of ['com', '*.com', '.com.', 'a..b', 'exa$mple.com', '-x.com']) {
    assert.throws(() => resolveConfig({ url: { ignore: ['example.com', entry] } }), (e: unknown) => invalid('url.ignore')(e) && (e as Error).message.includes(`url.ignore is ${JSON.stringify(entry)}; expected a domain`), entry);
  }
  assert.match(String((() => { try { resolveConfig({ url: { ignore: ['com'] } }); } catch (e) { return (e as Error).message; } })()), /two labels or more/);
});

test('url.threshold: null takes the model threshold, else a score in (0, 1]', () => {
  assert.equal(resolveConfig({}).url.threshold, null);
  assert.equal(resolveConfig({ url: { threshold: 0.99 } }).url.threshold, 0.99);
  assert.throws(() => resolveConfig({ url: { threshold: 0 } }), invalid('url.threshold'));
  assert.throws(() => resolveConfig({ url: { threshold: 2 } }), invalid('url.threshold'));
});

test('syn.threshold: null takes the model threshold, else a score in (0, 1]', () => {
  assert.equal(resolveConfig({}).syn.threshold, null);
  assert.equal(resolveConfig({ syn: { threshold: 0.99 } }).syn.threshold, 0.99);
  assert.throws(() => resolveConfig({ syn: { threshold: 0 } }), invalid('syn.threshold'));
  assert.throws(() => resolveConfig({ syn: { threshold: 1.5 } }), invalid('syn.threshold'));
});

test('store.relations.rollupBlockHours: block lengths that divide a day', () => {
  assert.deepEqual(resolveConfig({ store: { relations: { rollupBlockHours: [6] } } }).store.relations.rollupBlockHours, [6]);
  assert.deepEqual(resolveConfig({ store: { relations: { rollupBlockHours: [] } } }).store.relations.rollupBlockHours, []);
  assert.throws(() => resolveConfig({ store: { relations: { rollupBlockHours: [5] } } }), invalid('store.relations.rollupBlockHours'));
  assert.throws(() => resolveConfig({ store: { relations: { rollupBlockHours: [1] } } }), invalid('store.relations.rollupBlockHours'));
});

test('a section given as null or a scalar is an error naming the file and the key path, not a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-config-'));
  try {
    const file = join(dir, 'nml.json');
    const cases: [string, string][] = [
      ['{"store":null}', 'store is null'],
      ['{"syslog":{"udp":null}}', 'syslog.udp is null'],
      ['{"trends":null}', 'trends is null'],
      ['{"assist":null}', 'assist is null'],
      ['{"http":5}', 'http is 5'],
      ['{"url":"x"}', 'url is "x"'],
      ['{"store":{"retention":[1]}}', 'store.retention is [1]'],
      ['{"assist":{"llm":5}}', 'assist.llm is 5'],
    ];
    for (const [text, what] of cases) {
      writeFileSync(file, text);
      assert.throws(() => resolveConfig(filePatch(file)), (e: unknown) => invalid(what)(e) && (e as Error).message.includes(file) && /expected an object/.test((e as Error).message), text);
      // from code (flags) too, without a file to name
      assert.throws(() => resolveConfig(JSON.parse(text) as ConfigPatch), (e: unknown) => invalid(`${what}; expected an object`)(e), text);
    }
    for (const text of ['null', '[1,2]', '"x"', '3']) {
      writeFileSync(file, text);
      assert.throws(() => filePatch(file), (e: unknown) => invalid(`${file} holds ${text}; expected a JSON object`)(e), text);
    }
    assert.throws(() => resolveConfig(null as unknown as ConfigPatch), invalid('expected an object'));
    // null stays allowed where it means off
    writeFileSync(file, '{"assist":{"llm":null},"syslog":{"tcp":{"tls":null}}}');
    assert.equal(resolveConfig(filePatch(file)).assist.llm, null);
    assert.equal(resolveConfig({ assist: { llm: { url: 'http://h/v1', model: 'm' } } }, { assist: { llm: null } }).assist.llm, null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a config file that starts with a UTF-8 byte order mark is read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-config-'));
  try {
    const file = join(dir, 'nml.json');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"dataDir":"/srv/nml","http":{"port":9000}}')]));
    const c = resolveConfig(filePatch(file));
    assert.equal(c.dataDir, '/srv/nml');
    assert.equal(c.http.port, 9000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a wrong environment variable is an error naming it, its value and what it takes', () => {
  const env = (name: string, value: string, want: RegExp) =>
    assert.throws(() => envPatch({ [name]: value }), (e: unknown) => invalid(`environment variable ${name} is ${JSON.stringify(value)}; expected`)(e) && want.test((e as Error).message), `${name}=${value}`);
  env('NML_HTTP_PORT', 'abc', /a port 0-65535/);
  env('NML_HTTP_PORT', '70000', /a port 0-65535/);
  env('NML_HTTP_PORT', '0x50', /a port 0-65535/);
  env('NML_SYSLOG_PORT', '-1', /a port 0-65535/);
  env('NML_RETENTION_DAYS', '-1', /days > 0/);
  env('NML_RETENTION_DAYS', 'ten', /days > 0/);
  env('NML_RETENTION_GB', '0', /gigabytes > 0/);
  env('NML_SLOT_SECONDS', '7', /divide a day/);
  env('NML_SLOT_SECONDS', 'Infinity', /divide a day/);
  env('NML_ASSIST_LLM_URL', 'localhost:8000', /http\(s\) URL/);
  env('NML_FINDINGS_RETENTION_DAYS', '0', /days > 0/);
  // good values still apply
  const c = resolveConfig(envPatch({ NML_HTTP_PORT: '9001', NML_SYSLOG_PORT: '1514', NML_RETENTION_DAYS: '1.5', NML_RETENTION_GB: '2', NML_SLOT_SECONDS: '300', NML_ASSIST_LLM_URL: 'http://127.0.0.1:8000/v1' }));
  assert.equal(c.http.port, 9001);
  assert.equal(c.syslog.tcp.port, 1514);
  assert.equal(c.store.retention.maxAgeMs, 1.5 * 86_400_000);
  assert.equal(c.store.retention.maxBytes, 2e9);
  assert.equal(c.store.slotMs, 300_000);
  assert.equal(c.assist.llm?.url, 'http://127.0.0.1:8000/v1');
  assert.equal(resolveConfig(envPatch({ NML_FINDINGS_RETENTION_DAYS: '365' })).findings.maxAgeMs, 365 * 86_400_000);
});

test('NML_LOG_LEVEL: one of pino\'s levels in any case, unset or empty is info; anything else is an error naming the levels', () => {
  assert.equal(envLogLevel({}), 'info');
  assert.equal(envLogLevel({ NML_LOG_LEVEL: '' }), 'info', 'empty is unset, as for every NML_ variable');
  assert.equal(envLogLevel({ NML_LOG_LEVEL: 'DEBUG' }), 'debug');
  assert.equal(envLogLevel({ NML_LOG_LEVEL: 'silent' }), 'silent');
  for (const v of ['bogus', ' ', 'verbose', '30']) {
    const want = invalid(`environment variable NML_LOG_LEVEL is ${JSON.stringify(v)}; expected one of fatal, error, warn, info, debug, trace, silent (unset: info); fix or unset it`);
    assert.throws(() => envLogLevel({ NML_LOG_LEVEL: v }), want, v);
    // checked where every variable is: any command that reads the configuration refuses it
    assert.throws(() => envPatch({ NML_LOG_LEVEL: v }), want, v);
  }
});

test('NML_ variables that nothing reads are named, with the setting they most look like', () => {
  const env = { NML_RETENTON_DAYS: '30', NML_HTTP_PORT: '9000', NML_ASSIST_LLM_KEY: 'k', NML_LOG_LEVEL: 'debug', NML_BENCH_LINES: '5', NML_WHATEVER_ELSE: 'x', PATH: '/bin' };
  assert.deepEqual(unknownEnvNames(env), [
    { name: 'NML_RETENTON_DAYS', like: 'NML_RETENTION_DAYS' },
    { name: 'NML_WHATEVER_ELSE', like: null },
  ]);
  assert.deepEqual(unknownEnvNames({ NML_DATA: '/srv' }), []);
});

test('store.highWaterBytes: 256 MiB by default; a positive number', () => {
  assert.equal(resolveConfig({}).store.highWaterBytes, 256 * 1024 * 1024);
  assert.equal(resolveConfig({ store: { highWaterBytes: 1e8 } }).store.highWaterBytes, 1e8);
  assert.throws(() => resolveConfig({ store: { highWaterBytes: 0 } }), invalid('store.highWaterBytes'));
});

test('findings.maxAgeMs: kept for ever by default; a positive number of milliseconds', () => {
  assert.equal(resolveConfig({}).findings.maxAgeMs, null);
  assert.equal(resolveConfig({ findings: { maxAgeMs: 86_400_000 } }).findings.maxAgeMs, 86_400_000);
  assert.throws(() => resolveConfig({ findings: { maxAgeMs: -5 } }), invalid('findings.maxAgeMs'));
  assert.throws(() => resolveConfig({ findings: { maxAgeMs: '30' as unknown as number } }), invalid('findings.maxAgeMs'));
});

test('http.trustProxy: proxy addresses or CIDRs, none by default', () => {
  assert.deepEqual(resolveConfig({}).http.trustProxy, []);
  assert.deepEqual(resolveConfig({ http: { trustProxy: ['127.0.0.1', '10.0.0.0/8', '::1'] } }).http.trustProxy, ['127.0.0.1', '10.0.0.0/8', '::1']);
  assert.throws(() => resolveConfig({ http: { trustProxy: ['proxy.corp'] } }), invalid('http.trustProxy'));
  assert.throws(() => resolveConfig({ http: { trustProxy: true as unknown as string[] } }), invalid('http.trustProxy'));
});

test('syslog.tcp.maxConnections and maxConnectionsPerAddress: 1000 and 64 by default, else a clear error', () => {
  const d = resolveConfig({}).syslog.tcp;
  assert.deepEqual([d.maxConnections, d.maxConnectionsPerAddress], [1000, 64]);
  assert.equal(resolveConfig({ syslog: { tcp: { maxConnections: 10, maxConnectionsPerAddress: 10 } } }).syslog.tcp.maxConnectionsPerAddress, 10);
  assert.throws(() => resolveConfig({ syslog: { tcp: { maxConnections: 0 } } }), invalid('syslog.tcp.maxConnections'));
  assert.equal(resolveConfig({ syslog: { tcp: { maxConnections: 10 } } }).syslog.tcp.maxConnections, 10, 'a total below the per-address default is allowed: it binds first');
  assert.throws(() => resolveConfig({ syslog: { tcp: { maxConnectionsPerAddress: 1.5 } } }), invalid('syslog.tcp.maxConnectionsPerAddress'));
});

test('syslog.tcp.idleTimeoutMs: 10 minutes by default, 0 for never, else a clear error', () => {
  assert.equal(resolveConfig({}).syslog.tcp.idleTimeoutMs, 600_000);
  assert.equal(resolveConfig({ syslog: { tcp: { idleTimeoutMs: 0 } } }).syslog.tcp.idleTimeoutMs, 0);
  assert.throws(() => resolveConfig({ syslog: { tcp: { idleTimeoutMs: -1 } } }), invalid('syslog.tcp.idleTimeoutMs'));
  assert.throws(() => resolveConfig({ syslog: { tcp: { idleTimeoutMs: 1.5 } } }), invalid('syslog.tcp.idleTimeoutMs'));
});

test('the LLM variables each set their own field over the file; thresholds must be numbers; a zone offset within ±14:59', () => {
  const file = { assist: { llm: { url: 'http://10.0.0.5:8000/v1', model: 'llama-3-70b' } } };
  assert.deepEqual(resolveConfig(file, envPatch({ NML_ASSIST_LLM_URL: 'http://127.0.0.1:9000/v1' })).assist.llm, { url: 'http://127.0.0.1:9000/v1', model: 'llama-3-70b' });
  assert.deepEqual(resolveConfig(file, envPatch({ NML_ASSIST_LLM_MODEL: 'qwen' })).assist.llm, { url: 'http://10.0.0.5:8000/v1', model: 'qwen' });
  assert.deepEqual(resolveConfig(envPatch({ NML_ASSIST_LLM_URL: 'http://127.0.0.1:9000/v1' })).assist.llm, { url: 'http://127.0.0.1:9000/v1', model: 'default' });
  assert.throws(() => resolveConfig(envPatch({ NML_ASSIST_LLM_MODEL: 'qwen' })), /assist\.llm\.url .*NML_ASSIST_LLM_URL/);
  // a key in a bad endpoint's query is never echoed in the error (it reaches logs and terminals)
  const secret = 'https://api.example/v1?key=SECRET-123 x';
  for (const patch of [() => envPatch({ NML_ASSIST_LLM_URL: secret }), () => ({ assist: { llm: { url: secret, model: 'm' } } })]) {
    assert.throws(
      () => resolveConfig(patch()),
      (e: Error) => /assist\.llm\.url|NML_ASSIST_LLM_URL/.test(e.message) && e.message.includes('https://api.example/v1?…') && !e.message.includes('SECRET'),
    );
  }
  assert.throws(() => resolveConfig({ url: { threshold: '0.9' as unknown as number } }), invalid('url.threshold'));
  assert.throws(() => resolveConfig({ syn: { threshold: true as unknown as number } }), invalid('syn.threshold'));
  assert.throws(() => resolveConfig({ parse: { timeZone: '+99:99' } }), invalid('parse.timeZone'));
  assert.equal(resolveConfig({ parse: { timeZone: '+09:00' } }).parse.timeZone, '+09:00');
});

test('keys of the sections taken whole from the file (assist.llm, syslog.tcp.tls) are checked too', () => {
  assert.throws(() => resolveConfig({ assist: { llm: { url: 'http://127.0.0.1:8000/v1', modle: 'qwen' } as unknown as { url: string; model: string } } }), (e: Error) => invalid('assist.llm.modle')(e) && /assist\.llm has url, model/.test(e.message));
  assert.throws(() => resolveConfig({ syslog: { tcp: { tls: { certFile: 'a', keyFile: 'b', cafile: 'c' } as unknown as { certFile: string; keyFile: string } } } }), invalid('syslog.tcp.tls.cafile'));
  assert.deepEqual(resolveConfig({ assist: { llm: { url: 'http://127.0.0.1:8000/v1' } as unknown as { url: string; model: string } } }).assist.llm, { url: 'http://127.0.0.1:8000/v1', model: 'default' });
});

test('syslog.tcp.tls.caFile (mutual tls) is a path or left out: null or "" is no way to say "no client certificates"', () => {
  const tls = (caFile: unknown) => ({ syslog: { tcp: { tls: { certFile: 'c.pem', keyFile: 'k.pem', caFile } as unknown as { certFile: string; keyFile: string } } } });
  assert.equal(resolveConfig(tls('ca.pem')).syslog.tcp.tls?.caFile, 'ca.pem');
  assert.equal(resolveConfig({ syslog: { tcp: { tls: { certFile: 'c.pem', keyFile: 'k.pem' } } } }).syslog.tcp.tls?.caFile, undefined);
  for (const v of [null, '', 5]) assert.throws(() => resolveConfig(tls(v)), (e: Error) => invalid('syslog.tcp.tls.caFile')(e) && /mutual TLS: a client without one is refused/.test(e.message));
});

test('a value out of range names the config file it came from, and a JSON syntax error its line and column', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-config-'));
  try {
    const file = join(dir, 'nml.json');
    writeFileSync(file, '{"store": {"slotMs": 7000}, "http": {"port": 8080}}');
    assert.throws(
      () => resolveConfig(filePatch(file)),
      (e) => isAppError(e) && e.message === `config: ${file}: store.slotMs is 7000; expected a divisor of one day between 1 s and 24 h` && e.details?.['path'] === file,
    );
    // set again later (a flag, the environment): the error is that value's, not the file's
    assert.throws(() => resolveConfig(filePatch(file), { store: { slotMs: 7001 } } as ConfigPatch), (e) => isAppError(e) && e.message === 'config: store.slotMs is 7001; expected a divisor of one day between 1 s and 24 h');
    writeFileSync(file, '{\n  "store": {\n    "slotMs": 60000,\n  }\n}\n');
    assert.throws(() => filePatch(file), (e) => isAppError(e) && /is not valid JSON: .* \(line 4, column 3\)$/.test(e.message));
    writeFileSync(file, '\uFEFF{\n"http": {"port" 9}}');
    assert.throws(() => filePatch(file), (e) => isAppError(e) && /\(line 2, column 17\)$/.test(e.message), 'counted after a byte order mark');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a --config file that will not read says why in words and what to do, not node\'s "ENOENT: no such file or directory, open …"', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-config-'));
  const said = (path: string): { kind: string; message: string } => {
    try {
      filePatch(path);
    } catch (e) {
      assert.ok(isAppError(e) && e.code === 'CONFIG_INVALID', String(e));
      return { kind: e.kind, message: e.message };
    }
    assert.fail(`${path} was read`);
  };
  try {
    const missing = join(dir, 'missing.json');
    assert.deepEqual(said(missing), { kind: 'bad_request', message: `config: cannot read ${missing}: there is no such file; check the path given to --config (a relative one is read from the folder nml runs in)` });
    assert.deepEqual(said(join(dir, 'missing', 'nml.json')).kind, 'bad_request');
    mkdirSync(join(dir, 'conf'));
    assert.deepEqual(said(join(dir, 'conf')), {
      kind: 'bad_request',
      message: `config: cannot read ${join(dir, 'conf')}: it is a folder, and a configuration is one JSON file of settings; give --config the JSON file (docs/configuration.md)`,
    });
    const locked = join(dir, 'locked.json');
    writeFileSync(locked, '{}');
    assert.deepEqual(refusing('readFileSync', locked, 'EACCES', () => said(locked)), { kind: 'unavailable', message: `config: cannot read ${locked}: permission denied; make it readable by the user nml runs as` });
    assert.deepEqual(refusing('readFileSync', locked, 'EIO', () => said(locked)), { kind: 'unavailable', message: `config: cannot read ${locked}: input/output error; check the file and the disk it is on` });
    for (const m of [said(missing).message, said(join(dir, 'conf')).message]) assert.doesNotMatch(m, /ENOENT|EISDIR|open '/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('timers, open shards, the UDP buffer, the demo rate and the model and folder paths are checked with the rest', () => {
  const refused = (patch: ConfigPatch, field: string): void =>
    assert.throws(() => resolveConfig(patch), (e) => isAppError(e) && e.details?.['field'] === field && e.message.startsWith(`config: ${field} is `), field);
  refused({ store: { retentionCheckMs: 0 } } as ConfigPatch, 'store.retentionCheckMs');
  refused({ store: { sealIdleMs: -1 } } as ConfigPatch, 'store.sealIdleMs');
  refused({ store: { maxOpenShards: 0 } } as ConfigPatch, 'store.maxOpenShards');
  refused({ store: { hourShardsAfterMs: -1 } } as ConfigPatch, 'store.hourShardsAfterMs');
  refused({ store: { hourShardsAfterMs: 1.5 } } as ConfigPatch, 'store.hourShardsAfterMs');
  assert.equal(resolveConfig({ store: { hourShardsAfterMs: null } } as ConfigPatch).store.hourShardsAfterMs, null);
  assert.equal(resolveConfig({}).store.hourShardsAfterMs, 600_000);
  refused({ syslog: { udp: { recvBufferSize: 2 ** 31 } } } as ConfigPatch, 'syslog.udp.recvBufferSize');
  refused({ demo: { rate: 2_000_000 } } as ConfigPatch, 'demo.rate');
  refused({ url: { model: 5 } } as unknown as ConfigPatch, 'url.model');
  refused({ investigate: { articlesDir: '' } } as ConfigPatch, 'investigate.articlesDir');
  const ok = resolveConfig({ store: { sealIdleMs: 0, retentionCheckMs: 1000, maxOpenShards: 8 }, url: { model: 'models/url/bob' } } as ConfigPatch);
  assert.equal(ok.store.retentionCheckMs, 1000);
});

test('findings.notify: webhooks with their defaults; a bad one names its key and what to do, never its URL path or header values', () => {
  assert.deepEqual(resolveConfig({}).findings.notify, []);
  const secret = 'https://hooks.slack.com/services/T000/B000/SECRETPATH?token=SECRETQUERY';
  assert.deepEqual(resolveConfig({ findings: { notify: [{ url: secret }] } }).findings.notify, [{ url: secret, minScore: null, detectors: null, format: 'json', headers: {} }]);
  const full = { url: 'http://127.0.0.1:9000/hook', minScore: 0.99, detectors: ['syn', 'syn-flood'], format: 'slack' as const, headers: { Authorization: 'Bearer SECRETHEADER' } };
  assert.deepEqual(resolveConfig({ findings: { notify: [full] } }).findings.notify, [full]);
  const refused = (hook: unknown, field: string, what: RegExp): void => {
    assert.throws(
      () => resolveConfig({ findings: { notify: [{ url: 'https://ok.example/' }, hook] } } as ConfigPatch),
      (e: unknown) => {
        assert.ok(isAppError(e) && e.code === 'CONFIG_INVALID', String(e));
        assert.ok(e.message.startsWith(`config: findings.notify[1]${field} `), e.message);
        assert.match(e.message, what);
        assert.doesNotMatch(e.message, /SECRET/);
        assert.doesNotMatch(JSON.stringify(e.details), /SECRET/);
        return true;
      },
    );
  };
  refused({ url: 'ftp://files.example/SECRETPATH' }, '.url', /is not an http\(s\) URL \(it starts ftp:\); give the full webhook URL/);
  refused({ url: 'hooks.slack.com/services/SECRETPATH' }, '.url', /is not an http\(s\) URL \(it does not parse\)/);
  refused({ minScore: 0.9 }, '.url', /is missing; give the webhook URL/);
  refused({ url: secret, minScore: 2 }, '.minScore', /is 2; give a score from 0 to 1/);
  refused({ url: secret, detectors: ['syn', 'sin'] }, '.detectors', /names "sin", not a detector; the detectors are url, syn, syn-flood, syn-wave, watch/);
  refused({ url: secret, format: 'teams' }, '.format', /give "json" .* or "slack"/);
  refused({ url: secret, headers: { Authorization: 'Bearer SECRETHEADER\r\nX: y' } }, '.headers.Authorization', /is not a one-line string/);
  refused({ url: secret, headers: { 'Bad Name': 'SECRETHEADER' } }, '.headers', /has a header name that is not one/);
  refused({ url: secret, secret: 'x' }, '.secret', /is not a webhook setting; a webhook has url, minScore, detectors, format, headers/);
  refused('https://hooks.example/SECRETPATH', '', /is not an object/);
  assert.throws(() => resolveConfig({ findings: { notify: {} } } as ConfigPatch), invalid('findings.notify'));
});

test('findings.notify: a bad webhook in a file names the file, and no secret', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-config-notify-'));
  try {
    const file = join(dir, 'nml.json');
    writeFileSync(file, JSON.stringify({ findings: { notify: [{ url: 'https://hooks.example/SECRETPATH', headers: { Authorization: 7 } }] } }));
    assert.throws(() => resolveConfig(filePatch(file)), (e: unknown) => isAppError(e) && e.message.startsWith(`config: ${file}: findings.notify[0].headers.Authorization is not a one-line string`) && !e.message.includes('SECRET'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('http.publicUrl: null by default; an http(s) URL from the file or NML_HTTP_PUBLIC_URL; a bad one names the key and never echoes a query or user', () => {
  assert.equal(resolveConfig({}).http.publicUrl, null);
  assert.equal(resolveConfig({ http: { publicUrl: 'https://nml.example.com' } }).http.publicUrl, 'https://nml.example.com');
  assert.equal(resolveConfig(envPatch({ NML_HTTP_PUBLIC_URL: 'https://proxy.example/nml/' })).http.publicUrl, 'https://proxy.example/nml/');
  assert.equal(resolveConfig({ http: { publicUrl: 'https://a.example' } }, envPatch({ NML_HTTP_PUBLIC_URL: 'http://b.example:8080' })).http.publicUrl, 'http://b.example:8080');
  for (const v of ['nml.example.com', 'ftp://nml.example.com', 'https://', 7, true]) {
    assert.throws(() => resolveConfig({ http: { publicUrl: v as string } }), (e: unknown) => invalid('http.publicUrl')(e) && /http\(s\) address people open the web UI at.*NML_HTTP_PUBLIC_URL/.test((e as Error).message), String(v));
  }
  assert.throws(() => resolveConfig(envPatch({ NML_HTTP_PUBLIC_URL: 'localhost:8823' })), invalid('http.publicUrl'));
  // a query or a user is refused, and said without its text (it may hold a key)
  for (const v of ['https://nml.example.com/?token=SECRET-1', 'https://nml.example.com/#SECRET-1', 'https://admin:SECRET-1@nml.example.com/']) {
    assert.throws(
      () => resolveConfig({ http: { publicUrl: v } }),
      (e: unknown) => invalid('http.publicUrl')(e) && !(e as Error).message.includes('SECRET') && /without a (query|user)/.test((e as Error).message),
      v,
    );
  }
});

test('http.secureCookies: unset follows an https http.publicUrl; true and false win; anything else is refused, naming the key', () => {
  const secure = (http: ConfigPatch['http']) => sessionCookiesSecure(resolveConfig({ http }).http);
  assert.equal(resolveConfig({}).http.secureCookies, null);
  assert.equal(secure({}), false, 'no publicUrl: plain cookies, as before');
  assert.equal(secure({ publicUrl: 'https://nml.example.com' }), true, 'people open the UI over TLS');
  assert.equal(secure({ publicUrl: 'HTTPS://nml.example.com' }), true);
  assert.equal(secure({ publicUrl: 'http://nml.example.com:8080' }), false);
  assert.equal(secure({ publicUrl: 'https://nml.example.com', secureCookies: false }), false, 'the UI is also opened over HTTP');
  assert.equal(secure({ secureCookies: true }), true, 'a TLS proxy without a publicUrl');
  assert.equal(secure({ publicUrl: 'http://nml.example.com', secureCookies: true }), true);
  for (const v of ['yes', 1, {}]) {
    assert.throws(() => resolveConfig({ http: { secureCookies: v as boolean } }), (e: unknown) => invalid('http.secureCookies')(e) && /true, false, or null/.test((e as Error).message), String(v));
  }
});

test('http.tls: null by default; with certFile and keyFile the session cookie is Secure unless secureCookies says false; a missing or unknown key is refused by name', () => {
  assert.equal(resolveConfig({}).http.tls, null);
  const tls = { certFile: '/etc/nml/web.pem', keyFile: '/etc/nml/web.key' };
  assert.deepEqual(resolveConfig({ http: { tls } }).http.tls, tls);
  assert.equal(sessionCookiesSecure(resolveConfig({ http: { tls } }).http), true, 'served over TLS by nml itself');
  assert.equal(sessionCookiesSecure(resolveConfig({ http: { tls, secureCookies: false } }).http), false, 'an explicit false still wins');
  assert.equal(resolveConfig({ http: { tls: null } }).http.tls, null);
  assert.throws(() => resolveConfig({ http: { tls: { certFile: '/etc/nml/web.pem' } as typeof tls } }), (e: unknown) => invalid('http.tls.keyFile')(e) && /both certFile and keyFile/.test((e as Error).message));
  assert.throws(() => resolveConfig({ http: { tls: { ...tls, keyFile: '' } } }), invalid('http.tls.keyFile'));
  assert.throws(() => resolveConfig({ http: { tls: { ...tls, caFile: 'ca.pem' } as typeof tls } }), (e: unknown) => invalid('http.tls.caFile')(e) && /no such key/.test((e as Error).message));
  assert.throws(() => resolveConfig({ http: { tls: 'yes' as unknown as typeof tls } }), invalid('http.tls'));
});
