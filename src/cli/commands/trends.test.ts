/** `nml trends collect --once` into a data directory: documents stored, errors counted, and each document's log line is what `app:nml-trends` finds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from '../testing.js';
import { fixture, serve, startFixtureServer } from '../../trends/testing.js';
import { DocStore, docLogLine } from '../../trends/index.js';
import { parseLine } from '../../parse/index.js';
import { indexText } from '../../store/index.js';
import { compileQuery } from '../../search/index.js';
import { docsDbPath } from './trends.js';

const run = runInProcess;

test('nml trends collect --once stores documents in docs.db; a bad source is counted and sets the exit status', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-cli-'));
  const srv = await startFixtureServer();
  try {
    srv.route('/rss', serve(fixture('rss.xml'), 'application/rss+xml'));
    srv.route('/broken', serve(fixture('malformed.xml'), 'application/xml'));
    const sources = join(dir, 'sources.json');
    writeFileSync(
      sources,
      JSON.stringify({
        fetch: { perHostIntervalMs: 0, retries: 0, timeoutMs: 2000, respectRobots: false },
        sources: [
          { name: 'news', kind: 'feed', url: `${srv.url}/rss` },
          { name: 'broken', kind: 'feed', url: `${srv.url}/broken` },
        ],
      }),
    );
    const data = join(dir, 'data');
    // --no-log: the log engine's writer lanes are covered by the store's own tests; here the documents and counters
    const r = await run(['trends', 'collect', '--once', '--no-log', '--sources', sources, '--data', data, '--models', join(dir, 'no-models')]);
    assert.equal(r.code, 1, 'one source failed');
    assert.match(r.out, /news +items 3 +stored 3/);
    assert.match(r.out, /broken .*errors FEED_MALFORMED×1/);
    const docs = new DocStore(docsDbPath(data));
    try {
      const stored = docs.list(0, Date.now(), 10);
      assert.equal(stored.length, 3);
      // what the log engine would index for each document answers `app:nml-trends lockbit` exactly once
      const plan = compileQuery('app:nml-trends lockbit');
      const terms = (plan.fastFts ?? '').match(/"[^"]+"/g)!.map((t) => t.slice(1, -1));
      const hits = stored.filter((d) => {
        const ev = parseLine({ line: docLogLine({ ...d, types: {} }), receivedAt: Date.now(), source: 'trends:news' });
        const text = indexText(ev).toLowerCase();
        return ev.app === 'nml-trends' && terms.every((t) => text.includes(t));
      });
      assert.deepEqual(hits.map((d) => d.title), ['LockBit ransomware hits hospital']);
    } finally {
      docs.close();
    }
  } finally {
    await srv.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml trends collect refuses a bad sources file with a usage error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-trends-cli-'));
  try {
    const sources = join(dir, 'sources.json');
    writeFileSync(sources, JSON.stringify({ sources: [{ name: 'x', kind: 'gopher', url: 'http://x' }] }));
    const r = await run(['trends', 'collect', '--once', '--sources', sources, '--data', join(dir, 'd')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /sources\[0\]\.kind/);
    const missing = await run(['trends', 'collect', '--once', '--sources', join(dir, 'nope.json'), '--data', join(dir, 'd')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read .*nope\.json: there is no such file; give --sources a JSON file/);
    writeFileSync(sources, '{ "sources": [');
    assert.match((await run(['trends', 'collect', '--once', '--sources', sources, '--data', join(dir, 'd')])).err, /sources\.json: it is not JSON/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('nml trends predict forecasts one period: --period both is a usage error, not the day alone', async () => {
  const r = await run(['trends', 'predict', '--period', 'both']);
  assert.equal(r.code, 2);
  assert.match(r.err, /expected day or week, got 'both'/);
});

test('nml trends predict with a --models folder that does not exist says so instead of fitting models on the fly', async () => {
  const r = await run(['trends', 'predict', '--models', join(tmpdir(), `nml-no-models-${process.pid}`)]);
  assert.equal(r.code, 1);
  assert.match(r.err, /--models .*nml-no-models-\d+ does not exist/);
});
