import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Articles } from './articles.js';
import { FolderSource } from './folder-source.js';

/** Resolves once `ok()` holds, polling; fails after `ms`. */
async function until(ok: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out waiting for a reload');
    await new Promise((r) => setTimeout(r, 25));
  }
}

test('the watch sees changes in sub-folders (articles are read 8 levels deep) and a removed folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-watch-'));
  const articles = new Articles(join(dir, 'articles'));
  try {
    mkdirSync(join(dir, 'articles', 'reports', '2026'), { recursive: true });
    writeFileSync(join(dir, 'articles', 'top.md'), '# top\nbad-c2.example\n');
    await articles.reload();
    assert.equal(articles.value.articles.length, 1);
    articles.watch(50);
    writeFileSync(join(dir, 'articles', 'reports', '2026', 'deep.md'), '# deep\nC2 at 203.0.113.9:443\n');
    await until(() => articles.value.lookup('ip:203.0.113.9').length === 1);
    assert.equal(articles.value.lookup('ip:203.0.113.9')[0]!.path, 'reports/2026/deep.md');
    rmSync(join(dir, 'articles'), { recursive: true });
    await until(() => articles.status.missing);
    assert.equal(articles.value.articles.length, 0, 'a folder that is gone lists nothing');
    assert.equal(articles.details, null);
  } finally {
    articles.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a removed folder goes to the empty value with its details cleared', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-folder-'));
  let loads = 0;
  const src = new FolderSource<string[], { n: number }>(dir, [], async () => {
    loads++;
    return { value: ['x'], details: { n: 1 } };
  });
  try {
    await src.reload();
    assert.deepEqual([src.value, src.details, src.status.missing], [['x'], { n: 1 }, false]);
    rmSync(dir, { recursive: true });
    await src.reload();
    assert.deepEqual([src.value, src.details, src.status.missing, src.status.error], [[], null, true, null]);
    assert.equal(loads, 1);
    assert.equal(typeof src.status.loadedAt, 'number');
  } finally {
    src.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the watch picks up a folder made after start, and one swapped in by rename', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-swap-'));
  const at = join(dir, 'lists');
  let loads = 0;
  const src = new FolderSource<string[], null>(at, [], async (d) => {
    loads++;
    const { readdirSync } = await import('node:fs');
    return { value: readdirSync(d).sort(), details: null };
  });
  try {
    await src.reload();
    assert.equal(src.status.missing, true);
    src.watch(20, 40);
    mkdirSync(at);
    writeFileSync(join(at, 'a.txt'), '203.0.113.1\n');
    await until(() => src.value.includes('a.txt'));
    // the usual atomic deploy: build the new folder beside it, then rename it over the old one
    const next = join(dir, 'lists.new');
    mkdirSync(next);
    writeFileSync(join(next, 'b.txt'), '203.0.113.2\n');
    rmSync(at, { recursive: true });
    const { renameSync } = await import('node:fs');
    renameSync(next, at);
    await until(() => src.value.join() === 'b.txt');
    // and the new folder is watched: a file added to it is seen
    writeFileSync(join(at, 'c.txt'), '203.0.113.3\n');
    await until(() => src.value.join() === 'b.txt,c.txt');
    assert.ok(loads >= 3);
  } finally {
    src.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
