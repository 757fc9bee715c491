/** Configuration checks for the live SYN source and the relation roll-ups: a wrong value names its key and what is expected. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError } from './core/index.js';
import { resolveConfig } from './config.js';

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

test('findings budgets: whole numbers ≥ 1, defaults 60 (syn) and 10 (url per host, afresh after 60 quiet minutes)', () => {
  assert.equal(resolveConfig({}).syn.findingsPerMinute, 60);
  assert.equal(resolveConfig({}).url.perHost, 10);
  assert.equal(resolveConfig({}).url.hostQuietMinutes, 60);
  assert.equal(resolveConfig({ syn: { findingsPerMinute: 200 } }).syn.findingsPerMinute, 200);
  assert.throws(() => resolveConfig({ syn: { findingsPerMinute: 0 } }), invalid('syn.findingsPerMinute'));
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

test('url.ignore: a list of domains, else a clear error', () => {
  assert.deepEqual(resolveConfig({}).url.ignore, []);
  assert.deepEqual(resolveConfig({ url: { ignore: ['example.com', '*.corp.example'] } }).url.ignore, ['example.com', '*.corp.example']);
  assert.throws(() => resolveConfig({ url: { ignore: ['https://example.com/'] } }), invalid('url.ignore'));
  assert.throws(() => resolveConfig({ url: { ignore: 'example.com' as unknown as string[] } }), invalid('url.ignore'));
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
