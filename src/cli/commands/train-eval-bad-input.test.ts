/**
 * Bad input to train/eval url and syn, score syn and findings list: each a clear message and a nonzero
 * exit, never a stack trace or hours of work; a model replaced whole or not at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCliSync, runInProcess, startCli } from '../testing.js';
import { FIXTURE_DATA_DIR } from '../../detect/url/testing.js';
import { FindingsStore } from '../../detect/index.js';
import { ownSynCaptures } from '../../detect/syn/testing.js';


test('--epochs past 1000 and a seed that is no 32-bit integer are refused when parsed (train and eval, url and syn)', async () => {
  for (const [args, re] of [
    [['train', 'url', '--epochs', '1e9'], /'--epochs <n>' argument '1e9' is invalid\. expected at most 1000 epochs/],
    [['eval', 'url', '--ngram-epochs', '5000'], /expected at most 1000 epochs, got '5000'/],
    [['train', 'syn', '--epochs', '1001'], /expected at most 1000 epochs/],
    [['eval', 'syn', '--epochs', '1e9'], /expected at most 1000 epochs/],
    [['train', 'url', '--seed', '1e30'], /'--seed <n>' argument '1e30' is invalid\. expected a seed: an integer from 0 to 4294967295 in digits/],
    [['eval', 'syn', '--seed', 'abc'], /expected a seed: an integer from 1 to 4294967295/],
    [['train', 'syn', '--seed', '0'], /from 1 to/],
    [['train', 'url', '--epochs', '-1'], /expected a positive integer, got '-1'/],
  ] as const) {
    const r = await runInProcess([...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
  }
});

test('a --datasets that is not there or is a file is said as such (exit 2), not as a folder missing its sets', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-bad-datasets-'));
  try {
    const file = join(dir, 'afile');
    writeFileSync(file, 'x');
    const missing = await runInProcess(['train', 'url', '--datasets', join(dir, 'nope'), '--out', join(dir, 'm'), '--no-progress']);
    assert.equal(missing.code, 2, missing.err);
    assert.match(missing.err, /--datasets .*nope: there is no such folder; give the folder that holds urls-iscx-phishtank\//);
    const url = await runInProcess(['eval', 'url', '--datasets', file, '--out', join(dir, 'r.md')]);
    assert.equal(url.code, 2, url.err);
    assert.match(url.err, /--datasets .*afile is a file, not a folder/);
    const syn = await runInProcess(['train', 'syn', '--datasets', file, '--out', join(dir, 's.json')]);
    assert.equal(syn.code, 2, syn.err);
    assert.match(syn.err, /--datasets .*afile is a file, not a folder; give the folder that holds syn-pcaps\//);
    const ev = await runInProcess(['eval', 'syn', '--datasets', join(dir, 'nope')]);
    assert.equal(ev.code, 2, ev.err);
    assert.match(ev.err, /there is no such folder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train syn on a labelled capture cut mid-packet stops naming the file and byte; no model is written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-train-syn-cut-'));
  try {
    const own = ownSynCaptures(dir, { cut: 24 + 16 + 60 + 30 });
    const out = join(dir, 'm.json');
    const r = runCliSync(['train', 'syn', '--datasets', own, '--epochs', '1', '--synthetic', '1', '--out', out]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /captures\/mine\.pcap ends inside a packet at byte \d+ \(cut short/);
    assert.doesNotMatch(r.err, /\n {4}at /);
    assert.deepEqual(readdirSync(dir), ['own']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train url over an existing model replaces it whole, keeps other files of its folder and leaves no temporary folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-train-url-replace-'));
  try {
    const out = join(dir, 'm');
    const args = ['train', 'url', '--datasets', FIXTURE_DATA_DIR, '--epochs', '1', '--no-progress', '--out', out];
    assert.equal((await runInProcess([...args, '--seed', '1'])).code, 0);
    writeFileSync(join(out, 'NOTES.md'), 'mine\n');
    const r = await runInProcess([...args, '--seed', '2']);
    assert.equal(r.code, 0, r.err);
    assert.equal((JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { seed: number }).seed, 2);
    assert.deepEqual(readdirSync(out).sort(), ['NOTES.md', 'model.json', 'weights.bin']);
    assert.deepEqual(readdirSync(dir), ['m'], 'no .m.tmp-* left beside it');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Ctrl-C during train syn leaves the model that was there as it was, and no temporary file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-train-syn-int-'));
  try {
    const own = ownSynCaptures(dir);
    const out = join(dir, 'm.json');
    writeFileSync(out, '{"the":"old model"}\n');
    const cli = startCli(['train', 'syn', '--datasets', own, '--epochs', '200', '--patience', '200', '--synthetic', '1', '--out', out]);
    await cli.stderrMatch(/epoch 1\//);
    cli.kill('SIGINT');
    const { code, err } = await cli.done;
    assert.equal(code, 130, err);
    assert.doesNotMatch(err, /wrote /);
    assert.match(err, new RegExp(`\\nnml: train syn: interrupted \\(Ctrl-C\\): training stopped, nothing written; the model at ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is unchanged\\n$`));
    assert.equal(readFileSync(out, 'utf8'), '{"the":"old model"}\n');
    assert.deepEqual(readdirSync(dir).sort(), ['m.json', 'own']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Ctrl-C during train url says so and exits 130; no model folder and no temporary one is left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-train-url-int-'));
  try {
    const out = join(dir, 'm');
    const cli = startCli(['train', 'url', '--datasets', FIXTURE_DATA_DIR, '--epochs', '1000', '--no-progress', '--out', out]);
    await cli.stderrMatch(/epoch 2:/);
    cli.kill('SIGINT');
    const { code, err } = await cli.done;
    assert.equal(code, 130, err);
    assert.match(err, /\nnml: train url: interrupted \(Ctrl-C\): training stopped, nothing written; no model was written to .*[/\\]m\n$/);
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('score syn --model naming a folder or nothing says so; findings list on a folder or a damaged findings.db says what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-bad-model-'));
  try {
    const own = ownSynCaptures(dir);
    const cap = join(own, 'syn-more', 'captures', 'mine.pcap');
    const folder = await runInProcess(['score', 'syn', '--model', own, cap]);
    assert.equal(folder.code, 2, folder.err);
    assert.match(folder.err, /cannot read syn model .*own: it is a folder, and a syn model is one JSON file/);
    const none = await runInProcess(['score', 'syn', '--model', join(dir, 'none.json'), cap]);
    assert.match(none.err, /none\.json: there is no such file; train one with nml train syn or pass --model FILE/);
    mkdirSync(join(dir, 'd1', 'findings.db'), { recursive: true });
    const d1 = runCliSync(['findings', 'list', '--data', join(dir, 'd1')]);
    assert.equal(d1.code, 2, d1.err);
    assert.match(d1.err, /findings\.db is a folder, not the findings database; move it aside/);
    mkdirSync(join(dir, 'd2'));
    const store = new FindingsStore(join(dir, 'd2', 'findings.db'));
    const at = 1_700_000_000_000;
    store.record(Array.from({ length: 300 }, (_, i) => ({ detector: 'syn', entity: `ip:10.0.${i >> 8}.${i & 255}`, score: 0.99, threshold: 0.98, modelVersion: 'test', time: at + i, explanation: { summary: 'x', detail: null }, evidence: { query: 'x', from: 0, to: at + i } })));
    store.close();
    const db = readFileSync(join(dir, 'd2', 'findings.db'));
    writeFileSync(join(dir, 'd2', 'findings.db'), db.subarray(0, Math.floor(db.length / 2)));
    const d2 = runCliSync(['findings', 'list', '--data', join(dir, 'd2')]);
    assert.equal(d2.code, 1, d2.err);
    assert.match(d2.err, /findings\.db: .*restore it from a backup, or move it aside/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('findings list on a 0-byte findings.db says it was never finished (not written by an older nml); the writable open makes it a new store in place', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-empty-findings-'));
  try {
    mkdirSync(join(dir, 'data'));
    const db = join(dir, 'data', 'findings.db');
    writeFileSync(db, '');
    const r = runCliSync(['findings', 'list', '--data', join(dir, 'data')]);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /findings\.db is empty \(no table, no findings\): it was never finished, most likely nml was stopped while making it or the disk was full .*'nml serve' with this data directory makes it a new store in place/);
    assert.doesNotMatch(r.err, /older nml/);
    assert.equal(readFileSync(db).length, 0, 'a read leaves the file as it was');
    // what nml serve does when it starts: SQLite takes a 0-byte file as a new database
    new FindingsStore(db).close();
    const after = runCliSync(['findings', 'list', '--data', join(dir, 'data')]);
    assert.equal(after.code, 0, after.err);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('train url on a URL set cut inside a quoted field, or a folder where the set goes, says what to do (exit 2)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-train-url-cut-'));
  try {
    const set = join(dir, 'urls-more');
    mkdirSync(set);
    writeFileSync(join(set, 'urls.csv.gz'), gzipSync('url,label,original_type,source\nhttp://a.example/,benign,benign,s\n"http://b.example/x,y'));
    const cut = await runInProcess(['train', 'url', '--datasets', dir, '--extra-benign', 'none', '--popularity', 'none', '--out', join(dir, 'm'), '--no-progress']);
    assert.equal(cut.code, 2, cut.err);
    assert.match(cut.err, /urls\.csv\.gz: Quote Not Closed.*; the file is cut short or a field's quoting is broken: copy the set again/);
    rmSync(join(set, 'urls.csv.gz'));
    mkdirSync(join(set, 'urls.csv.gz'));
    const folder = await runInProcess(['train', 'url', '--datasets', dir, '--extra-benign', 'none', '--popularity', 'none', '--out', join(dir, 'm'), '--no-progress']);
    assert.equal(folder.code, 2, folder.err);
    assert.match(folder.err, /urls\.csv\.gz: it is a folder, and a URL set is one gzip CSV file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
