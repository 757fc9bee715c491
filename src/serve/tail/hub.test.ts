/** The tail hub's bounds: unread clients closed, query changes limited, messages capped in bytes, lines cut, JSON made once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError, type RawRecord } from '../../core/index.js';
import type { TailServerMessage } from '../api.js';
import { CLOSE_TOO_SLOW, TailHub, type TailEventOut, type TailParser, type TailSocket } from './hub.js';
import { tailParser } from './parse.js';

type Events = Extract<TailServerMessage, { type: 'events' }> & { events: TailEventOut[] };

function rec(line: string, i = 0): RawRecord {
  return { line, receivedAt: 1_700_000_000_000 + i, source: 'test' };
}

class FakeSocket implements TailSocket {
  readonly sent: string[] = [];
  bufferedAmount = 0;
  closed: { code?: number; reason?: string } | null = null;
  failSends = false;
  send(data: string): void {
    if (this.failSends) throw new Error('socket broke');
    this.sent.push(data);
  }
  close(code?: number, reason?: string): void {
    this.closed = { code, reason };
  }
  messages(): TailServerMessage[] {
    return this.sent.map((s) => JSON.parse(s) as TailServerMessage);
  }
  events(): Events[] {
    return this.messages().filter((m): m is Events => m.type === 'events');
  }
}

test('tail hub: a client with more than maxBufferedBytes unread when owed a ready is told WS_CLIENT_TOO_SLOW, closed (1013) and dropped', () => {
  const hub = new TailHub({ parse: tailParser(), intervalMs: 1e9, maxBufferedBytes: 64 * 1024 });
  const s = new FakeSocket();
  const client = hub.add(s, '');
  assert.equal(s.messages()[0]!.type, 'ready');
  s.bufferedAmount = 64 * 1024 + 1; // it sends filter changes and never reads
  hub.setQuery(client, 'a'.repeat(4000));
  const last = s.messages().at(-1)!;
  assert.equal(last.type, 'error');
  assert.equal(last.type === 'error' && last.error.code, 'WS_CLIENT_TOO_SLOW');
  assert.match(last.type === 'error' ? last.error.message : '', /65537 bytes unread, over the 65536 .* read messages as they arrive/);
  assert.deepEqual(s.closed, { code: CLOSE_TOO_SLOW, reason: 'WS_CLIENT_TOO_SLOW' });
  assert.equal(client.closed, true);
  assert.equal(hub.clientCount, 0, 'dropped at once, not when the close handshake ends');
  assert.equal(hub.counters.closedTooSlow, 1);
  const before = s.sent.length;
  for (let i = 0; i < 100; i++) hub.setQuery(client, `q${i}`);
  assert.equal(s.sent.length, before, 'nothing more is sent to it, however much it sends');
  hub.close();
});

test('tail hub: at most maxQueriesPerSecond query changes a second (a burst of as many), then WS_TOO_MANY_QUERIES', () => {
  let now = 1000;
  const hub = new TailHub({ parse: tailParser(), intervalMs: 1e9, maxQueriesPerSecond: 10, clock: () => now });
  const s = new FakeSocket();
  const client = hub.add(s, '');
  for (let i = 0; i < 10; i++) hub.setQuery(client, `q${i}`);
  assert.throws(
    () => hub.setQuery(client, 'one too many'),
    (e: unknown) => isAppError(e) && e.code === 'WS_TOO_MANY_QUERIES' && e.kind === 'too_many_requests' && /more than 10 filter changes a second/.test(e.message),
  );
  assert.equal(client.q, 'q9', 'the refused query is not taken');
  now += 100; // a tenth of a second: one more
  hub.setQuery(client, 'q10');
  assert.throws(() => hub.setQuery(client, 'q11'), /filter changes a second/);
  now += 60_000; // refilled, but never past the burst
  for (let i = 0; i < 10; i++) hub.setQuery(client, `r${i}`);
  assert.throws(() => hub.setQuery(client, 'r10'), /filter changes a second/);
  assert.equal(s.messages().filter((m) => m.type === 'ready').length, 1 + 10 + 1 + 10);
  hub.close();
});

test('tail hub: an events message stops at maxMessageBytes (newest kept, the rest seen but not sent); long lines are cut and flagged', () => {
  const hub = new TailHub({ parse: tailParser(), intervalMs: 1e9 });
  const s = new FakeSocket();
  hub.add(s, '');
  const MiB = 1024 * 1024;
  // JSON-ish lines: quotes double in JSON; 500 × 1 MiB made a message past V8's longest string before
  const fill = '{"k":"v"} ';
  const big = Array.from({ length: 500 }, (_, i) => rec(`<13>Nov 28 10:00:00 h app: ${i} ` + fill.repeat(Math.floor((MiB - 40) / fill.length)), i));
  hub.offer(big);
  const started = performance.now();
  hub.tick();
  const ms = performance.now() - started;
  const sent = s.sent.at(-1)!;
  assert.ok(Buffer.byteLength(sent) <= 256 * 1024 + 64 * 1024, `message of ${Buffer.byteLength(sent)} bytes`);
  const m = s.events().at(-1)!;
  assert.equal(m.received, 500);
  assert.equal(m.seen, 500, 'every line matched and is counted');
  assert.equal(m.sent, m.events.length);
  assert.ok(m.sent >= 1 && m.sent < 500, `sent ${m.sent}`);
  assert.ok(m.events.at(-1)!.line.startsWith('<13>Nov 28 10:00:00 h app: 499 '), 'the newest last');
  assert.ok(m.events[0]!.line.startsWith(`<13>Nov 28 10:00:00 h app: ${500 - m.sent} `), 'a contiguous run of the newest');
  for (const e of m.events) {
    assert.equal(e.line.length, 16 * 1024);
    assert.equal(e.truncated, true);
    const i = Number(/app: (\d+) /.exec(e.line)![1]);
    assert.equal(e.fullLength, big[i]!.line.length);
  }
  assert.ok(ms < 2000, `tick took ${ms} ms`);

  // short lines are neither cut nor flagged; small lines fill up to 500 as before
  hub.offer(Array.from({ length: 600 }, (_, i) => rec(`short ${i}`, i)));
  hub.tick();
  const small = s.events().at(-1)!;
  assert.equal(small.sent, 500);
  assert.equal(small.seen, 600);
  assert.equal(small.events[0]!.truncated, undefined);
  assert.equal('fullLength' in small.events[0]!, false);
  hub.close();
});

test('tail hub: a line is never cut inside a surrogate pair; one event always goes out even over the byte cap', () => {
  const hub = new TailHub({ parse: tailParser(), intervalMs: 1e9, maxLineChars: 10, maxMessageBytes: 16 });
  const s = new FakeSocket();
  hub.add(s, '');
  hub.offer([rec('older line'), rec('abcdefghi😀tail')]);
  hub.tick();
  const m = s.events()[0]!;
  assert.equal(m.sent, 1);
  assert.equal(m.seen, 2);
  assert.equal(m.events[0]!.line, 'abcdefghi', 'cut before the pair, not through it');
  assert.equal(m.events[0]!.fullLength, 'abcdefghi😀tail'.length);
  hub.close();
});

test('tail hub: clients with the same query share one serialized batch; counts stay per client', () => {
  const hub = new TailHub({ parse: tailParser(), intervalMs: 1e9 });
  const sockets = Array.from({ length: 31 }, () => new FakeSocket());
  for (const s of sockets) hub.add(s, 'even');
  const other = new FakeSocket();
  hub.add(other, '');
  sockets[0]!.bufferedAmount = 10 * 1024 * 1024; // skipped this tick: its counts carry over
  hub.offer(Array.from({ length: 200 }, (_, i) => rec(`line ${i} ${i % 2 === 0 ? 'even' : 'odd'}`, i)));
  const stringify = JSON.stringify;
  let calls = 0;
  JSON.stringify = ((...args: Parameters<typeof stringify>) => {
    calls++;
    return stringify(...args);
  }) as typeof JSON.stringify;
  try {
    hub.tick();
  } finally {
    JSON.stringify = stringify;
  }
  assert.equal(calls, 200, 'each line serialized once for 32 clients, not once per client');
  const first = sockets[1]!.events()[0]!;
  assert.equal(first.sent, 100);
  assert.ok(first.events.every((e) => e.line.endsWith(' even')));
  for (const s of sockets.slice(2)) assert.equal(s.sent.at(-1), sockets[1]!.sent.at(-1));
  assert.equal(other.events()[0]!.sent, 200);
  assert.equal(sockets[0]!.events().length, 0);
  sockets[0]!.bufferedAmount = 0;
  hub.offer([rec('line 200 even')]);
  hub.tick();
  const late = sockets[0]!.events()[0]!;
  assert.deepEqual({ received: late.received, examined: late.examined, seen: late.seen, sent: late.sent }, { received: 201, examined: 201, seen: 101, sent: 1 });
  hub.close();
});

test('tail hub: a message is counted only once the socket took it; a broken socket keeps its counts for the next one', () => {
  const hub = new TailHub({ parse: tailParser(), intervalMs: 1e9 });
  const s = new FakeSocket();
  hub.add(s, '');
  const readies = hub.counters.messages;
  s.failSends = true;
  hub.offer([rec('one')]);
  hub.tick();
  assert.equal(hub.counters.messages, readies, 'the failed send is not counted');
  s.failSends = false;
  hub.offer([rec('two')]);
  hub.tick();
  assert.equal(hub.counters.messages, readies + 1);
  assert.equal(s.events()[0]!.received, 2, 'the lost round is still counted as received');
  hub.close();
});

test('tail hub: a client whose ready cannot be sent is not kept', () => {
  const hub = new TailHub({ parse: tailParser(), intervalMs: 1e9 });
  const s = new FakeSocket();
  s.failSends = true;
  assert.throws(() => hub.add(s, ''), /socket broke/);
  assert.equal(hub.clientCount, 0);
  hub.close();
});

test("tail hub: events carry the syslog header's host (null without one), from the parse matching already made", () => {
  const real = tailParser();
  let parses = 0;
  const counting: TailParser = (record, withEntities) => {
    parses++;
    return real(record, withEntities);
  };
  const hub = new TailHub({ parse: counting, intervalMs: 1e9 });
  const all = new FakeSocket();
  const byIp = new FakeSocket();
  // an entity filter parses each line while matching (its client is served first); the event reuses that parse
  hub.add(byIp, 'ip:203.0.113.9');
  hub.add(all, '');
  hub.offer([rec('<13>Nov 28 10:00:00 web01 sshd[7]: Accepted password for bob from 203.0.113.9'), rec('no header here, from 203.0.113.9')]);
  hub.tick();
  const hosts = (s: FakeSocket) => s.events()[0]!.events.map((e) => [e.source, e.host]);
  assert.deepEqual(hosts(all), [['test', 'web01'], ['test', null]]);
  assert.deepEqual(hosts(byIp), [['test', 'web01'], ['test', null]]);
  assert.equal(parses, 2, 'one parse a line: the header-only pass does not run again for the event');
  hub.close();
  // with no filter only the header is parsed, for the time and the host
  const plain = new TailHub({ parse: tailParser(), intervalMs: 1e9 });
  const s = new FakeSocket();
  plain.add(s, '');
  plain.offer([rec('<13>Nov 28 10:00:00 gw-01 kernel: eth0 up'), rec('plain text')]);
  plain.tick();
  assert.deepEqual(hosts(s), [['test', 'gw-01'], ['test', null]]);
  plain.close();
});
