import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ShardReader, ShardWriter, textTokens, type StoredLine } from '../store/index.js';
import { compileQuery, parseQuery } from './query/index.js';
import { evalNode } from './query/test-support.js';
import { countShard, runPage } from './leaf.js';

// One sealed shard of generated lines over a small vocabulary (so negated phrases often hold their words
// without the phrase), with letters whose case JavaScript and the index fold differently.
const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const WORDS = ['for', 'user0', 'user1', 'FOR', 'web', '01', 'web-01', 'web-01-b', 'a.b', 'failed', 'Failed', 'ΟΔΟΣ', 'οδος', 'µs', 'μs', 'ſtop', 'stop'];
const SEPS = [' ', ' ', ' ', '-', '.', ', ', ''];
let seed = 42;
const rnd = (n: number): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const lines: StoredLine[] = [];
for (let i = 0; i < 1500; i++) {
  let raw = '';
  for (let k = 1 + rnd(6); k > 0; k--) raw += WORDS[rnd(WORDS.length)]! + SEPS[rnd(SEPS.length)]!;
  lines.push({ time: T0 + i, receivedAt: T0 + i, source: 't', raw, text: raw });
}
const dir = mkdtempSync(join(tmpdir(), 'nml-leaf-'));
const path = join(dir, 'shard.db');
const writer = new ShardWriter(path, T0, 60_000, 0);
writer.append(lines);
writer.seal(false);
const reader = new ShardReader(path);
after(() => {
  reader.close();
  rmSync(dir, { recursive: true, force: true });
});

const ALL = { from: null, to: null };
const lineTokens = lines.map((l) => new Set(textTokens(l.raw)));
const expected = (query: string): number[] => {
  const ast = parseQuery(query);
  // rowids count lines from 0 in insertion order; pages come newest first
  return lines.flatMap((l, i) => (evalNode(ast, l.raw, lineTokens[i]!) ? [i] : [])).reverse();
};

const LEAVES = ['"for user0"', '"for user1"', 'for', 'user0', 'web-01', 'web-0*', 'sub:"r user"', 'sub:"-01-"', 'sub:ΟΔΟΣ', '"οδος stop"', '"μs ſtop"', 'failed', 'a.b', 'sub:"s s"'];
const { query } = fc.letrec<{ query: string }>((tie) => ({
  query: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...LEAVES),
    fc.constantFrom(...LEAVES).map((x) => `-${x}`),
    fc.tuple(tie('query'), tie('query')).map(([x, y]) => `${x} ${y}`),
    fc.tuple(tie('query'), tie('query')).map(([x, y]) => `(${x} OR ${y})`),
    tie('query').map((x) => `NOT (${x})`),
  ),
}));

test('count and pages over a real shard equal a line-by-line oracle, negated phrases and substrings included', () => {
  fc.assert(
    fc.property(query, (q) => {
      const want = expected(q);
      const plan = compileQuery(q);
      assert.equal(countShard(reader, true, plan, ALL), want.length, `count ${q}`);
      const range = { from: T0 + 300, to: T0 + 1200 };
      assert.equal(countShard(reader, false, plan, range), want.filter((r) => r >= 300 && r < 1200).length, `count in range ${q}`);
      const [page] = runPage({ mode: 'page', plan, range: ALL, limit: 40, shards: [{ path, rel: 'r', below: null, top: null, covered: true }] }, () => reader);
      assert.deepEqual(page!.hits.map((h) => h.rowid), want.slice(0, 40), `page ${q}`);
    }),
    { numRuns: 200, seed: 7 },
  );
});

/** Counts the rows whose text the leaf reads while it answers `q`. */
function rowsRead(q: string): { reads: number; distinct: number } {
  const seen: number[] = [];
  const spy = Object.create(reader) as ShardReader;
  spy.rawOf = (rowid: number) => {
    seen.push(rowid);
    return reader.rawOf(rowid);
  };
  countShard(spy, true, compileQuery(q), ALL);
  return { reads: seen.length, distinct: new Set(seen).size };
}

test("a negated phrase or substring reads only the rows holding its words; a row's text is read once for all predicates", () => {
  const holding = (...words: string[]): number => lines.filter((l) => words.every((w) => textTokens(l.raw).includes(w))).length;
  assert.ok(holding('for', 'user0') < lines.length / 2, 'the fixture leaves most rows without the words');
  assert.equal(rowsRead('-"for user0"').distinct, holding('for', 'user0'));
  assert.ok(rowsRead('-web-01').distinct <= holding('web', '01'));
  const many = rowsRead('-"for user0" -"user0 for" -"for for" -"user0 user0" failed');
  assert.equal(many.reads, many.distinct, 'one read per row');
});
