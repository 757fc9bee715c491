import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { casieDate, CORPUS_DIRS, loadCorpus, pyList } from './corpora.js';
import { IncidentBase } from './incident-base.js';
import { refusing } from '../core/testing/refused-fs.js';
import { REPO_ROOT } from '../cli/testing.js';

const DATASETS = join(REPO_ROOT, '..', 'shared', 'datasets');
const skip = existsSync(DATASETS) ? false : 'needs ../shared/datasets';

test('CASIE subtypes are a Python list literal', () => {
  assert.deepEqual(pyList("['Databreach', 'Ransom']"), ['Databreach', 'Ransom']);
  assert.deepEqual(pyList('[]'), []);
});

test('the labelled corpora load as incidents and go into the base', { skip }, () => {
  const casie = loadCorpus('casie', DATASETS);
  const hack = loadCorpus('hackmageddon', DATASETS);
  const vcdb = loadCorpus('vcdb', DATASETS);
  assert.equal(casie.length, 1000);
  assert.equal(hack.length, 1832);
  assert.equal(vcdb.length, 5);
  assert.ok(casie.every((x) => x.labels.length >= 1));
  assert.equal(hack.filter((x) => x.labels[0] === 'ddos').length, 201);
  assert.ok(vcdb.every((x) => x.record !== undefined && x.record.fields.category !== undefined));
  // the query side never sees the label: attributes come from the text and the non-label columns
  assert.ok(hack.every((x) => !JSON.stringify(x.attrs).includes('"attack_norm"')));
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-base-'));
  const base = new IncidentBase(join(dir, 'incidents.db'));
  try {
    base.put([...vcdb, ...hack.slice(0, 100)]);
    base.put(vcdb); // replacing is idempotent
    assert.deepEqual(base.countBySource(), { hackmageddon: 100, vcdb: 5 });
    assert.deepEqual(base.get(vcdb[0]?.id ?? '')?.labels, vcdb[0]?.labels);
    assert.equal(base.get("x' OR 1=1 --"), null);
  } finally {
    base.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a damaged corpus file is an ASSIST_CORPUS_INVALID naming the file and line, not a raw parser error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-ds-'));
  try {
    const put = (corpus: keyof typeof CORPUS_DIRS, name: string, data: string | Buffer) => {
      mkdirSync(join(dir, CORPUS_DIRS[corpus], ...(corpus === 'vcdb' ? ['json'] : [])), { recursive: true });
      writeFileSync(join(dir, CORPUS_DIRS[corpus], ...(corpus === 'vcdb' ? ['json'] : []), name), data);
    };
    put('casie', 'casie_annotations.jsonl.gz', gzipSync('{"doc_id":"1","title":"x","date":"2017_02_3","event_subtypes":["Ransom"],"content":"a"}\n{"doc_id":"2", truncated\n'));
    put('hackmageddon', 'hackmageddon_2023plus.csv', 'id_raw,description,attack_norm\n1,"unterminated quote,ddos\n2,ok,ddos\n');
    put('vcdb', 'bad.json', '{"action": {"hacking": {}},\n "summary": "x",,\n}');
    const fails = (corpus: 'casie' | 'hackmageddon' | 'vcdb', where: RegExp) =>
      assert.throws(() => loadCorpus(corpus, dir), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'ASSIST_CORPUS_INVALID');
        assert.match(e.message, where);
        assert.match(e.message, /copy the dataset again/);
        return true;
      });
    fails('casie', /casie_annotations\.jsonl\.gz line 2 is not JSON/);
    fails('hackmageddon', /hackmageddon_2023plus\.csv line \d+ \(0 records read before it\) is not CSV \(Quote Not Closed/);
    fails('vcdb', /bad\.json line 2 is not JSON/);
    put('casie', 'casie_annotations.jsonl.gz', Buffer.from('not gzip'));
    fails('casie', /casie_annotations\.jsonl\.gz is not gzip data/);
    put('casie', 'casie_annotations.jsonl.gz', gzipSync('{"doc_id":"1","date":"2017_02_3"}\n[1,2]\n'));
    fails('casie', /line 2 is not a CASIE document/);
    // a file the system will not read is said as that, not as damaged data (before: a raw EISDIR for vcdb, 'is not gzip data' for CASIE)
    rmSync(join(dir, CORPUS_DIRS.vcdb, 'json', 'bad.json'));
    mkdirSync(join(dir, CORPUS_DIRS.vcdb, 'json', 'folder.json'));
    rmSync(join(dir, CORPUS_DIRS.casie, 'casie_annotations.jsonl.gz'));
    mkdirSync(join(dir, CORPUS_DIRS.casie, 'casie_annotations.jsonl.gz'));
    for (const corpus of ['vcdb', 'casie'] as const) {
      assert.throws(() => loadCorpus(corpus, dir), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'ASSIST_CORPUS_INVALID');
        assert.match(e.message, /(folder\.json|casie_annotations\.jsonl\.gz) cannot be read \(it is a folder, and a corpus file is one file\); copy the dataset again \(its files as published\), or import the other corpora \(--corpus\)$/);
        assert.equal((e as { kind?: string }).kind, 'bad_request');
        return true;
      });
    }
    // permissions: said as such, with what to do (the stubbed refusal: tests run as root)
    rmSync(join(dir, CORPUS_DIRS.vcdb, 'json', 'folder.json'), { recursive: true });
    put('vcdb', 'locked.json', '{}');
    const locked = join(dir, CORPUS_DIRS.vcdb, 'json', 'locked.json');
    assert.throws(
      () => refusing('readFileSync', locked, 'EACCES', () => loadCorpus('vcdb', dir)),
      (e: Error & { code?: string; kind?: string }) => e.code === 'ASSIST_CORPUS_INVALID' && e.kind === 'unavailable' && e.message === `assist: ${locked} cannot be read (permission denied); make it readable by the user nml runs as`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('CASIE dates with a one-digit day or month are padded (2017_02_3 is 2017-02-03)', () => {
  assert.equal(casieDate('2017_02_3'), '2017-02-03');
  assert.equal(casieDate('2017_1_13'), '2017-01-13');
  assert.equal(casieDate('2017_01_03'), '2017-01-03');
  assert.equal(casieDate('someday'), null);
  assert.equal(casieDate(undefined), null);
});
