/**
 * Every line of the shared loghub-2k and crowdsec-hub-test-logs samples is stored and searchable:
 * the count of stored lines equals the count of non-empty lines read (collectors skip empty lines and
 * count them). Skips with a message where ../shared/datasets is absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FileSource } from '../../src/collect/index.js';
import { Catalog } from '../../src/store/index.js';
import { Searcher } from '../../src/search/index.js';
import { openStore } from '../../src/open-store.js';
import { ROOT, tempDir, testConfig } from './helpers.js';

const DATASETS = join(ROOT, '..', 'shared', 'datasets');

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (name.endsWith('.log')) out.push(p);
  }
  return out;
}

test('every line of the shared log samples is stored and counted', async (t) => {
  const roots = ['loghub-2k', 'crowdsec-hub-test-logs'].map((d) => join(DATASETS, d));
  if (!roots.every(existsSync)) {
    t.skip(`datasets not found at ${DATASETS} (expected loghub-2k/ and crowdsec-hub-test-logs/)`);
    return;
  }
  const paths = roots.flatMap((r) => files(r));
  let expected = 0;
  for (const p of paths) for (const l of readFileSync(p, 'utf8').split('\n')) if (l.replace(/\r$/, '') !== '') expected++;
  const tmp = tempDir('nml-datasets-');
  try {
    const config = testConfig(tmp.dir);
    const store = openStore(config);
    const source = new FileSource({ paths });
    await source.start(store.writer);
    await source.done();
    await source.stop();
    await store.writer.flush();
    await store.close();
    const s = source.stats();
    assert.equal(s.committed, expected, 'every non-empty line committed');
    const catalog = new Catalog(tmp.dir, config.store.slotMs, false);
    const searcher = new Searcher(catalog, 2);
    try {
      assert.equal((await searcher.count('', { from: null, to: null })).count, expected, 'every committed line searchable');
      // a few things an operator looks for in them
      assert.ok((await searcher.count('app:sshd', { from: null, to: null })).count > 0);
      assert.ok((await searcher.count('format:raw', { from: null, to: null })).count > 0, 'lines that are not syslog are kept raw');
      t.diagnostic(`${paths.length} files, ${expected} lines stored`);
    } finally {
      await searcher.close();
      catalog.close();
    }
  } finally {
    tmp.cleanup();
  }
});
