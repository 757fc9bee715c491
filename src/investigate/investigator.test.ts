import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TimeRange } from '../core/index.js';
import type { EdgeQuery, EdgeSummary } from '../store/index.js';
import { extractRelations, parseLine } from '../parse/index.js';
import { Investigator, SCOPE_MAX_DESTINATIONS } from './investigator.js';
import { PIVOT_ROW_BUDGET, type RelationSource } from './edge-read.js';

interface Row {
  src: string;
  kind: string;
  dst: string;
  first: number;
  last: number;
  count: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const END = Date.UTC(2026, 2, 10, 12);

/** a clock that never moves: these tests are about the row budget, not the time budget (the fakes are slow) */
const still = (): number => 0;

const inRange = (r: Row, range: TimeRange): boolean => (range.from === null || r.last >= range.from) && (range.to === null || r.first < range.to);

/**
 * A relation index answering as RelationIndex does (fanIn counts past `cap` as Infinity), of one file or
 * (`hourly`, for rows that each lie within one hour) of hourly files; it counts the rows `edges` returns,
 * the `edges` calls, and the destinations `fanIn` was asked about. `onRead` runs before each read.
 */
function fakeRelations(rows: Row[], opts: { hourly?: boolean; onRead?: () => void; countOut?: boolean } = {}): RelationSource & { rowsRead: number; reads: number; fanInDsts: number } {
  const hours = (range: TimeRange): { start: number; end: number }[] => {
    if (rows.length === 0) return [];
    const lo = Math.floor(Math.min(...rows.map((r) => r.first)) / HOUR) * HOUR;
    const hi = Math.max(...rows.map((r) => r.last));
    const out: { start: number; end: number }[] = [];
    for (let h = lo; h <= hi; h += HOUR) if ((range.to === null || h < range.to) && (range.from === null || h + HOUR > range.from)) out.push({ start: h, end: h + HOUR });
    return out;
  };
  const src = {
    rowsRead: 0,
    reads: 0,
    fanInDsts: 0,
    edges(entity: string, range: TimeRange, q: EdgeQuery = {}): EdgeSummary[] {
      opts.onRead?.();
      src.reads++;
      const out: EdgeSummary[] = [];
      for (const r of rows) {
        if (!inRange(r, range) || (q.kinds !== undefined && !q.kinds.includes(r.kind))) continue;
        if (r.src === entity && q.direction !== 'in') out.push({ kind: r.kind, direction: 'out', other: r.dst, first: r.first, last: r.last, count: r.count });
        if (r.dst === entity && q.direction !== 'out') out.push({ kind: r.kind, direction: 'in', other: r.src, first: r.first, last: r.last, count: r.count });
      }
      src.rowsRead += out.length;
      // merged by (direction, kind, other), as RelationIndex merges its files
      const merged = new Map<string, EdgeSummary>();
      for (const e of out) {
        const k = `${e.direction} ${e.kind} ${e.other}`;
        const m = merged.get(k);
        if (m === undefined) merged.set(k, e);
        else merged.set(k, { ...m, first: Math.min(m.first, e.first), last: Math.max(m.last, e.last), count: m.count + e.count });
      }
      return [...merged.values()];
    },
    fanIn(dsts: readonly string[], kinds: readonly string[], range: TimeRange, cap = Number.MAX_SAFE_INTEGER - 1): Map<string, number> {
      opts.onRead?.();
      src.fanInDsts += dsts.length;
      const out = new Map<string, number>();
      for (const d of dsts) {
        const n = rows.filter((r) => r.dst === d && kinds.includes(r.kind) && inRange(r, range)).length;
        if (n > 0) out.set(d, n > cap ? Infinity : n);
      }
      return out;
    },
    sourcesOf(dsts: readonly string[], kinds: readonly string[], range: TimeRange): Map<string, Set<string>> {
      return new Map(dsts.map((d) => [d, new Set(rows.filter((r) => r.dst === d && kinds.includes(r.kind) && inRange(r, range)).map((r) => r.src))]));
    },
    ...(opts.countOut === true
      ? {
          fanOut: (entity: string, kinds: readonly string[], range: TimeRange, cap: number): number => {
            const n = rows.filter((r) => r.src === entity && kinds.includes(r.kind) && inRange(r, range)).length;
            return n > cap ? Infinity : n;
          },
        }
      : {}),
    files: (range: TimeRange) => (opts.hourly === true ? hours(range) : [{ start: 0, end: 2 ** 52 }]),
  };
  return src;
}


test('a pivot over more rows than its budget reads the rest of the relations whole, the biggest over its latest part, and says so', () => {
  const rows: Row[] = [];
  const start = END - 7 * DAY;
  const queries = PIVOT_ROW_BUDGET + 5000;
  // a popular name: asked for by many addresses over the week, requested by fewer, resolving to three
  for (let i = 0; i < queries; i++) {
    const t = start + Math.floor((i * 7 * DAY) / queries);
    rows.push({ src: `ip:10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, kind: 'query', dst: 'domain:cdn.example', first: t, last: t, count: 1 + ((i * 7919) % 997) });
  }
  for (let i = 0; i < 300; i++) rows.push({ src: `ip:198.51.${i >> 8}.${i & 255}`, kind: 'request', dst: 'domain:cdn.example', first: start + i * (HOUR / 2), last: start + i * (HOUR / 2), count: 1 + (i % 13) });
  for (const [i, ip] of ['ip:203.0.113.1', 'ip:203.0.113.2', 'ip:203.0.113.3'].entries()) rows.push({ src: 'domain:cdn.example', kind: 'resolve', dst: ip, first: start, last: END - 1, count: 10 - i });
  const relations = fakeRelations(rows);
  const inv = new Investigator({ relations, now: () => END, clock: still });
  const range = { from: start - 1, to: END };
  const p = inv.pivot('domain:cdn.example', range, 5);

  assert.equal(p.truncated, true);
  assert.ok(relations.rowsRead <= PIVOT_ROW_BUDGET + 3, `read ${relations.rowsRead} rows`);
  assert.deepEqual(
    p.groups.map((g) => [g.relation, g.direction, g.truncated ?? false]),
    [
      ['query', 'in', true],
      ['request', 'in', false],
      ['resolve', 'out', false],
    ],
  );
  // the groups that fit are whole: the same as an unbounded read
  const top = (kind: string, from: number): { entity: string; count: number }[] =>
    rows
      .filter((r) => r.kind === kind && r.dst === 'domain:cdn.example' && r.last >= from)
      .sort((a, b) => b.count - a.count || b.last - a.last || (a.src < b.src ? -1 : 1))
      .slice(0, 5)
      .map((r) => ({ entity: r.src, count: r.count }));
  const [query, request, resolve] = p.groups as [NonNullable<(typeof p.groups)[0]>, NonNullable<(typeof p.groups)[0]>, NonNullable<(typeof p.groups)[0]>];
  assert.equal(request.total, 300);
  assert.deepEqual(
    request.neighbours.map((n) => ({ entity: n.entity, count: n.count })),
    top('request', range.from),
  );
  assert.deepEqual(
    resolve.neighbours.map((n) => n.entity),
    ['ip:203.0.113.1', 'ip:203.0.113.2', 'ip:203.0.113.3'],
  );
  // the one over budget: the widest latest window that fits (a day), its top neighbours right within it
  assert.equal(query.readFrom, END - DAY);
  assert.equal(query.total, rows.filter((r) => r.kind === 'query' && r.last >= END - DAY).length);
  assert.deepEqual(
    query.neighbours.map((n) => ({ entity: n.entity, count: n.count })),
    top('query', END - DAY),
  );
});

test('a pivot within its budget is whole and not truncated; a range without `to` ends now', () => {
  const rows: Row[] = [];
  for (let i = 0; i < 50; i++) rows.push({ src: `ip:10.0.0.${i}`, kind: 'service', dst: 'port:443', first: END - HOUR, last: END - HOUR, count: i + 1 });
  const p = new Investigator({ relations: fakeRelations(rows), now: () => END, clock: still }).pivot('port:443', { from: null, to: null }, 3);
  assert.equal(p.truncated, false);
  assert.deepEqual(
    p.groups.map((g) => [g.relation, g.total, g.truncated, g.neighbours.map((n) => n.count)]),
    [['service', 50, undefined, [50, 49, 48]]],
  );
  // past 25 identity lookups an internal neighbour says its identity was left out
  const many = new Investigator({ relations: fakeRelations(rows), now: () => END, clock: still }).pivot('port:443', { from: null, to: null }, 50);
  const ns = many.groups[0]!.neighbours;
  assert.equal(ns.filter((n) => n.identity !== undefined).length, 25);
  assert.equal(ns.filter((n) => n.identityOmitted === true).length, 25);
});

test('scope counts every host sharing a destination, and marks internal hosts whose identity was not looked up', () => {
  const rows: Row[] = [{ src: 'ip:10.0.0.1', kind: 'flow', dst: 'ip:198.51.100.66', first: END - HOUR, last: END - HOUR, count: 1 }];
  for (let i = 0; i < 40; i++) rows.push({ src: `ip:10.0.1.${i}`, kind: 'flow', dst: 'ip:198.51.100.66', first: END - HOUR, last: END - HOUR, count: 1 });
  for (let i = 0; i < 5; i++) rows.push({ src: `ip:203.0.113.${i}`, kind: 'flow', dst: 'ip:198.51.100.66', first: END - HOUR, last: END - HOUR, count: 1 });
  const s = new Investigator({ relations: fakeRelations(rows), now: () => END, clock: still }).scope('ip:10.0.0.1', { from: null, to: null }, 45);
  assert.equal(s.totalHosts, 45);
  assert.equal(s.hosts.length, 45);
  const internal = s.hosts.filter((h) => h.entity.startsWith('ip:10.'));
  assert.equal(internal.filter((h) => h.identity !== null && !h.identityOmitted).length, 25);
  assert.equal(internal.filter((h) => h.identity === null && h.identityOmitted).length, 15);
  assert.ok(s.hosts.filter((h) => h.entity.startsWith('ip:203.')).every((h) => h.identity === null && !h.identityOmitted), 'an outside address has no identity to omit');
  const cut = new Investigator({ relations: fakeRelations(rows), now: () => END, clock: still }).scope('ip:10.0.0.1', { from: null, to: null }, 10);
  assert.deepEqual([cut.hosts.length, cut.totalHosts], [10, 45]);
});

/** A scanner: 10.0.0.9 reaches 2,000 new addresses in each of 24 hours, and 203.0.113.66 every hour, as five other hosts do. */
function scanner(): Row[] {
  const rows: Row[] = [];
  for (let h = 0; h < 24; h++) {
    const t = END - (24 - h) * HOUR + 60_000;
    for (let i = 0; i < 2000; i++) rows.push({ src: 'ip:10.0.0.9', kind: 'flow', dst: `ip:198.${h}.${i >> 8}.${i & 255}`, first: t + i, last: t + i, count: 1 });
    rows.push({ src: 'ip:10.0.0.9', kind: 'flow', dst: 'ip:203.0.113.66', first: t, last: t + 1000, count: 5 });
  }
  for (let i = 0; i < 5; i++) rows.push({ src: `ip:192.0.2.${i}`, kind: 'flow', dst: 'ip:203.0.113.66', first: END - HOUR + 5, last: END - HOUR + 5, count: 1 });
  return rows;
}

test("a pivot of a scanner reads its edges out newest first within the row budget, merged across windows, and says where it started", () => {
  const rows = scanner();
  const relations = fakeRelations(rows, { hourly: true });
  const range = { from: END - DAY, to: END };
  const p = new Investigator({ relations, now: () => END, clock: still }).pivot('ip:10.0.0.9', range, 3);
  // the newest hour (2,001 rows) says eight more fit, then one more: ten hours, 20,010 rows, and no more
  assert.ok(relations.rowsRead <= PIVOT_ROW_BUDGET + 2001 + 20, `read ${relations.rowsRead} rows`);
  assert.equal(p.truncated, true);
  const flow = p.groups.find((g) => g.relation === 'flow' && g.direction === 'out')!;
  assert.deepEqual([flow.truncated, flow.readFrom], [true, END - 10 * HOUR]);
  assert.equal(flow.total, 10 * 2000 + 1);
  // the edge seen every hour is merged over the windows read: 5 a hour for ten hours
  assert.deepEqual(
    flow.neighbours.map((n) => [n.entity, n.count]),
    [['ip:203.0.113.66', 50], ...rows.filter((r) => r.count === 1 && r.src === 'ip:10.0.0.9' && r.first >= END - HOUR).sort((a, b) => b.last - a.last).slice(0, 2).map((r) => [r.dst, 1])],
  );
  assert.equal(p.timedOut, undefined);
});

test('a pivot of an ordinary host reads its edges out whole (the newest period, then the rest through the roll-ups)', () => {
  const rows: Row[] = [];
  for (let h = 0; h < 24; h++) for (const d of ['ip:198.51.100.1', 'ip:198.51.100.2']) rows.push({ src: 'ip:10.0.0.7', kind: 'flow', dst: d, first: END - (24 - h) * HOUR, last: END - (24 - h) * HOUR + 10, count: d.endsWith('1') ? 2 : 1 });
  const relations = fakeRelations(rows, { hourly: true });
  const p = new Investigator({ relations, now: () => END, clock: still }).pivot('ip:10.0.0.7', { from: null, to: null }, 5);
  assert.equal(p.truncated, false);
  const flow = p.groups.find((g) => g.relation === 'flow')!;
  assert.deepEqual([flow.truncated, flow.readFrom], [undefined, undefined]);
  assert.deepEqual(
    flow.neighbours.map((n) => [n.entity, n.count, n.first, n.last]),
    [
      ['ip:198.51.100.1', 48, END - DAY, END - HOUR + 10],
      ['ip:198.51.100.2', 24, END - DAY, END - HOUR + 10],
    ],
  );
});

test('scope of a scanner reads its destinations within the row budget and counts the sources of at most SCOPE_MAX_DESTINATIONS, the most reached first', () => {
  const relations = fakeRelations(scanner(), { hourly: true });
  const s = new Investigator({ relations, now: () => END, clock: still }).scope('ip:10.0.0.9', { from: END - DAY, to: END }, 10);
  assert.equal(s.readFrom, END - 10 * HOUR);
  assert.equal(s.destinations, 10 * 2000 + 1);
  assert.equal(s.unexamined, s.destinations - SCOPE_MAX_DESTINATIONS);
  assert.ok(relations.fanInDsts <= SCOPE_MAX_DESTINATIONS, `fan-in of ${relations.fanInDsts} destinations`);
  // the destination reached most (every hour) is examined, and the hosts sharing it are found
  assert.deepEqual(s.hosts.map((h) => h.entity).sort(), ['ip:192.0.2.0', 'ip:192.0.2.1', 'ip:192.0.2.2', 'ip:192.0.2.3', 'ip:192.0.2.4']);
  assert.equal(s.timedOut, undefined);
});

test('past its time budget a pivot or scope stops between reads and answers with what it has, flagged', () => {
  const rows = scanner();
  let t = 0;
  let cost = 100;
  // every read of the index takes `cost` ms on this clock
  const relations = fakeRelations(rows, { hourly: true, onRead: () => void (t += cost) });
  const inv = new Investigator({ relations, now: () => END, clock: () => t });
  // in: a count and a read (200 ms); out: the newest hour (300 ms), then the budget is spent
  const p = inv.pivot('ip:10.0.0.9', { from: END - DAY, to: END }, 3);
  assert.equal(p.timedOut, true);
  const flow = p.groups.find((g) => g.relation === 'flow')!;
  assert.deepEqual([flow.truncated, flow.readFrom, flow.total], [true, END - HOUR, 2001]);
  // scope at 60 ms a read: its destinations in three reads (the newest hour, eight more, one more: the
  // row budget), then two fan-in reads of 833 destinations each (20,000 seeks over 24 files), then stop
  cost = 60;
  relations.fanInDsts = 0;
  const s = inv.scope('ip:10.0.0.9', { from: END - DAY, to: END }, 10);
  assert.equal(s.timedOut, true);
  assert.equal(s.readFrom, END - 10 * HOUR);
  assert.equal(relations.fanInDsts, 2 * Math.floor(20_000 / 24));
  assert.equal(s.unexamined, s.destinations - relations.fanInDsts);
});

test('clients of a name everyone asks for are counted first and read over the latest window that fits', () => {
  const rows: Row[] = [];
  const start = END - 7 * DAY;
  const n = PIVOT_ROW_BUDGET + 5000;
  for (let i = 0; i < n; i++) {
    const t = start + Math.floor((i * 7 * DAY) / n);
    rows.push({ src: `ip:10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, kind: 'query', dst: 'domain:cdn.example', first: t, last: t, count: 1 });
  }
  const relations = fakeRelations(rows);
  const c = new Investigator({ relations, now: () => END, clock: still }).clients('domain:cdn.example', { from: start - 1, to: END }, 3);
  assert.ok(relations.rowsRead <= PIVOT_ROW_BUDGET, `read ${relations.rowsRead} rows`);
  assert.deepEqual([c.truncated, c.readFrom], [true, END - DAY]);
  assert.equal(c.total, rows.filter((r) => r.last >= END - DAY).length);
  // within the budget: whole, no flag
  const few = new Investigator({ relations: fakeRelations(rows.slice(0, 10)), now: () => END, clock: still }).clients('domain:cdn.example', { from: null, to: null }, 3);
  assert.deepEqual([few.total, few.truncated, few.readFrom], [10, undefined, undefined]);
});

test('a login from a dual-stack socket (::ffff:10.0.0.5) is found by pivoting on the IPv4 address in any spelling', () => {
  const line = '<38>Mar 10 11:00:00 gw sshd[812]: Accepted password for alice from ::ffff:10.0.0.5 port 50122 ssh2';
  const rows = extractRelations(parseLine({ line, receivedAt: END, source: 't' })).map((r) => ({ src: r.from, kind: r.kind, dst: r.to, first: END - HOUR, last: END - HOUR, count: 1 }));
  const inv = new Investigator({ relations: fakeRelations(rows), now: () => END, clock: still });
  for (const entity of ['ip:10.0.0.5', 'ip:::ffff:10.0.0.5', '0:0:0:0:0:ffff:a00:5']) {
    const p = inv.pivot(entity, { from: null, to: null });
    assert.equal(p.entity, 'ip:10.0.0.5', entity);
    assert.deepEqual(
      p.groups.map((g) => [g.direction, g.relation, g.neighbours.map((n) => [n.entity, n.evidence.q])]),
      [['out', 'login', [['user:alice', 'ip:10.0.0.5 user:alice']]]],
      entity,
    );
  }
  assert.deepEqual(inv.pivot('user:alice', { from: null, to: null }).groups[0]!.neighbours.map((n) => n.entity), ['ip:10.0.0.5']);
});

test('where the index counts edges by source, a pivot counts its edges out first and reads the widest latest window that fits', () => {
  const relations = fakeRelations(scanner(), { hourly: true, countOut: true });
  const p = new Investigator({ relations, now: () => END, clock: still }).pivot('ip:10.0.0.9', { from: END - DAY, to: END }, 3);
  const flow = p.groups.find((g) => g.relation === 'flow')!;
  assert.deepEqual([p.truncated, flow.truncated, flow.readFrom, flow.total], [true, true, END - 6 * HOUR, 6 * 2000 + 1]);
  assert.ok(relations.rowsRead <= 6 * 2001 + 20, `read ${relations.rowsRead} rows`);
  assert.equal(flow.neighbours[0]!.count, 30);
  // an ordinary host: counted, then read whole in one read
  const few = fakeRelations([{ src: 'ip:10.0.0.7', kind: 'flow', dst: 'ip:198.51.100.1', first: END - DAY, last: END - HOUR, count: 4 }], { hourly: true, countOut: true });
  const q = new Investigator({ relations: few, now: () => END, clock: still }).pivot('ip:10.0.0.7', { from: END - DAY, to: END });
  assert.deepEqual([q.truncated, q.groups[0]!.truncated, q.groups[0]!.neighbours[0]!.count], [false, undefined, 4]);
});

test("a pivot on an account reaches the domain logons of its qualified names, each edge saying which name it came through", () => {
  const lines = [
    '<38>Mar 10 11:00:00 gw sshd[812]: Accepted password for bianca from 10.0.0.5 port 50122 ssh2',
    '<14>Mar 10 11:00:01 fw01 1,2024/03/10 11:00:01,0164,TRAFFIC,end,2561,2024/03/10 11:00:01,10.0.2.57,203.0.113.80,,,rule1,corp\\bianca,,web-browsing,vsys1,trust,untrust,eth1,eth2,fwd,2024/03/10 11:00:01,1234,1,51000,443,0,0,0x0,tcp,allow',
  ];
  const rows = lines.flatMap((line) => extractRelations(parseLine({ line, receivedAt: END, source: 't' }))).map((r) => ({ src: r.from, kind: r.kind, dst: r.to, first: END - HOUR, last: END - HOUR, count: 1 }));
  const inv = new Investigator({ relations: fakeRelations(rows), now: () => END, clock: still });
  const shape = (entity: string) =>
    inv.pivot(entity, { from: null, to: null }).groups.map((g) => [g.direction, g.relation, g.neighbours.map((n) => [n.entity, n.via ?? null, n.evidence.q])]);
  assert.deepEqual(shape('user:bianca'), [
    ['in', 'login', [['ip:10.0.0.5', null, 'ip:10.0.0.5 user:bianca']]],
    ['in', 'user', [['ip:10.0.2.57', 'user:corp\\bianca', 'ip:10.0.2.57 user:"corp\\\\bianca"']]],
    ['out', 'alias', [['user:corp\\bianca', null, 'user:bianca user:"corp\\\\bianca"']]],
  ]);
  // the qualified name is only that domain's: its own edges, and the account it is written for
  assert.deepEqual(shape('user:corp\\bianca'), [
    ['in', 'user', [['ip:10.0.2.57', null, 'ip:10.0.2.57 user:"corp\\\\bianca"']]],
    ['in', 'alias', [['user:bianca', null, 'user:bianca user:"corp\\\\bianca"']]],
  ]);
});
