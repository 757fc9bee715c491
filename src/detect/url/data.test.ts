/** Loading the URL sets (scheme stripped, de-duplicated, conflicts dropped), host splits, metrics, and a sanity run on the shared data. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dedupeKey, hostOf, loadUrlRows, sourceGroup } from './data.js';
import { computeMetrics } from './metrics.js';
import { rocAuc, tprAtFpr } from '../../core/index.js';
import { extrasToTrain, hostSplit, leaveOneSourceOut, sharedHosts, sourcesOf } from './split.js';
import { FIXTURE_DATA_DIR, repoRoot } from './testing.js';

const SHARED = join(repoRoot(), '..', 'shared', 'datasets');

test('fixture rows: scheme stripped, quoted commas kept, duplicates and conflicting labels dropped', () => {
  const rows = loadUrlRows(FIXTURE_DATA_DIR);
  assert.ok(rows.every((r) => !/^[a-z]+:\/\//i.test(r.url)));
  assert.ok(rows.some((r) => r.url === 'x.example/a,b "quoted"'));
  assert.ok(!rows.some((r) => r.host === 'dup.example'), 'a key with both labels is dropped');
  assert.equal(new Set(rows.map((r) => dedupeKey(r.url))).size, rows.length);
  assert.deepEqual(sourcesOf(rows), ['fix-a', 'fix-b', 'fix-c']);
  assert.equal(hostOf('User@WWW.Example.com:8080/x'), 'example.com');
  assert.equal(hostOf('[2001:DB8::1]:8080/x'), '[2001:db8::1]', 'an IPv6 literal loses its port, not its colons');
  assert.equal(hostOf('u@[2001:db8::1]/x'), '[2001:db8::1]');
  assert.equal(hostOf('[::1]'), '[::1]');
  assert.equal(hostOf('WWW.Example.COM.:8080/x'), 'example.com', 'a trailing (root) dot is the same host');
  assert.equal(hostOf('example.com../x'), 'example.com');
  assert.equal(sourceGroup('phishtank-2020-07-20'), 'phishtank');
  assert.throws(() => loadUrlRows(join(FIXTURE_DATA_DIR, 'nowhere')), { code: 'URL_DATA_MISSING' });
});

test('splits never put one host on both sides and are reproducible from the seed', () => {
  const rows = loadUrlRows(FIXTURE_DATA_DIR);
  const a = hostSplit(rows, 0.3, 5);
  assert.deepEqual(sharedHosts(rows, a), []);
  assert.deepEqual(hostSplit(rows, 0.3, 5), a);
  assert.notDeepEqual(hostSplit(rows, 0.3, 6).test, a.test);
  const l = leaveOneSourceOut(rows, 'fix-b');
  assert.ok(l.test.every((i) => rows[i]!.source === 'fix-b'));
  assert.ok(l.train.every((i) => rows[i]!.source !== 'fix-b'));
  assert.deepEqual(sharedHosts(rows, l), []);
});

test('metrics: ROC-AUC with ties, detection at a false-positive rate, confusion', () => {
  assert.equal(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75);
  assert.equal(rocAuc([0.5, 0.5], [0, 1]), 0.5);
  assert.equal(rocAuc([0.2, 0.3], [1, 1]), null);
  const neg = Array.from({ length: 100 }, (_, i) => i / 100);
  const s = [...neg, 0.995, 0.985, 0.5];
  const y = [...neg.map(() => 0), 1, 1, 1];
  assert.equal(tprAtFpr(s, y, 0.01), 2 / 3);
  const m = computeMetrics([0.9, 0.2, 0.6, 0.1], [1, 1, 0, 0]);
  assert.deepEqual(m.confusion, [
    [1, 1],
    [1, 1],
  ]);
  assert.equal(m.accuracy, 0.5);
});

test('shared URL sets load with every source', { skip: existsSync(join(SHARED, 'urls-more')) ? false : 'needs ../shared/datasets/urls-more' }, () => {
  const rows = loadUrlRows(SHARED);
  assert.ok(rows.length > 200_000);
  assert.deepEqual(sourcesOf(rows), ['esdaung-phishdataset-2021', 'faizann24-data2', 'hannousse-webpage-phishing-2021', 'iscx-url-2016', 'phishstorm', 'phishtank']);
  assert.ok(rows.every((r) => !/^https?:\/\//i.test(r.url)));
});

test('--extra-benign opendns: homepage + one path per domain, training only, never a host of the URL sets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-url-extra-'));
  try {
    cpSync(join(FIXTURE_DATA_DIR, 'urls-iscx-phishtank'), join(dir, 'urls-iscx-phishtank'), { recursive: true });
    const base = loadUrlRows(dir);
    const known = base[0]!.host;
    mkdirSync(join(dir, 'benign-domains-opendns'));
    writeFileSync(join(dir, 'benign-domains-opendns', 'opendns-top-domains.txt'), `example.org\n${known}\nnot a domain\n\nExample.org\n`);
    writeFileSync(join(dir, 'benign-domains-opendns', 'opendns-random-domains.txt'), 'foo.example.net\n');
    const rows = loadUrlRows(dir, undefined, ['opendns']);
    assert.deepEqual(rows.slice(0, base.length), base, 'the URL sets load unchanged, extras come after');
    const extra = rows.slice(base.length);
    assert.equal(extra.length, 4);
    assert.ok(extra.every((r) => r.extra === true && r.label === 0 && r.source === 'opendns' && r.host !== known));
    assert.deepEqual(extra.filter((r) => r.url === `${r.host}/`).map((r) => r.url).sort(), ['example.org/', 'foo.example.net/']);
    assert.deepEqual(sourcesOf(rows), sourcesOf(base), 'an extra source is never held out');
    const s = extrasToTrain(rows, hostSplit(rows, 0.5, 3));
    assert.ok(s.test.every((i) => rows[i]!.extra !== true));
    assert.equal(s.train.length + s.test.length, rows.length);
    assert.deepEqual(sharedHosts(rows, s), []);
    for (const src of sourcesOf(rows)) {
      const l = leaveOneSourceOut(rows, src);
      assert.ok(l.test.every((i) => rows[i]!.extra !== true));
      assert.deepEqual(sharedHosts(rows, l), []);
    }
    assert.throws(() => loadUrlRows(dir, undefined, ['nope']), { code: 'URL_DATA_MISSING' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
