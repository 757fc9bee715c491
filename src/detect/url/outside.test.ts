/** The outside URL test: what is kept from the news links and Maltrail trails, and the eval split built on it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { evaluateUrlModels, OUTSIDE_SPLIT, type FoldResult } from './eval.js';
import { renderEvalMarkdown } from './eval-report.js';
import { dedupeKey, loadUrlRows } from './data.js';
import { loadOutsideRows, maltrailFullUrl, OUTSIDE_FILES, outsideAvailable, splitOutside } from './outside.js';
import { FIXTURE_DATA_DIR } from './testing.js';

/** The outside files; `more` adds that many further news hosts and Maltrail hosts (two URLs each). */
function writeOutside(dir: string, more = 0): void {
  const put = (rel: string, text: string): void => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), rel.endsWith('.gz') ? gzipSync(text) : text);
  };
  const timeline = ['https://news.example.org/2023/01/ransomware-hits-city', 'https://news.example.org/2023/02/breach', 'https://www.news.example.org/2023/01/ransomware-hits-city/', 'https://blog.vendor.example/patch-tuesday?utm_source=x'];
  for (let i = 0; i < more; i++) timeline.push(`https://site${i}.example.org/2024/05/story-${i}`, `https://site${i}.example.org/2024/06/other-${i}`);
  put(OUTSIDE_FILES.hackmageddon, 'id,description,link\n' + timeline.map((l, i) => `${i},"a, quoted ""text""",${l}`).join('\n') + '\n');
  put(OUTSIDE_FILES.casie, 'doc_id,title,link\n' + ['https://both.example.com/story', 'not a link'].map((l, i) => `${i},t,${l}`).join('\n') + '\n');
  const trails = [
    'http://evil-kit.example.net/wp-admin/x.php,url,malware,formbook,',
    'evil-kit.example.net/.secure/login,url,malicious,bad_script,',
    'http://203.0.113.9/bins/mirai.arm7,url,malware,elf_mirai,',
    '/bins/mirai.mips,url,malware,elf_mirai,',
    'bare-host.example.info,url,malware,generic,',
    'shell.example.biz/aspnet_client/a.aspx,url,suspicious,web_shells,',
    'both.example.com/pay/verify,url,malware,generic,',
    'trained.example.com/kit/,url,malware,generic,',
    'evil.example.io/a.php,domain,malware,generic,',
  ];
  for (let i = 0; i < more; i++) trails.push(`kit${i}.example.net/wp-content/p${i}.php,url,malware,generic,`, `kit${i}.example.net/.well/login${i},url,malicious,generic,`);
  put(OUTSIDE_FILES.maltrail, 'indicator,indicator_kind,class,family_or_list,comment\n' + trails.join('\n') + '\n');
}

test('maltrailFullUrl keeps domain-hosted URLs with a path only', () => {
  assert.equal(maltrailFullUrl('http://evil.example.net/x.php'), 'evil.example.net/x.php');
  assert.equal(maltrailFullUrl('evil.example.net/'), null);
  assert.equal(maltrailFullUrl('evil.example.net'), null);
  assert.equal(maltrailFullUrl('/bins/x.arm'), null);
  assert.equal(maltrailFullUrl('http://198.51.100.7/ok/ups.html'), null);
  assert.equal(maltrailFullUrl(''), null);
});

test('loadOutsideRows: news links benign, maltrail full URLs malicious, no training host, no host on both sides, capped per host', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-outside-'));
  try {
    assert.equal(outsideAvailable(dir), false);
    writeOutside(dir);
    assert.equal(outsideAvailable(dir), true);
    const rows = loadOutsideRows(dir, { trainHosts: new Set(['trained.example.com']), trainKeys: new Set(), seed: 1 });
    const got = rows.map((r) => `${r.label} ${r.source} ${r.url}`).sort();
    assert.deepEqual(got, [
      '0 news-links blog.vendor.example/patch-tuesday?utm_source=x',
      '0 news-links news.example.org/2023/01/ransomware-hits-city',
      '0 news-links news.example.org/2023/02/breach',
      '1 maltrail evil-kit.example.net/.secure/login',
      '1 maltrail evil-kit.example.net/wp-admin/x.php',
    ]);
    const capped = loadOutsideRows(dir, { trainHosts: new Set(), trainKeys: new Set(), seed: 1, perHost: 1 });
    assert.equal(capped.filter((r) => r.host === 'news.example.org').length, 1);
    assert.equal(capped.filter((r) => r.host === 'evil-kit.example.net').length, 1);
    assert.ok(capped.some((r) => r.host === 'trained.example.com'), 'without the training host, its rows are kept');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('eval url tests on one half of the outside hosts, trains on the other only when asked, and reports it on its own', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-outside-eval-'));
  try {
    mkdirSync(join(dir, 'urls-iscx-phishtank'));
    copyFileSync(join(FIXTURE_DATA_DIR, 'urls-iscx-phishtank', 'urls.csv.gz'), join(dir, 'urls-iscx-phishtank', 'urls.csv.gz'));
    writeOutside(dir, 12);
    const seed = 2;
    const setRows = loadUrlRows(dir);
    const all = loadOutsideRows(dir, { trainHosts: new Set(setRows.map((r) => r.host)), trainKeys: new Set(setRows.map((r) => dedupeKey(r.url))), seed });
    const { test: half, spare } = splitOutside(all, seed);
    assert.ok(half.length > 0 && spare.length > 0, 'both halves hold rows');
    assert.equal(half.length + spare.length, all.length);
    const testHosts = new Set(half.map((r) => r.host));
    assert.ok(!spare.some((r) => testHosts.has(r.host)), 'no host in both halves');

    const base = { dataDir: dir, models: ['bob' as const], seed, epochs: 2, maxTrain: 0, exposeTrain: 0, exposeEpochs: 1, exposeTest: 0 };
    const r = evaluateUrlModels({ ...base, outside: 'only' }, 'test');
    assert.deepEqual(r.folds.map((f) => f.split), [OUTSIDE_SPLIT]);
    assert.equal(r.folds[0]!.metrics.n, half.length);
    assert.equal(r.outside?.benign, half.filter((x) => x.label === 0).length);
    assert.deepEqual(r.pooled, {}, 'the outside split is not part of leave-one-source-out');
    const md = renderEvalMarkdown(r);
    assert.match(md, /## Outside the URL sets \(never trained on\)/);
    assert.doesNotMatch(md, /Pooled leave-one-source-out/);

    const extra = evaluateUrlModels({ ...base, noRandom: true, extraTrain: ['news-links', 'maltrail'] }, 'test');
    const fold = (rep: typeof r, name: string): FoldResult => rep.folds.find((f) => f.split === name)!;
    assert.equal(fold(extra, OUTSIDE_SPLIT).metrics.n, half.length, 'the same test half');
    assert.equal(fold(extra, OUTSIDE_SPLIT).trainRows, fold(r, OUTSIDE_SPLIT).trainRows + spare.length);
    const loso = extra.folds.filter((f) => f.split.startsWith('leave-out:'));
    assert.ok(loso.length > 0 && !loso.some((f) => f.split.includes('maltrail') || f.split.includes('news-links')), 'extra sources are never held out');
    const none = evaluateUrlModels({ ...base, noRandom: true, outside: 'no' }, 'test');
    assert.ok(!none.folds.some((f) => f.split === OUTSIDE_SPLIT));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
