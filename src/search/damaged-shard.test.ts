import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isAppError } from '../core/index.js';
import { Catalog, ShardSet, type StoredLine } from '../store/index.js';
import { Searcher } from './root.js';
import { SkippedShards } from './skipped.js';

// A store of 3 slots × 2 lanes (6 sealed shards) built directly, one shard of which a test damages
// after the catalog opened: the search pool's workers meet the damage, not the catalog.
const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);
const ALL = { from: null, to: null };

function build(): { dir: string; rels: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'nml-damaged-'));
  const lines: StoredLine[] = [];
  for (let i = 0; i < 3000; i++) {
    const time = T0 + i * 60; // 3 minutes: 3 slots of 60 s
    const raw = `line ${i} ${i % 10 === 0 ? 'alpha' : 'beta'} failed password for user${i % 7}`;
    lines.push({ time, receivedAt: time, source: 't', raw, text: raw });
  }
  const rels: string[] = [];
  for (const lane of [0, 1]) {
    const set = new ShardSet({ dir: join(dir, 'shards'), lane, slotMs: 60_000, sealIdleMs: 0, maxOpenShards: 8, optimizeOnSeal: true });
    set.append(lines.filter((_, i) => i % 2 === lane));
    for (const e of set.closeAll(T0 + 3600_000)) rels.push(e.rel);
  }
  return { dir, rels: [...new Set(rels)].sort() };
}

/** The line numbers `build` wrote into the shard of `slotStart` and `lane`. */
function linesOf(slotStart: number, lane: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < 3000; i++) if (i % 2 === lane && T0 + i * 60 >= slotStart && T0 + i * 60 < slotStart + 60_000) out.push(i);
  return out;
}

interface Fixture {
  dir: string;
  catalog: Catalog;
  searcher: Searcher;
  path: string;
  file: string;
  /** what a search reports for the damaged shard, and the line numbers it holds */
  skipped: { file: string; from: number; to: number };
  lost: number[];
}

async function withStore(run: (s: Fixture) => Promise<void>): Promise<void> {
  const { dir, rels } = build();
  const catalog = new Catalog(dir, 60_000);
  const searcher = new Searcher(catalog, 2);
  const rel = rels[2]!;
  const path = join(dir, 'shards', rel);
  const file = `shards/${rel.split('\\').join('/')}`;
  const info = catalog.all().find((s) => s.path === path)!;
  const lost = linesOf(info.slotStart, info.lane);
  assert.equal(info.rows, lost.length, 'the fixture knows which lines the shard holds');
  try {
    await run({ dir, catalog, searcher, path, file, skipped: { file, from: info.tmin!, to: info.tmax! }, lost });
  } finally {
    await searcher.close();
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The error that crossed the worker boundary: its code, kind, the file named and what to do. */
function unreadable(file: string, why: RegExp): (e: unknown) => true {
  return (e) => {
    assert.ok(isAppError(e), `an AppError, not ${String(e)}`);
    assert.equal(e.code, 'STORE_SHARD_UNREADABLE', e.message);
    assert.equal(e.kind, 'unavailable');
    assert.ok(e.message.startsWith(`store: shard ${file} is damaged (`), e.message);
    assert.match(e.message, why);
    assert.match(e.message, /searches leave it out, and say so, until it is gone: stop nml, move that file out of shards\/ .* and start again; the lines it holds are lost/);
    return true;
  };
}

const naming = (problems: string[], file: string): string[] => problems.filter((p) => p.includes(`shard ${file} `));
const lineNo = (raw: string): number => Number(/^line (\d+) /.exec(raw)![1]);

/** Every hit of `query`, page by page (`limit` a page), as line numbers, and the shards the pages left out. */
async function allPages(searcher: Searcher, query: string, limit: number): Promise<{ lines: number[]; skipped: SkippedShards }> {
  const skipped = new SkippedShards();
  const lines: number[] = [];
  for await (const hit of searcher.stream(query, ALL, Infinity, limit, undefined, skipped)) lines.push(lineNo(hit.raw));
  return { lines, skipped };
}

const without = (lost: number[], keep: (i: number) => boolean): number[] => {
  const gone = new Set(lost);
  const out: number[] = [];
  for (let i = 2999; i >= 0; i--) if (!gone.has(i) && keep(i)) out.push(i);
  return out;
};

test('a shard cut short is left out of count, page and histogram, which name it in skipped; it is listed once among the problems', async () => {
  await withStore(async ({ dir, catalog, searcher, path, file, skipped, lost }) => {
    assert.deepEqual(await searcher.count('', ALL).then((r) => [r.count, r.skipped]), [3000, []]);
    truncateSync(path, Math.floor(statSync(path).size / 2));
    // the first search meets the damage in a worker, and runs again without the shard
    const all = await searcher.count('', ALL);
    assert.equal(all.count, 3000 - lost.length);
    assert.deepEqual(all.skipped, [skipped]);
    assert.equal(all.shardsSearched, 5);
    const alpha = await searcher.count('alpha', ALL);
    assert.equal(alpha.count, without(lost, (i) => i % 10 === 0).length);
    assert.deepEqual(alpha.skipped, [skipped]);
    const page = await searcher.page('alpha', ALL, 10);
    assert.deepEqual(page.hits.map((h) => lineNo(h.raw)), without(lost, (i) => i % 10 === 0).slice(0, 10));
    assert.deepEqual(page.skipped, [skipped]);
    const hist = await searcher.histogram('"password for"', { from: T0, to: T0 + 180_000 }, 10);
    assert.equal(hist.total, 3000 - lost.length);
    assert.deepEqual(hist.skipped, [skipped]);
    // every page, to the end: each line of the other shards once, newest first
    const paged = await allPages(searcher, '', 97);
    assert.deepEqual(paged.lines, without(lost, () => true));
    assert.deepEqual(paged.skipped.list, [skipped]);
    assert.equal(naming(catalog.problems, file).length, 1, `listed once, not per search: ${catalog.problems.join(' | ')}`);
    assert.deepEqual(catalog.problems, naming(catalog.problems, file));
    assert.ok(catalog.isDamaged(relative(join(dir, 'shards'), path)));
    // `nml stats` opens its own catalog: it names the file from the header alone, before any search
    const stats = new Catalog(dir, 60_000, false);
    try {
      assert.equal(naming(stats.problems, file).length, 1, stats.problems.join(' | '));
      assert.match(stats.problems[0]!, /is damaged \(cut short: \d+ of \d+ bytes\); searches leave it out, .*stop nml/);
      // and its searches leave the file out from the first, without reading it
      const fresh = new Searcher(stats, 1);
      try {
        assert.deepEqual(await fresh.count('', ALL).then((r) => [r.count, r.skipped]), [3000 - lost.length, [skipped]]);
      } finally {
        await fresh.close();
      }
    } finally {
      stats.close();
    }
  });
});

test('a shard overwritten with other bytes is left out and named (not a database)', async () => {
  await withStore(async ({ dir, catalog, searcher, path, file, skipped, lost }) => {
    writeFileSync(path, randomBytes(4096));
    const page = await searcher.page('', ALL, 10);
    assert.equal(page.hits.length, 10);
    assert.deepEqual(page.skipped, [skipped]);
    const beta = await searcher.count('beta', ALL);
    assert.equal(beta.count, without(lost, (i) => i % 10 !== 0).length);
    assert.deepEqual(beta.skipped, [skipped]);
    assert.equal(naming(catalog.problems, file).length, 1, catalog.problems.join(' | '));
    assert.match(naming(catalog.problems, file)[0]!, /\(file is not a database\)/);
    const stats = new Catalog(dir, 60_000, false);
    try {
      assert.deepEqual(stats.problems, naming(stats.problems, file));
      assert.equal(stats.problems.length, 1);
    } finally {
      stats.close();
    }
  });
});

test('a shard damaged while a stream pages through the store: the stream goes on without it and says so', async () => {
  await withStore(async ({ searcher, path, skipped, lost }) => {
    const seen = new SkippedShards();
    const lines: number[] = [];
    let damaged = false;
    for await (const hit of searcher.stream('', ALL, Infinity, 100, undefined, seen)) {
      lines.push(lineNo(hit.raw));
      // after the first page, before any line of the shard was read (it is the middle slot's)
      if (!damaged) {
        writeFileSync(path, randomBytes(4096));
        damaged = true;
      }
    }
    assert.ok(Math.min(...lost) < 2900, 'the damaged shard lies past the first page');
    assert.deepEqual(lines, without(lost, () => true));
    assert.deepEqual(seen.list, [skipped]);
  });
});

test('without a catalog that knows which shards are damaged, a damaged shard fails the search with STORE_SHARD_UNREADABLE', async () => {
  await withStore(async ({ catalog, path, file }) => {
    const bare = new Searcher({ list: (r) => catalog.list(r) }, 2);
    try {
      writeFileSync(path, randomBytes(4096));
      const damaged = unreadable(file, /\(file is not a database\)/);
      await assert.rejects(bare.count('', ALL), damaged);
      await assert.rejects(bare.page('', ALL, 10), damaged);
    } finally {
      await bare.close();
    }
  });
});

test('a search whose time range leaves the damaged shard out answers in full and skips nothing', async () => {
  await withStore(async ({ searcher, path, catalog }) => {
    writeFileSync(path, randomBytes(4096));
    const damagedSlot = catalog.all().find((s) => s.path === path)!.slotStart;
    const before = { from: T0, to: damagedSlot };
    const r = await searcher.count('', before);
    assert.equal(r.count, 1000);
    assert.deepEqual(r.skipped, []);
  });
});
