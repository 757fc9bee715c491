/** Dataset readers: a damaged file is a TRENDS_DATASET_INVALID naming the file and line, never a parser's stack. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CASIE_DIR, HACKMAGEDDON_DIR, SOCIAL_DIR, loadCasie, loadHackmageddon, loadSocial } from './datasets.js';
import { isAppError } from '../../core/index.js';
import { refusing } from '../../core/testing/refused-fs.js';

function withDir(files: Record<string, Buffer | string>, fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'nml-datasets-'));
  try {
    for (const [name, body] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), body);
    }
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function invalid(file: string, line: number | null): (e: unknown) => boolean {
  return (e) => {
    assert.ok(isAppError(e), String(e));
    assert.equal(e.code, 'TRENDS_DATASET_INVALID');
    assert.equal(e.kind, 'bad_request');
    assert.deepEqual(e.details, line === null ? { file } : { file, line });
    assert.ok(e.message.includes(file) && /restore it from the shared datasets/.test(e.message), e.message);
    if (line !== null) assert.match(e.message, new RegExp(`at line ${line} `));
    return true;
  };
}

const HM = join(HACKMAGEDDON_DIR, 'hackmageddon_2023plus.csv');
const HEADER = 'id_raw,date_reported,description,attack_raw,attack_class,row_hash\n';

test('a HACKMAGEDDON file with an unclosed quote is TRENDS_DATASET_INVALID with its line; an intact one loads', () => {
  withDir({ [HM]: `${HEADER}1,2024-01-02,"unterminated quote,DDoS,H,abc\n2,2024-01-03,ok,DDoS,H,def\n` }, (dir) => {
    assert.throws(() => loadHackmageddon(dir), invalid(join(dir, HM), 3));
  });
  withDir({ [HM]: `${HEADER}1,2024-01-02,"a DDoS, on a portal",DDoS,H,abc\n` }, (dir) => {
    assert.deepEqual(loadHackmageddon(dir).map((i) => [i.description, i.types]), [['a DDoS, on a portal', ['ddos']]]);
  });
});

test('a social corpus that is not gzip, or is cut short, is TRENDS_DATASET_INVALID naming the file', () => {
  const names = ['D1CrackingArena', 'D2Twitter', 'D3DreamMarket', 'D4Garage4hackers', 'D5CrackingFire'];
  const good = gzipSync('content,label\nan exploit for sale,YES\nhello,NO\n');
  const files = Object.fromEntries(names.map((n) => [join(SOCIAL_DIR, `${n}.csv.gz`), good]));
  withDir(files, (dir) => assert.equal(loadSocial(dir).length, 10));
  const cut = join(SOCIAL_DIR, 'D3DreamMarket.csv.gz');
  withDir({ ...files, [cut]: good.subarray(0, good.length - 6) }, (dir) => {
    assert.throws(() => loadSocial(dir), invalid(join(dir, cut), null));
  });
  withDir({ ...files, [cut]: 'content,label\nplain,YES\n' }, (dir) => {
    assert.throws(() => loadSocial(dir), invalid(join(dir, cut), null));
  });
});

test('a CASIE line that is not a JSON object is TRENDS_DATASET_INVALID with its line number', () => {
  const f = join(CASIE_DIR, 'casie_annotations.jsonl.gz');
  const ok = '{"title":"x","date":"2017_01_03","event_subtypes":["Ransom"],"content":"a"}';
  withDir({ [f]: gzipSync(`${ok}\n\n{"doc_id":"2", trunc\n`) }, (dir) => {
    assert.throws(() => loadCasie(dir), invalid(join(dir, f), 3));
  });
  withDir({ [f]: gzipSync(`${ok}\n[1,2]\n`) }, (dir) => {
    assert.throws(() => loadCasie(dir), invalid(join(dir, f), 2));
  });
  // fields of the wrong kind are read as absent, not crashed on
  withDir({ [f]: gzipSync(`${ok}\n{"title":5,"date":7,"event_subtypes":"Ransom"}\n`) }, (dir) => {
    assert.deepEqual(loadCasie(dir).map((a) => [a.title, a.date, a.subtypes]), [['', 0, []], ['x', Date.UTC(2017, 0, 3), ['Ransom']]]);
  });
});

test('a dataset file the system will not read says why in words and what to do, not node\'s "EISDIR: illegal operation on a directory, read"', () => {
  const said = (fn: () => unknown): { kind: string; message: string } => {
    try {
      fn();
    } catch (e) {
      assert.ok(isAppError(e) && e.code === 'TRENDS_DATASET_INVALID', String(e));
      return { kind: e.kind, message: e.message };
    }
    assert.fail('the dataset loaded');
  };
  withDir({ [join(HACKMAGEDDON_DIR, 'x')]: '' }, (dir) => {
    const file = join(dir, HM);
    mkdirSync(file);
    assert.deepEqual(said(() => loadHackmageddon(dir)), {
      kind: 'bad_request',
      message: `dataset: ${file} cannot be read (it is a folder, and a dataset is one file); restore it from the shared datasets (or pass --datasets DIR holding an intact copy)`,
    });
  });
  withDir({ [HM]: HEADER }, (dir) => {
    const file = join(dir, HM);
    assert.deepEqual(refusing('readFileSync', file, 'EACCES', () => said(() => loadHackmageddon(dir))), {
      kind: 'unavailable',
      message: `dataset: ${file} cannot be read (permission denied); make it readable by the user nml runs as`,
    });
  });
});
