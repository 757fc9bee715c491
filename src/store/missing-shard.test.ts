import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isAppError } from '../core/index.js';
import { Searcher } from '../search/root.js';
import { Catalog } from './catalog.js';
import { ShardSet } from './shard-set.js';
import { ShardReader } from './shard-reader.js';
import type { StoredLine } from './shard-writer.js';
import { forgetLost } from './lost-shards.js';
import { applyRetention } from './retention.js';

// A store of 3 slots × 2 lanes (6 sealed shards of 500 lines), one of whose files a test deletes.
const T0 = Date.UTC(2026, 5, 1, 10, 6, 0);
const ALL = { from: null, to: null };

function build(): { dir: string; rel: string; path: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nml-missing-'));
  const lines: StoredLine[] = [];
  for (let i = 0; i < 3000; i++) {
    const time = T0 + i * 60;
    const raw = `line ${i} seq ${i % 10 === 0 ? 'alpha' : 'beta'}`;
    lines.push({ time, receivedAt: time, source: 't', raw, text: raw });
  }
  for (const lane of [0, 1]) {
    const set = new ShardSet({ dir: join(dir, 'shards'), lane, slotMs: 60_000, sealIdleMs: 0, maxOpenShards: 8, optimizeOnSeal: false });
    set.append(lines.filter((_, i) => i % 2 === lane));
    set.closeAll(T0 + 3600_000);
  }
  const rel = '2026/06/01/10/0600-w0-0.db';
  return { dir, rel, path: join(dir, 'shards', rel), file: `shards/${rel}` };
}

const ofFile = (problems: string[], file: string): string[] => problems.filter((p) => p.includes(file));

test('a shard file that is gone fails to open with STORE_SHARD_UNREADABLE marked missing, naming it and what to do', () => {
  const { dir, path, file } = build();
  try {
    unlinkSync(path);
    assert.throws(
      () => new ShardReader(path),
      (e) => {
        assert.ok(isAppError(e), String(e));
        assert.equal(e.code, 'STORE_SHARD_UNREADABLE');
        assert.equal(e.details?.['missing'], true);
        assert.equal(e.details?.['path'], path);
        assert.match(e.message, new RegExp(`^store: shard ${file} is missing: its file was deleted or moved while nml ran; searches leave it out`));
        assert.match(e.message, /restore the file from a backup .* or accept the loss with `nml stats --forget-lost --data DIR`/);
        return true;
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a shard file deleted under a running server is left out of searches, named in skipped, and listed once with its lines', async () => {
  const { dir, path, file } = build();
  const catalog = new Catalog(dir, 60_000);
  const searcher = new Searcher(catalog, 2);
  try {
    assert.equal((await searcher.count('seq', ALL)).count, 3000, 'a first search caches the readers');
    unlinkSync(path);
    for (let i = 0; i < 3; i++) {
      const r = await searcher.count('seq', ALL);
      assert.equal(r.count, 2500);
      assert.deepEqual(r.skipped.map((s) => s.file), [file]);
    }
    const page = await searcher.page('seq', ALL, 10);
    assert.deepEqual(page.skipped.map((s) => s.file), [file]);
    const named = ofFile(catalog.problems, file);
    assert.equal(named.length, 1, `once, not per search: ${catalog.problems.join(' | ')}`);
    assert.match(named[0]!, /is missing: its file was deleted or moved while nml ran; its 500 lines \(2026-06-01T10:06:00\.000Z to 2026-06-01T10:06:59\.880Z\) are left out of searches/);
    assert.match(named[0]!, /restore the file from a backup/);
  } finally {
    await searcher.close();
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('after a restart the missing shard is a problem at every open, naming its lines, until nml stats --forget-lost', () => {
  const { dir, path, file } = build();
  try {
    new Catalog(dir, 60_000).close();
    unlinkSync(path);
    for (const writable of [true, true, false]) {
      const c = new Catalog(dir, 60_000, writable);
      try {
        const named = ofFile(c.problems, file);
        assert.equal(named.length, 1, c.problems.join(' | '));
        assert.match(named[0]!, new RegExp(`^store: a shard file the catalog lists is missing: ${file} \\(500 lines, 2026-06-01T10:06:00.000Z to 2026-06-01T10:06:59.880Z\\); 500 lines are no longer searchable; restore`));
        assert.match(named[0]!, /accept the loss with `nml stats --forget-lost --data DIR`/);
        assert.equal(c.summary().shards, 5, 'no longer listed');
      } finally {
        c.close();
      }
    }
    assert.deepEqual(forgetLost(dir).map((s) => [s.rel, s.rows]), [['2026/06/01/10/0600-w0-0.db', 500]]);
    const after = new Catalog(dir, 60_000);
    assert.deepEqual(after.problems, [], 'the loss was accepted');
    after.close();
    assert.deepEqual(forgetLost(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('after a restart a search over the lost shard\'s time names it as left out, one outside that time does not; retention forgets it once past its age', async () => {
  const { dir, path, file } = build();
  try {
    new Catalog(dir, 60_000).close();
    unlinkSync(path);
    for (const writable of [true, false]) {
      const c = new Catalog(dir, 60_000, writable);
      const searcher = new Searcher(c, 1);
      try {
        const r = await searcher.count('seq', ALL);
        assert.deepEqual([r.count, r.skipped], [2500, [{ file, from: T0, to: T0 + 59_880 }]], `writable ${writable}`);
        const page = await searcher.page('seq', { from: T0 + 30_000, to: T0 + 40_000 }, 10);
        assert.deepEqual(page.skipped.map((s) => s.file), [file]);
        const later = await searcher.count('seq', { from: T0 + 60_000, to: null });
        assert.deepEqual(later.skipped, [], 'a range after the lost shard\'s time is whole');
      } finally {
        await searcher.close();
        c.close();
      }
    }
    const c = new Catalog(dir, 60_000);
    const searcher = new Searcher(c, 1);
    try {
      const policy = { maxAgeMs: 3600_000, maxBytes: null };
      // an hour after the lost shard\'s lines: not yet past the limit
      assert.equal(applyRetention(c, policy, T0 + 60_000 + 3000_000).forgottenLost, undefined);
      assert.equal((await searcher.count('seq', ALL)).skipped.length, 1);
      const r = applyRetention(c, policy, T0 + 2 * 3600_000 + 120_000);
      assert.equal(r.forgottenLost, 1);
      assert.deepEqual((await searcher.count('seq', ALL)).skipped, []);
    } finally {
      await searcher.close();
      c.close();
    }
    const after = new Catalog(dir, 60_000);
    assert.deepEqual(ofFile(after.problems, file), [], 'no longer named at open either');
    after.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a reader beside a server that has not restarted names the missing shard and leaves it out; forget-lost then works too', async () => {
  const { dir, path, file } = build();
  const server = new Catalog(dir, 60_000);
  try {
    unlinkSync(path);
    const reader = new Catalog(dir, 60_000, false);
    const searcher = new Searcher(reader, 1);
    try {
      assert.equal(ofFile(reader.problems, file).length, 1, reader.problems.join(' | '));
      const r = await searcher.count('seq', ALL);
      assert.deepEqual([r.count, r.skipped.map((s) => s.file)], [2500, [file]]);
    } finally {
      await searcher.close();
      reader.close();
    }
    assert.deepEqual(forgetLost(dir).map((s) => s.rows), [500], 'the row the server still has is forgotten');
  } finally {
    server.close();
  }
  const next = new Catalog(dir, 60_000);
  assert.deepEqual(next.problems, []);
  next.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a missing file put back is searched again and no longer reported; one moved to quarantine/ is told once', async () => {
  const { dir, path, file, rel } = build();
  try {
    new Catalog(dir, 60_000).close();
    const aside = join(dir, 'backup.db');
    renameSync(path, aside);
    new Catalog(dir, 60_000).close();
    copyFileSync(aside, path);
    const restored = new Catalog(dir, 60_000);
    const searcher = new Searcher(restored, 1);
    try {
      assert.deepEqual(restored.problems, []);
      assert.equal((await searcher.count('seq', ALL)).count, 3000);
    } finally {
      await searcher.close();
      restored.close();
    }
    assert.deepEqual(new Catalog(dir, 60_000, false).problems, [], 'nor by a reader');
    // a damaged shard's remedy: moved to quarantine/ by hand
    mkdirSync(dirname(join(dir, 'quarantine', rel)), { recursive: true });
    renameSync(path, join(dir, 'quarantine', rel));
    const first = new Catalog(dir, 60_000);
    assert.deepEqual(first.problems, [`store: shard ${rel} was moved to quarantine/: its 500 lines are no longer searched`]);
    first.close();
    const second = new Catalog(dir, 60_000);
    assert.deepEqual(ofFile(second.problems, file), []);
    assert.deepEqual(second.problems, []);
    second.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a shard file deleted while its writer has it open: the next lines of that slot go to a new file of the slot, none into the deleted one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-missing-open-'));
  try {
    const set = new ShardSet({ dir: join(dir, 'shards'), lane: 0, slotMs: 60_000, sealIdleMs: 0, maxOpenShards: 8, optimizeOnSeal: false });
    const at = (i: number, raw: string): StoredLine => ({ time: T0 + i, receivedAt: T0 + i, source: 't', raw, text: raw });
    const [first] = set.append([at(1, 'before the delete')]);
    unlinkSync(join(dir, 'shards', first!.rel));
    const [second] = set.append([at(2, 'after the delete'), at(3, 'and another')]);
    assert.notEqual(second!.rel, first!.rel, 'a new file, not the same path again');
    assert.equal(second!.seq, first!.seq + 1);
    assert.equal(second!.stats.rows, 2, 'the new file holds the lines after the delete');
    set.closeAll(T0 + 3600_000);
    const r = new ShardReader(join(dir, 'shards', second!.rel));
    try {
      assert.deepEqual(r.lines([...r.rowidsDesc('delete OR another', null)].reverse()).map((h) => h.raw), ['after the delete', 'and another']);
    } finally {
      r.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
