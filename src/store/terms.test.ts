import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseIp, ipTerm } from '../core/index.js';
import type { LogEvent } from '../core/index.js';
import Database from 'better-sqlite3';
import { bareUser } from '../core/index.js';
import { ipv4Term, portTerm, indexText, typedTerm, TYPED_MARK, encodeValue, domainAndParents, textTokens, FTS_TOKENIZER } from './terms.js';

test('the fast IPv4 term equals the general one for every address, and refuses what is not canonical', () => {
  fc.assert(
    fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)), (o) => {
      const text = o.join('.');
      assert.equal(ipv4Term(text), TYPED_MARK + ipTerm(parseIp(text)!));
    }),
  );
  for (const bad of ['1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1..2.3', '1.2.3.4 ', 'a.b.c.d', '']) assert.equal(ipv4Term(bad), null, bad);
  fc.assert(fc.property(fc.string(), (s) => assert.equal(ipv4Term(s) !== null, parseIp(s)?.version === 4 && parseIp(s)!.text === s)));
});

test("a port's term without the memo equals the general typed term, digits or not", () => {
  for (const v of ['22', '0', '0080', '65535', '123456', '', '8o', 'http', '22 ', '٣']) assert.equal(portTerm(v), typedTerm('port', v), JSON.stringify(v));
  fc.assert(fc.property(fc.nat(99_999), (n) => assert.equal(portTerm(String(n)), typedTerm('port', String(n)))));
  fc.assert(fc.property(fc.string(), (v) => assert.equal(portTerm(v), typedTerm('port', v))));
});

test('typed terms use only token characters and a line cannot forge one', () => {
  assert.equal(encodeValue('Web-01.corp_x'), 'web_h01_dcorp_ux');
  assert.equal(typedTerm('user', 'a b'), `${TYPED_MARK}user_a_x20_b`);
  assert.deepEqual(domainAndParents('a.b.example.com'), ['a.b.example.com', 'b.example.com', 'example.com']);
  const ev: LogEvent = {
    time: 0, receivedAt: 0, source: 's', severity: 3, facility: 4, host: 'gw', app: 'sshd', pid: null, msgid: null, structured: null,
    message: 'm', raw: `forged ${TYPED_MARK}host_dc01 term`, parsed: true, format: 'rfc3164',
    entities: [{ kind: 'ip', value: '10.0.0.5' }, { kind: 'domain', value: 'www.example.com' }],
  };
  const text = indexText(ev);
  assert.ok(!text.includes(`${TYPED_MARK}host_dc01`), 'the mark in raw text is neutralized');
  for (const t of [`${TYPED_MARK}host_gw`, `${TYPED_MARK}app_sshd`, `${TYPED_MARK}sev_3`, `${TYPED_MARK}ip4_0a000005`, `${TYPED_MARK}dom_example_dcom`]) {
    assert.ok(text.split(/[\s]/).includes(t), t);
  }
});

test("textTokens splits and folds as the shards' unicode61 tokenizer does (İ kept, no final sigma, nonspacing marks inside words)", () => {
  const db = new Database(':memory:');
  try {
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(x, tokenize="${FTS_TOKENIZER}"); CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');`);
    const samples = ['city İstanbul today', 'cafe\u0301 noir', '𠀀\u0591㐀 x\u0305y x\u0331y', 'ΣΑΣ ΟΔΟΣ', 'x\u0903y a\u20dd b', 'Straße ǅemal Ⅻ', 'plain ASCII words_here 42', 'ŞİŞLİ İzmir'];
    const insert = db.prepare('INSERT INTO t(rowid, x) VALUES (?, ?)');
    samples.forEach((s, i) => insert.run(i + 1, s));
    const rows = db.prepare('SELECT doc, term FROM v ORDER BY doc, offset').all() as { doc: number; term: string }[];
    samples.forEach((s, i) => {
      const sqlite = rows.filter((r) => r.doc === i + 1).map((r) => r.term);
      assert.deepEqual(textTokens(s), sqlite, JSON.stringify(s));
    });
  } finally {
    db.close();
  }
});

/** Code points to check against SQLite: the whole BMP, every 7th of the next two planes, every 257th beyond (about 1.5 s). */
function sampleCodePoints(): number[] {
  const out: number[] = [];
  for (let c = 0; c <= 0x10ffff; c += c < 0x10000 ? 1 : c < 0x30000 ? 7 : 257) {
    // surrogates cannot be UTF-8; the mark is a token character of the index only for typed terms (raw text never holds it)
    if ((c < 0xd800 || c > 0xdfff) && c !== TYPED_MARK.codePointAt(0)) out.push(c);
  }
  return out;
}

test('textTokens equals the unicode61 tokenizer across Unicode: every BMP code point alone and inside a word, and a sample of the rest', () => {
  const db = new Database(':memory:');
  try {
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(x, tokenize="${FTS_TOKENIZER}"); CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');`);
    const cps = sampleCodePoints();
    // `<c>q<c>`: c starting a word (or separating) and c after a letter; 2048 per row
    const docs: string[] = [];
    for (let i = 0; i < cps.length; i += 2048) {
      docs.push(cps.slice(i, i + 2048).map((c) => String.fromCodePoint(c) + 'q' + String.fromCodePoint(c)).join(' '));
    }
    const insert = db.prepare('INSERT INTO t(rowid, x) VALUES (?, ?)');
    db.transaction(() => docs.forEach((d, i) => insert.run(i + 1, d)))();
    const sqlite: string[][] = docs.map(() => []);
    for (const [doc, term] of db.prepare('SELECT doc, term FROM v ORDER BY doc, offset').raw().iterate() as Iterable<[number, string]>) sqlite[doc - 1]!.push(term);
    docs.forEach((d, i) => {
      const js = textTokens(d);
      const at = js.findIndex((t, k) => t !== sqlite[i]![k]);
      if (at >= 0 || js.length !== sqlite[i]!.length) {
        const k = at >= 0 ? at : Math.min(js.length, sqlite[i]!.length);
        assert.fail(`row ${i}, word ${k}: textTokens ${JSON.stringify(js.slice(k, k + 3))}, unicode61 ${JSON.stringify(sqlite[i]!.slice(k, k + 3))} (regenerate: node --import tsx scripts/gen-unicode61.ts)`);
      }
    });
  } finally {
    db.close();
  }
});

test('textTokens folds as the index does where JavaScript differs: Mtavruli, Cherokee and Ꞵ kept; ς µ ſ ϐ folded; İ kept', () => {
  assert.deepEqual(textTokens('ᲨᲔᲪᲓᲝᲛᲐ ᏣᎳᎩ Ꞵeta'), ['ᲨᲔᲪᲓᲝᲛᲐ', 'ᏣᎳᎩ', 'Ꞵeta']);
  assert.deepEqual(textTokens('οδος ΟΔΟΣ µs ſtop ϐ İzmir'), ['οδοσ', 'οδοσ', 'μs', 'stop', 'β', 'İzmir']);
  // a folded word folds to itself: the query side folds, then FTS5 folds the quoted term again
  for (let c = 0x80; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const [w] = textTokens(String.fromCodePoint(c));
    if (w !== undefined) assert.deepEqual(textTokens(w), [w], `U+${c.toString(16)}`);
  }
});

test('bareUser: the account of a qualified user; null for a bare one or a bare qualifier', () => {
  assert.equal(bareUser('CORP\\alice'), 'alice');
  assert.equal(bareUser('a\\b\\carol'), 'carol');
  assert.equal(bareUser('alice@CORP.EXAMPLE'), 'alice');
  assert.equal(bareUser('alice'), null);
  assert.equal(bareUser('CORP\\'), null);
  assert.equal(bareUser('@realm'), null);
  assert.equal(bareUser('alice@'), null);
});
