/** `nml train url`, `nml score url` and `nml eval url` on the tiny fixture: files written, one line per input in order, a report. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_DATA_DIR, zeekSslTsv } from '../../detect/url/testing.js';
import { REPO_ROOT, runInProcess } from '../testing.js';
import { defaultModelDir } from '../../detect/index.js';
import { shippedUrlModelDir } from './train-url.js';
import { DEFAULT_URL_REPORT } from './eval-url.js';

const run = runInProcess;

test('train, score and eval url on the fixture', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-url-cli-'));
  try {
    const bob = join(dir, 'bob');
    const tb = await run(['train', 'url', '--model', 'bob', '--data-dir', FIXTURE_DATA_DIR, '--out', bob, '--epochs', '4', '--seed', '3', '--no-progress']);
    assert.equal(tb.code, 0, tb.err);
    assert.match(tb.out, /^trained bob-\d{4}-\d\d-\d\d-s3 on \d+ URLs/);
    // the default model kind is the byte n-gram model
    const model = join(dir, 'ngram');
    // --datasets, the name the other commands use (--data-dir, above, is its older name)
    const t = await run(['train', 'url', '--datasets', FIXTURE_DATA_DIR, '--out', model, '--seed', '3', '--no-progress']);
    assert.equal(t.code, 0, t.err);
    assert.match(t.out, /^trained ngram-\d{4}-\d\d-\d\d-s3 on \d+ URLs/);
    assert.ok(existsSync(join(model, 'weights.bin')));
    const meta = JSON.parse(readFileSync(join(model, 'model.json'), 'utf8')) as { seed: number; kind: string; threshold: number; training: { extraBenign: { lists: string[]; rows: number } } };
    assert.equal(meta.seed, 3);
    // the top domains' homepages train by default (40 in the fixture list), and the card says so
    assert.deepEqual(meta.training.extraBenign, { lists: ['opendns-top'], rows: 40 });
    assert.equal(meta.kind, 'ngram');
    assert.ok(meta.threshold > 0 && meta.threshold <= 1, `threshold from the benign validation scores: ${meta.threshold}`);
    const sb = await run(['score', 'url', '--model', bob, 'http://secure-login-ab.tk/login/index.php1']);
    assert.equal(sb.code, 0, sb.err);
    assert.match(sb.out, /^0\.\d{6}\thttp:\/\/secure-login-ab\.tk\/login\/index\.php1\n$/);
    const urls = ['http://secure-login-ab.tk/login/index.php1', '', 'https://news.example.com/article/x.html'];
    const s = await run(['score', 'url', '--model', model, ...urls]);
    assert.equal(s.code, 0, s.err);
    const lines = s.out.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    lines.forEach((l, i) => {
      const [score, url] = l.split('\t');
      assert.equal(url, urls[i]);
      assert.ok(Number(score) >= 0 && Number(score) <= 1);
    });
    assert.match(s.err, /nml: 1 empty input \(input 2\) scored 0: there was no URL to score/, 'the placeholder score is said to be one');
    const j = await run(['score', 'url', '--model', model, '--json', urls[0]!]);
    const obj = JSON.parse(j.out) as { subject: string; explanation: { summary: string } };
    assert.equal(obj.subject, urls[0]);
    assert.match(obj.explanation.summary, /^score /);
    const report = join(dir, 'EVAL.md');
    // --out, as eval syn and eval assist take it, is --report
    const e = await run(['eval', 'url', '--datasets', FIXTURE_DATA_DIR, '--epochs', '2', '--out', report]);
    assert.equal(e.code, 0, e.err);
    const md = readFileSync(report, 'utf8');
    assert.match(md, /\| leave-one-source-out, pooled \| ngram \|/);
    assert.match(md, /\| leave-one-source-out, pooled \| bob \|/);
    assert.match(md, /called malicious \(byte n-grams, leave-one-source-out/);
    assert.match(md, /leave-out:fix-b/);
    assert.match(md, /## Held-out sources by class/);
    assert.match(md, /\| fix-b \| phishing \| ngram \| \d+ \| [01]\.\d{4} \|/);
    assert.ok(existsSync(join(dir, 'EVAL.json')));
    const two = await run(['train', 'url', '--datasets', FIXTURE_DATA_DIR, '--data-dir', dir, '--out', join(dir, 'x'), '--no-progress']);
    assert.equal(two.code, 2);
    assert.match(two.err, /--datasets .* and --data-dir .* name two folders; give one/);
    // the error study shows one URL per host, so one host's many near-identical URLs cannot fill it
    const ev = JSON.parse(readFileSync(join(dir, 'EVAL.json'), 'utf8')) as { falsePositives: { url: string }[]; falseNegatives: { url: string }[] };
    assert.ok(ev.falsePositives.length + ev.falseNegatives.length > 0);
    for (const list of [ev.falsePositives, ev.falseNegatives]) {
      const hosts = list.map((e) => e.url.split(/[/?#]/)[0]!.toLowerCase().replace(/^www\./, ''));
      assert.equal(new Set(hosts).size, hosts.length, hosts.join(' '));
    }
    // bare hosts: the 40 random-list domains scored by each of the three folds, for each model
    assert.match(md, /## URLs that are only a host \(leave-one-source-out\)/);
    assert.match(md, /Benign: 40 domains of a random sample/);
    assert.match(md, /\| ngram \| \d+ \| 120 \|/);
    assert.match(md, /reads each distinct gram of the host and of the path once \(`--grams distinct`\)/);
    assert.match(md, /six weights for the host, or a parent domain, being among the 100 \/ 1,000 \/ 10,000 most popular domains of the list opendns-top/);
    const none = await run(['train', 'url', '--data-dir', FIXTURE_DATA_DIR, '--out', join(dir, 'plain'), '--seed', '3', '--extra-benign', 'none', '--no-progress']);
    assert.equal(none.code, 0, none.err);
    const plain = JSON.parse(readFileSync(join(dir, 'plain', 'model.json'), 'utf8')) as typeof meta;
    assert.deepEqual(plain.training.extraBenign, { lists: [], rows: 0 });
    // popularity: learned by default (the fixture list has 40 domains), recorded with its six weights; `none` leaves it out
    const popOf = (m: string): { training: { popularity: unknown }; tensors: { name: string }[] } => JSON.parse(readFileSync(join(m, 'model.json'), 'utf8')) as { training: { popularity: unknown }; tensors: { name: string }[] };
    const pop = popOf(model).training.popularity as { list: string; domains: number; weights: number[] };
    assert.equal(pop.list, 'opendns-top');
    assert.equal(pop.domains, 40);
    assert.equal(pop.weights.length, 6);
    assert.deepEqual(popOf(model).tensors.map((t) => t.name), ['w', 'b', 'pop_w', 'pop_hi', 'pop_lo', 'pop_tier']);
    const np = await run(['train', 'url', '--data-dir', FIXTURE_DATA_DIR, '--out', join(dir, 'nopop'), '--seed', '3', '--popularity', 'none', '--model-version', 'ngram-test-nopop', '--no-progress']);
    assert.equal(np.code, 0, np.err);
    assert.match(np.out, /^trained ngram-test-nopop on /);
    assert.equal(popOf(join(dir, 'nopop')).training.popularity, 'none');
    assert.deepEqual(popOf(join(dir, 'nopop')).tensors.map((t) => t.name), ['w', 'b']);
    // grams: distinct by default, recorded in model.json; --grams counted trains the reading of the models before it; bob has no field
    const gramsOf = (m: string): unknown => (JSON.parse(readFileSync(join(m, 'model.json'), 'utf8')) as { grams?: unknown }).grams;
    assert.equal(gramsOf(model), 'distinct');
    assert.equal(gramsOf(bob), undefined);
    const counted = await run(['train', 'url', '--data-dir', FIXTURE_DATA_DIR, '--out', join(dir, 'counted'), '--seed', '3', '--grams', 'counted', '--no-progress']);
    assert.equal(counted.code, 0, counted.err);
    assert.equal(gramsOf(join(dir, 'counted')), 'counted');
    assert.notDeepEqual(readFileSync(join(dir, 'counted', 'weights.bin')), readFileSync(join(model, 'weights.bin')));
    const badGrams = await run(['train', 'url', '--data-dir', FIXTURE_DATA_DIR, '--grams', 'twice', '--no-progress']);
    assert.equal(badGrams.code, 2);
    assert.match(badGrams.err, /--grams: expected counted or distinct, got 'twice'/);
    const badPop = await run(['train', 'url', '--data-dir', FIXTURE_DATA_DIR, '--popularity', 'alexa', '--no-progress']);
    assert.equal(badPop.code, 2);
    assert.match(badPop.err, /--popularity: expected one of opendns-top, none, got 'alexa'/);
    const bad = await run(['train', 'url', '--data-dir', FIXTURE_DATA_DIR, '--extra-benign', 'alexa', '--no-progress']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--extra-benign: expected some of opendns, opendns-home, opendns-top, got 'alexa'/);
    const missing = await run(['score', 'url', '--model', join(dir, 'none'), 'x']);
    assert.equal(missing.code, 2, 'a --model folder that does not exist is a wrong path on the command line');
    assert.match(missing.err, /none does not exist; a url model directory holds model\.json and weights\.bin/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('eval url with all three models reports eXpose, the byte models on the same rows and the mean of BoB and eXpose', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-url-eval-both-'));
  try {
    const report = join(dir, 'EVAL.md');
    const e = await run(['eval', 'url', '--data-dir', FIXTURE_DATA_DIR, '--models', 'ngram,bob,expose', '--epochs', '2', '--expose-train', '60', '--expose-epochs', '1', '--expose-test', '10', '--no-random', '--report', report]);
    assert.equal(e.code, 0, e.err);
    const md = readFileSync(report, 'utf8');
    assert.match(md, /\| leave-out:fix-b \| expose \| 10 \|/);
    assert.match(md, /\| leave-out:fix-b \| bob on eXpose's test sample \| 10 \|/);
    assert.match(md, /\| leave-out:fix-b \| ngram on eXpose's test sample \| 10 \|/);
    assert.match(md, /\| leave-out:fix-b \| mean of bob and expose \| 10 \|/);
    const json = JSON.parse(readFileSync(join(dir, 'EVAL.json'), 'utf8')) as { pooled: Record<string, { n: number }> };
    assert.deepEqual(Object.keys(json.pooled).sort(), ['bob', "bob on eXpose's test rows", 'expose', 'mean of bob and expose', 'ngram', "ngram on eXpose's test rows"]);
    assert.equal(json.pooled['mean of bob and expose']!.n, json.pooled['expose']!.n);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('eval url refuses an unknown --extra-train source, naming the choices', async () => {
  const e = await run(['eval', 'url', '--data-dir', FIXTURE_DATA_DIR, '--extra-train', 'news-links,blogs']);
  assert.equal(e.code, 2);
  assert.match(e.err, /--extra-train: expected some of news-links, maltrail, got 'news-links,blogs'/);
});

test('eval url refuses a --sources name the sets do not hold, and --outside-only with --no-outside, before any training', async () => {
  const e = await run(['eval', 'url', '--data-dir', FIXTURE_DATA_DIR, '--sources', 'fix-a,bogus', '--no-outside']);
  assert.equal(e.code, 2);
  assert.match(e.err, /--sources names 'bogus', which the URL sets do not hold; the sources are fix-a, fix-b, fix-c/);
  const both = await run(['eval', 'url', '--data-dir', FIXTURE_DATA_DIR, '--outside-only', '--no-outside']);
  assert.equal(both.code, 2);
  assert.match(both.err, /--outside-only and --no-outside together leave nothing to evaluate/);
});

test('train url refuses --strip-www for the n-gram model, saying what to do', async () => {
  const t = await run(['train', 'url', '--data-dir', FIXTURE_DATA_DIR, '--strip-www', '--out', join(tmpdir(), `nml-never-${process.pid}`), '--no-progress']);
  assert.equal(t.code, 2);
  assert.match(t.err, /ngram model reads the URL without its scheme only; leave out --strip-www/);
});

test('train url --adapt-urls says what adaptation used; eval url --adapt adds its protocol to the report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-url-adapt-'));
  try {
    const file = join(dir, 'proxy-urls.txt');
    writeFileSync(file, '# our proxy\n' + Array.from({ length: 30 }, (_, i) => `https://wiki.corp-intra.lan/display/OPS/Runbook+${i}`).join('\n') + '\n');
    const t = await run(['train', 'url', '--data-dir', FIXTURE_DATA_DIR, '--out', join(dir, 'adapted'), '--seed', '3', '--adapt-urls', file, '--adapt-below', '0.9', '--no-progress']);
    assert.equal(t.code, 0, t.err);
    assert.match(t.err, /first model trained; \d+ of the 30 URLs to adapt to scored below 0\.9: training again with them as benign\n/);
    assert.match(t.out, /^adapted: 30 distinct URLs read \(1 line skipped\), \d+ of them on [01] hosts scored below 0\.9 by the first model and trained as benign\ntrained ngram-\d{4}-\d\d-\d\d-s3-adapted on /);
    const bob = await run(['train', 'url', '--model', 'bob', '--data-dir', FIXTURE_DATA_DIR, '--out', join(dir, 'bob'), '--adapt-urls', file, '--no-progress']);
    assert.equal(bob.code, 2);
    assert.match(bob.err, /adaptation \(--adapt-urls\) is for the ngram model, not bob/);
    const gone = await run(['train', 'url', '--data-dir', FIXTURE_DATA_DIR, '--out', join(dir, 'x'), '--adapt-urls', join(dir, 'missing.txt'), '--no-progress']);
    assert.equal(gone.code, 2);
    assert.match(gone.err, /cannot read .*missing\.txt/);
    const report = join(dir, 'EVAL.md');
    const e = await run(['eval', 'url', '--data-dir', FIXTURE_DATA_DIR, '--models', 'ngram', '--no-random', '--adapt', '--report', report]);
    assert.equal(e.code, 0, e.err);
    const md = readFileSync(report, 'utf8');
    assert.match(md, /## Adapted to the held-out source \(a different protocol: beside the headline, not as it\)/);
    assert.match(md, /\| fix-b \| \d+ \| \d+ \| \d+ \| \d+ \| ROC-AUC [01]\.\d{3} → [01]\.\d{3} \|/);
    assert.match(md, /\| adapted \| \d+ \| \d+\.\d% \|/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('search --urls prints the distinct URLs of matching lines as the live scorer reads them, findings left out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-url-search-'));
  try {
    const log = join(dir, 'lines.log');
    const now = new Date().toISOString();
    writeFileSync(
      log,
      [
        `<134>1 ${now} proxy squid - - - GET http://intranet.corp.example/wiki/Start?x=1 200`,
        `<134>1 ${now} proxy squid - - - GET http://intranet.corp.example/wiki/Start?x=1 200`,
        `<134>1 ${now} proxy squid - - - GET https://cdn.example.net/app.js 200`,
        `<134>1 ${now} fw sshd - - - Accepted password for alice from 10.0.0.5 port 50000 ssh2`,
        `<108>1 ${now} node nml-detect - finding - detector=url score=0.990 model=m url=http://bad.example/login score 0.990`,
        zeekSslTsv('updates.example.org'),
      ].join('\n') + '\n',
    );
    const ing = await run(['ingest', '--data', dir, '--no-progress', log]);
    assert.equal(ing.code, 0, ing.err);
    const s = await run(['search', '--data', dir, '--from', '2018-01-01T00:00:00Z', '--urls', '--limit', '10']);
    assert.equal(s.code, 0, s.err);
    assert.deepEqual(s.out.trimEnd().split('\n').sort(), ['http://intranet.corp.example/wiki/Start?x=1', 'https://cdn.example.net/app.js', 'updates.example.org/']);
    const one = await run(['search', '--data', dir, '--from', '2018-01-01T00:00:00Z', '--urls', '--limit', '1']);
    assert.equal(one.out.trimEnd().split('\n').length, 1, 'the limit counts URLs');
    const q = await run(['search', '--data', dir, '--from', '2018-01-01T00:00:00Z', '--urls', 'squid']);
    assert.deepEqual(q.out.trimEnd().split('\n').sort(), ['http://intranet.corp.example/wiki/Start?x=1', 'https://cdn.example.net/app.js']);
    const json = await run(['search', '--data', dir, '--from', '2018-01-01T00:00:00Z', '--urls', '--json', 'squid']);
    assert.deepEqual(json.out.trimEnd().split('\n').map((l) => (JSON.parse(l) as { url: string }).url).sort(), ['http://intranet.corp.example/wiki/Start?x=1', 'https://cdn.example.net/app.js'], '--json: one {url} object a line');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train url and eval url without --out/--report write beside the package, where nml score url reads, whatever the working directory', async () => {
  assert.equal(shippedUrlModelDir('ngram'), defaultModelDir(), 'the folder train url writes is the one score url reads');
  assert.equal(shippedUrlModelDir('bob'), join(REPO_ROOT, 'models', 'url', 'bob'));
  assert.equal(DEFAULT_URL_REPORT, join(REPO_ROOT, 'models', 'url', 'EVAL.md'));
  const cwd = mkdtempSync(join(tmpdir(), 'nml-url-cwd-'));
  const before = process.cwd();
  try {
    // run from another folder (in this process: a child under tsx resolves tsx from its working directory);
    // no URL sets under --data-dir: refused before anything is trained or written
    process.chdir(cwd);
    const t = await run(['train', 'url', '--data-dir', cwd, '--no-progress']);
    process.chdir(before);
    assert.equal(t.code, 2, t.err);
    assert.match(t.err, new RegExp(`no --out: the model will replace the shipped one in ${join(REPO_ROOT, 'models', 'url', 'ngram').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(what nml score url and nml serve read\\); give --out DIR to keep it`));
    assert.match(t.err, /URL sets|urls\.csv\.gz/);
    assert.equal(existsSync(join(cwd, 'models')), false, 'nothing under the working directory');
  } finally {
    process.chdir(before);
    rmSync(cwd, { recursive: true, force: true });
  }
});
