import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TimeRange } from '../core/index.js';
import type { EdgeQuery, EdgeSummary } from '../store/index.js';
import { Investigator, PIVOT_ROW_BUDGET, type RelationSource } from './investigator.js';

interface Row {
  src: string;
  kind: string;
  dst: string;
  first: number;
  last: number;
  count: number;
}

const inRange = (r: Row, range: TimeRange): boolean => (range.from === null || r.last >= range.from) && (range.to === null || r.first < range.to);

/** A relation index of one file, answering as RelationIndex does (fanIn counts past `cap` as Infinity); it counts the rows `edges` returns. */
function fakeRelations(rows: Row[]): RelationSource & { rowsRead: number } {
  const src = {
    rowsRead: 0,
    edges(entity: string, range: TimeRange, q: EdgeQuery = {}): EdgeSummary[] {
      const out: EdgeSummary[] = [];
      for (const r of rows) {
        if (!inRange(r, range) || (q.kinds !== undefined && !q.kinds.includes(r.kind))) continue;
        if (r.src === entity && q.direction !== 'in') out.push({ kind: r.kind, direction: 'out', other: r.dst, first: r.first, last: r.last, count: r.count });
        if (r.dst === entity && q.direction !== 'out') out.push({ kind: r.kind, direction: 'in', other: r.src, first: r.first, last: r.last, count: r.count });
      }
      src.rowsRead += out.length;
      return out;
    },
    fanIn(dsts: readonly string[], kinds: readonly string[], range: TimeRange, cap = Number.MAX_SAFE_INTEGER - 1): Map<string, number> {
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
    files: () => [1],
  };
  return src;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const END = Date.UTC(2026, 2, 10, 12);

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
  const inv = new Investigator({ relations, now: () => END });
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
  const p = new Investigator({ relations: fakeRelations(rows), now: () => END }).pivot('port:443', { from: null, to: null }, 3);
  assert.equal(p.truncated, false);
  assert.deepEqual(
    p.groups.map((g) => [g.relation, g.total, g.truncated, g.neighbours.map((n) => n.count)]),
    [['service', 50, undefined, [50, 49, 48]]],
  );
  // past 25 identity lookups an internal neighbour says its identity was left out
  const many = new Investigator({ relations: fakeRelations(rows), now: () => END }).pivot('port:443', { from: null, to: null }, 50);
  const ns = many.groups[0]!.neighbours;
  assert.equal(ns.filter((n) => n.identity !== undefined).length, 25);
  assert.equal(ns.filter((n) => n.identityOmitted === true).length, 25);
});

test('scope counts every host sharing a destination, and marks internal hosts whose identity was not looked up', () => {
  const rows: Row[] = [{ src: 'ip:10.0.0.1', kind: 'flow', dst: 'ip:198.51.100.66', first: END - HOUR, last: END - HOUR, count: 1 }];
  for (let i = 0; i < 40; i++) rows.push({ src: `ip:10.0.1.${i}`, kind: 'flow', dst: 'ip:198.51.100.66', first: END - HOUR, last: END - HOUR, count: 1 });
  for (let i = 0; i < 5; i++) rows.push({ src: `ip:203.0.113.${i}`, kind: 'flow', dst: 'ip:198.51.100.66', first: END - HOUR, last: END - HOUR, count: 1 });
  const s = new Investigator({ relations: fakeRelations(rows), now: () => END }).scope('ip:10.0.0.1', { from: null, to: null }, 45);
  assert.equal(s.totalHosts, 45);
  assert.equal(s.hosts.length, 45);
  const internal = s.hosts.filter((h) => h.entity.startsWith('ip:10.'));
  assert.equal(internal.filter((h) => h.identity !== null && !h.identityOmitted).length, 25);
  assert.equal(internal.filter((h) => h.identity === null && h.identityOmitted).length, 15);
  assert.ok(s.hosts.filter((h) => h.entity.startsWith('ip:203.')).every((h) => h.identity === null && !h.identityOmitted), 'an outside address has no identity to omit');
  const cut = new Investigator({ relations: fakeRelations(rows), now: () => END }).scope('ip:10.0.0.1', { from: null, to: null }, 10);
  assert.deepEqual([cut.hosts.length, cut.totalHosts], [10, 45]);
});
