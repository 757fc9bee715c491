import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { isAppError } from '../core/index.js';
import { Catalog, ShardSet, type StoredLine } from '../store/index.js';
import { Searcher } from './root.js';

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

async function withStore(run: (s: { dir: string; catalog: Catalog; searcher: Searcher; path: string; file: string }) => Promise<void>): Promise<void> {
  const { dir, rels } = build();
  const catalog = new Catalog(dir, 60_000);
  const searcher = new Searcher(catalog, 2);
  const rel = rels[2]!;
  try {
    await run({ dir, catalog, searcher, path: join(dir, 'shards', rel), file: `shards/${rel.split('\\').join('/')}` });
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
    assert.match(e.message, /stop nml, move that file out of shards\/ .* and start again; the lines it holds are lost/);
    return true;
  };
}

const naming = (problems: string[], file: string): string[] => problems.filter((p) => p.includes(`shard ${file} `));

test('a shard cut short fails count, page and histogram with STORE_SHARD_UNREADABLE naming it, listed once among the problems', async () => {
  await withStore(async ({ dir, catalog, searcher, path, file }) => {
    assert.equal((await searcher.count('', ALL)).count, 3000);
    truncateSync(path, Math.floor(statSync(path).size / 2));
    const damaged = unreadable(file, /malformed/);
    await assert.rejects(searcher.count('', ALL), damaged);
    await assert.rejects(searcher.count('alpha', ALL), damaged);
    await assert.rejects(searcher.page('alpha', ALL, 10), damaged);
    await assert.rejects(searcher.histogram('"password for"', { from: T0, to: T0 + 180_000 }, 10), damaged);
    assert.equal(naming(catalog.problems, file).length, 1, `listed once, not per search: ${catalog.problems.join(' | ')}`);
    assert.deepEqual(catalog.problems, naming(catalog.problems, file));
    // `nml stats` opens its own catalog: it names the file from the header alone, before any search
    const stats = new Catalog(dir, 60_000, false);
    try {
      assert.equal(naming(stats.problems, file).length, 1, stats.problems.join(' | '));
      assert.match(stats.problems[0]!, /is damaged \(cut short: \d+ of \d+ bytes\); .*stop nml/);
    } finally {
      stats.close();
    }
  });
});

test('a shard overwritten with other bytes fails searches with STORE_SHARD_UNREADABLE (not a database) and is listed', async () => {
  await withStore(async ({ dir, catalog, searcher, path, file }) => {
    writeFileSync(path, randomBytes(4096));
    const damaged = unreadable(file, /\(file is not a database\)/);
    await assert.rejects(searcher.page('', ALL, 10), damaged);
    await assert.rejects(searcher.count('beta', ALL), damaged);
    assert.equal(naming(catalog.problems, file).length, 1, catalog.problems.join(' | '));
    const stats = new Catalog(dir, 60_000, false);
    try {
      assert.deepEqual(stats.problems, naming(stats.problems, file));
      assert.equal(stats.problems.length, 1);
    } finally {
      stats.close();
    }
  });
});

test('a search whose time range leaves the damaged shard out still answers', async () => {
  await withStore(async ({ searcher, path, catalog }) => {
    writeFileSync(path, randomBytes(4096));
    const damagedSlot = catalog.all().find((s) => s.path === path)!.slotStart;
    const before = { from: T0, to: damagedSlot };
    assert.ok((await searcher.count('', before)).count > 0);
  });
});
