/** URL sets with rows that cannot be read, of one class, or of one source: told, refused or skipped, never trained on silently. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { labelOf, loadUrlRows } from './data.js';
import { evaluateUrlModels, type EvalOptions } from './eval.js';
import { renderEvalMarkdown } from './eval-report.js';
import { trainUrlModel } from './train.js';

/** A datasets folder with `sets` (set name → CSV body after the header); removed after `f`. */
function withSets(sets: Record<string, string>, f: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'nml-url-sets-'));
  try {
    for (const [name, body] of Object.entries(sets)) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'urls.csv.gz'), gzipSync(`url,label,original_type,source\r\n${body}`));
    }
    f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `n` rows of one label and source, hosts h<from>… */
const rows = (n: number, label: string, source: string, from = 0): string => Array.from({ length: n }, (_, i) => `http://h${from + i}.example/p${i % 7},${label},${label},${source}\r\n`).join('');

test('labels: benign and malicious in any case and with blanks; 0/1 and others are no label', () => {
  assert.deepEqual(['benign', ' Malicious', 'BENIGN ', 'malicious'].map(labelOf), [0, 1, 0, 1]);
  assert.deepEqual(['0', '1', 'phishing', '', undefined].map(labelOf), [null, null, null, null, null]);
});

test('rows left out are counted per file and reason, with line numbers and values', () => {
  const body = 'http://a.example/x,benign,benign,s\r\nhttp://b.example/y, Malicious,phishing,s\r\nhttp://c.example/z,1,phishing,s\r\nhttp://d.example/z,phish,phishing,s\r\nhttp://e.example/z,benign\r\n,malicious,x,s\r\nhttp://f.example/z,0,benign,s\r\nhttp://g.example/z,2,benign,s\r\n';
  withSets({ 'urls-iscx-phishtank': body }, (dir) => {
    const told: string[] = [];
    const got = loadUrlRows(dir, undefined, [], (l) => told.push(l));
    assert.deepEqual(got.map((r) => [r.url, r.label]), [['a.example/x', 0], ['b.example/y', 1]]);
    assert.equal(told.length, 1);
    const file = join(dir, 'urls-iscx-phishtank', 'urls.csv.gz');
    assert.equal(told[0], `url data: ${file}: left out 6 of 8 rows: 4 with a label other than benign or malicious (line 4: "1", line 5: "phish", line 8: "0", …), 1 without a source (4th column) (line 6), 1 without a URL (line 7: "")`);
  });
});

test('a file with no row to use is a URL_DATA_INVALID naming it and why', () => {
  withSets({ 'urls-iscx-phishtank': rows(3, 'benign', 's'), 'urls-more': 'http://a.example/,0,benign,s\r\nhttp://b.example/,1,phishing,s\r\n' }, (dir) => {
    assert.throws(() => loadUrlRows(dir), (e: Error & { code?: string }) => e.code === 'URL_DATA_INVALID' && e.message.includes(join(dir, 'urls-more', 'urls.csv.gz')) && /all 2 rows left out: 2 with a label other than benign or malicious \(line 2: "0", line 3: "1"\)/.test(e.message));
  });
  withSets({ 'urls-iscx-phishtank': '' }, (dir) => assert.throws(() => loadUrlRows(dir), { code: 'URL_DATA_INVALID', message: /no rows after the header/ }));
});

test('a URL set whose first line is not the header (a typo in it, or no header at all) is refused, naming the file and the header wanted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-url-sets-'));
  try {
    mkdirSync(join(dir, 'urls-more'));
    const file = join(dir, 'urls-more', 'urls.csv.gz');
    for (const first of ['url,lable,original_type,source', 'http://h1.example/p,benign,benign,own']) {
      writeFileSync(file, gzipSync(`${first}\n${rows(3, 'benign', 'own')}${rows(3, 'malicious', 'own', 10)}`));
      assert.throws(
        () => loadUrlRows(dir),
        (e: Error & { code?: string }) => e.code === 'URL_DATA_INVALID' && e.message.includes(file) && e.message.includes(JSON.stringify(first)) && /not the header url,label,original_type,source/.test(e.message),
        first,
      );
    }
    // in any case, with a byte order mark: still the header
    writeFileSync(file, gzipSync(`\uFEFFURL,Label,original_type,Source\n${rows(3, 'benign', 'own')}${rows(3, 'malicious', 'own', 10)}`));
    assert.equal(loadUrlRows(dir).length, 6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train url refuses data of one class before training, and tells the rows it left out', () => {
  withSets({ 'urls-iscx-phishtank': rows(40, 'benign', 's') + 'http://x.example/,Malware,malware,s\r\n' }, (dir) => {
    const told: string[] = [];
    assert.throws(
      () => trainUrlModel({ dataDir: dir, model: 'ngram', epochs: 1, seed: 1, outDir: join(dir, 'out'), command: 'test', maxRows: 0, popularity: 'none', onWarning: (l) => told.push(l) }),
      { code: 'URL_DATA_INVALID', message: /hold no malicious rows \(40 benign, 0 malicious\)/ },
    );
    assert.match(told.join('\n'), /left out 1 of 41 rows: 1 with a label other than benign or malicious \(line 42: "Malware"\)/);
  });
});

const evalOptions = (dataDir: string, more: Partial<EvalOptions> = {}): EvalOptions => ({ dataDir, models: ['ngram'], seed: 1, epochs: 1, ngramEpochs: 1, maxTrain: 0, exposeTrain: 0, exposeEpochs: 1, exposeTest: 0, popularity: 'none', outside: 'no', ...more });

test('eval url with one source: the leave-out fold is skipped and said so; with nothing left, a clear error up front', () => {
  withSets({ 'urls-iscx-phishtank': rows(60, 'benign', 'only') + rows(60, 'malicious', 'only', 100) }, (dir) => {
    const log: string[] = [];
    const r = evaluateUrlModels(evalOptions(dir, { log: (l) => log.push(l) }), 'test');
    assert.deepEqual(r.folds.map((f) => f.split), ['random-by-host']);
    assert.deepEqual(r.skippedSplits?.map((k) => k.split), ['leave-out:only']);
    assert.match(log.join('\n'), /leave-out:only: skipped: its training side has no rows .*--no-loso/);
    assert.match(renderEvalMarkdown(r), /Not run: leave-out:only \(its training side has no rows/);
    const quiet = evaluateUrlModels(evalOptions(dir, { noLoso: true }), 'test');
    assert.deepEqual([quiet.folds.map((f) => f.split), quiet.skippedSplits], [['random-by-host'], undefined]);
    assert.throws(() => evaluateUrlModels(evalOptions(dir, { noRandom: true }), 'test'), { code: 'URL_OPTIONS_INVALID', message: /no split to evaluate \(leave-out:only: its training side has no rows/ });
  });
});

test('eval url: a leave-out fold whose training side has one class is skipped, the others run', () => {
  // source b is the only malicious one: leaving it out leaves benign rows only
  withSets({ 'urls-iscx-phishtank': rows(40, 'benign', 'a') + rows(40, 'malicious', 'b', 100) + rows(40, 'benign', 'c', 200) }, (dir) => {
    const r = evaluateUrlModels(evalOptions(dir, { noRandom: true }), 'test');
    assert.deepEqual(r.folds.map((f) => f.split), ['leave-out:a', 'leave-out:c']);
    assert.deepEqual(r.skippedSplits, [{ split: 'leave-out:b', why: 'its training side has no malicious rows' }]);
  });
});

test('a .gz set that is not gzip, or is cut short, says so and what was expected (zlib said "incorrect header check")', () => {
  withSets({ 'urls-iscx-phishtank': rows(3, 'benign', 's') + rows(3, 'malicious', 's', 10) }, (dir) => {
    const file = join(dir, 'urls-iscx-phishtank', 'urls.csv.gz');
    writeFileSync(file, `url,label,original_type,source\n${rows(3, 'benign', 's')}`);
    assert.throws(() => loadUrlRows(dir), (e: Error & { code?: string; kind?: string }) => e.code === 'URL_DATA_INVALID' && e.kind === 'bad_request' && e.message === `url data: ${file} is not gzip: its name ends in .gz, but it does not start with gzip's bytes 1f 8b (it reads as plain text: a CSV saved under a .gz name?); give the set as published (see its PROVENANCE.md), or compress the CSV with gzip`);
    writeFileSync(file, gzipSync(`url,label,original_type,source\n${rows(50, 'benign', 's')}`).subarray(0, 40));
    assert.throws(() => loadUrlRows(dir), (e: Error & { code?: string }) => e.code === 'URL_DATA_INVALID' && e.message === `url data: ${file} is damaged gzip (unexpected end of file: cut short or altered after it was written); copy or download it again`);
  });
});
