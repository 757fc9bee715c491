/**
 * Regenerates src/store/unicode61.ts: which code points SQLite's unicode61 tokenizer (as the shards
 * configure it, FTS_TOKENIZER) keeps inside words, and how it folds their case. The tables come from
 * the tokenizer itself, one code point per row, so JavaScript's own Unicode version never matters.
 *
 *   node --import tsx scripts/gen-unicode61.ts      # about 40 s; rerun when better-sqlite3's SQLite changes
 *
 * src/store/terms.test.ts checks the result against the tokenizer again over a large sample.
 */
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { FTS_TOKENIZER, TYPED_MARK } from '../src/store/terms.js';

const MAX = 0x10ffff;
const isSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdfff;

const db = new Database(':memory:');
const version = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
db.exec(`CREATE VIRTUAL TABLE t USING fts5(x, tokenize="${FTS_TOKENIZER}", detail=none); CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');`);
const insert = db.prepare('INSERT INTO t(rowid, x) VALUES (?, ?)');
db.exec('BEGIN');
for (let c = 0; c <= MAX; c++) if (!isSurrogate(c)) insert.run(c + 1, String.fromCodePoint(c));
db.exec('COMMIT');

const token = new Uint8Array(MAX + 1);
const fold = new Map<number, number>();
for (const { doc, term } of db.prepare('SELECT doc, term FROM v').iterate() as Iterable<{ doc: number; term: string }>) {
  const c = doc - 1;
  const cps = Array.from(term);
  if (cps.length !== 1) throw new Error(`gen-unicode61: U+${c.toString(16)} folds to ${cps.length} code points; the tables assume one`);
  token[c] = 1;
  const f = cps[0]!.codePointAt(0)!;
  if (f !== c) fold.set(c, f);
}
// unicode61 takes the diacritics of its table only inside a word, after a token character: ask `q<c>`
const inWord = new Uint8Array(MAX + 1);
db.exec(`CREATE VIRTUAL TABLE t2 USING fts5(x, tokenize="${FTS_TOKENIZER}"); CREATE VIRTUAL TABLE v2 USING fts5vocab(t2, 'instance');`);
const insert2 = db.prepare('INSERT INTO t2(rowid, x) VALUES (1, ?)');
const after = db.prepare('SELECT term FROM v2 ORDER BY offset').pluck();
for (let c = 0; c <= MAX; c++) {
  if (token[c] === 1 || isSurrogate(c)) continue;
  db.exec('DELETE FROM t2');
  insert2.run('q' + String.fromCodePoint(c));
  const terms = after.all() as string[];
  if (terms.length !== 1 || terms[0] === 'q') continue;
  if (terms[0] !== 'q' + String.fromCodePoint(c)) throw new Error(`gen-unicode61: U+${c.toString(16)} after a letter folds to ${JSON.stringify(terms[0])}; the tables assume it stays`);
  inWord[c] = 1;
}
db.close();
// the mark is a token character of the index only for typed terms: raw text never holds one (indexText replaces it)
token[TYPED_MARK.codePointAt(0)!] = 0;

const hex = (n: number): string => n.toString(16);
function rangesOf(set: Uint8Array): string[] {
  const ranges: string[] = [];
  for (let c = 0; c <= MAX; c++) {
    if (set[c] !== 1) continue;
    let end = c;
    while (end < MAX && set[end + 1] === 1) end++;
    ranges.push(end === c ? hex(c) : `${hex(c)}-${hex(end)}`);
    c = end;
  }
  return ranges;
}
const ranges = rangesOf(token);
const inWordRanges = rangesOf(inWord);

// runs of code points with one delta, every code point (stride 1) or every other one (stride 2, upper/lower pairs)
const keys = [...fold.keys()].sort((a, b) => a - b);
const runs: string[] = [];
for (let i = 0; i < keys.length; ) {
  const start = keys[i]!;
  const delta = fold.get(start)! - start;
  const same = (k: number, stride: number): boolean => keys[k] === start + (k - i) * stride && fold.get(keys[k]!)! - keys[k]! === delta;
  const stride = i + 1 < keys.length && same(i + 1, 1) ? 1 : i + 1 < keys.length && same(i + 1, 2) ? 2 : 1;
  let j = i + 1;
  while (j < keys.length && same(j, stride)) j++;
  runs.push(`${hex(start)}:${hex(j - i)}:${delta < 0 ? '-' + hex(-delta) : hex(delta)}:${stride}`);
  i = j;
}

/** A long list as string literals of about 100 characters joined by `+`, each but the last ending in `sep`. */
const wrap = (items: string[], sep: string): string => {
  const lines: string[] = [];
  let line = '';
  for (const it of items) {
    if (line !== '' && line.length + it.length > 100) {
      lines.push(line + sep);
      line = '';
    }
    line += (line === '' ? '' : sep) + it;
  }
  lines.push(line);
  return lines.map((l) => `  '${l}'`).join(' +\n');
};

writeFileSync(
  new URL('../src/store/unicode61.ts', import.meta.url),
  `/**
 * SQLite's unicode61 tokenizer as the shards configure it (FTS_TOKENIZER), measured on SQLite ${version} by
 * scripts/gen-unicode61.ts: generated, do not edit. TOKEN_RANGES: the code points kept inside words (hex
 * ranges; the typed-term mark left out, as raw text never holds it). IN_WORD_RANGES: the diacritics kept
 * only after a token character (a word never starts with one). FOLD_RUNS: how their case folds,
 * \`start:count:delta:stride\` (hex), for the ${fold.size} code points it changes.
 */
export const TOKEN_RANGES =
${wrap(ranges, ',')};

export const IN_WORD_RANGES =
${wrap(inWordRanges, ',')};

export const FOLD_RUNS =
${wrap(runs, ',')};
`,
);
console.log(`gen-unicode61: SQLite ${version}, ${ranges.length} token ranges, ${inWordRanges.length} in-word ranges, ${fold.size} folds in ${runs.length} runs`);
