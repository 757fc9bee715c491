/** Confirms a phrase or substring against the text of a candidate line. */
import { textTokens } from '../../store/index.js';
import { wordTokens } from './fts.js';
import type { PhrasePred, SubstrPred } from './plan.js';

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * One code point as the index folds it: a token character becomes the word textTokens (SQLite's own
 * tables) makes of it; a separator, which the index never sees, is lowercased when that gives one
 * non-ASCII code point of the same width (`Ⓐ`), so `sub:` ignores case there too without moving an
 * ASCII character.
 */
function foldChar(ch: string): string {
  const word = textTokens(ch);
  if (word.length === 1) return word[0]!;
  const lower = ch.toLowerCase();
  return lower.length === ch.length && Array.from(lower).length === 1 && lower.codePointAt(0)! > 0x7f ? lower : ch;
}

/** foldChar of every BMP unit (0: unchanged), built on the first non-ASCII text (some 20 ms) */
let bmpFolds: Uint16Array | null = null;
/** foldChar beyond the BMP, as met; cleared when full (the alphabet of a log is small) */
const astralFolds = new Map<number, string>();

function bmpTable(): Uint16Array {
  if (bmpFolds !== null) return bmpFolds;
  const table = new Uint16Array(0x10000);
  for (let c = 0x80; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const f = foldChar(String.fromCharCode(c));
    // the tables fold the BMP into itself (terms.test.ts): one unit for one
    if (f.length === 1 && f.charCodeAt(0) !== c) table[c] = f.charCodeAt(0);
  }
  return (bmpFolds = table);
}

function astralFold(cp: number): string {
  let f = astralFolds.get(cp);
  if (f === undefined) {
    if (astralFolds.size >= 10_000) astralFolds.clear();
    f = foldChar(String.fromCodePoint(cp));
    astralFolds.set(cp, f);
  }
  return f;
}

/**
 * Case-folds text as the index does, one code point for one and without context: `İ` stays (unicode61
 * keeps it), `Σ` is `σ` and so is the final `ς`, `ſ` is `s`. So the fold of a substring is a substring
 * of the fold, and an ASCII character of the folded text stands where an ASCII-foldable one stood (the
 * substring candidates rely on that); and a word of the folded text is a term of the index.
 */
export function foldCase(s: string): string {
  if (ASCII_ONLY.test(s)) return s.toLowerCase();
  const table = bmpTable();
  let out = '';
  let from = 0; // s[from, i) is unchanged and not yet copied
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      const cp = s.codePointAt(i)!;
      const f = astralFold(cp);
      if (f.codePointAt(0) !== cp) {
        out += s.slice(from, i) + f;
        from = i + 2;
      }
      i++;
    } else if (c < 0x80 ? c >= 65 && c <= 90 : table[c] !== 0) {
      out += s.slice(from, i) + String.fromCharCode(c < 0x80 ? c + 32 : table[c]!);
      from = i + 1;
    }
  }
  return from === 0 ? s : out + s.slice(from);
}

function phraseAt(line: string[], at: number, pred: PhrasePred): boolean {
  const last = pred.tokens.length - 1;
  for (let k = 0; k < last; k++) {
    if (line[at + k] !== pred.tokens[k]) return false;
  }
  const word = line[at + last]!;
  return pred.prefix ? word.startsWith(pred.tokens[last]!) : word === pred.tokens[last];
}

const COMPOUND_IN_LINE = /[\p{L}\p{N}_]+(?:[.-][\p{L}\p{N}_]+)*/gu;

/**
 * One line's text as the checks read it, each form computed at most once however many phrases and
 * substrings a query holds (a query may AND hundreds of them).
 */
export class LineText {
  private foldedText: string | null = null;
  private wordList: string[] | null = null;
  private compoundList: string[][] | null = null;
  constructor(readonly raw: string) {}

  get folded(): string {
    return (this.foldedText ??= foldCase(this.raw));
  }

  get words(): string[] {
    return (this.wordList ??= wordTokens(this.raw));
  }

  /** the words of each dotted or hyphenated word of the line */
  get compounds(): string[][] {
    return (this.compoundList ??= Array.from(this.raw.matchAll(COMPOUND_IN_LINE), (m) => wordTokens(m[0]!)));
  }
}

export function verifyText(pred: PhrasePred | SubstrPred, line: string | LineText): boolean {
  const text = typeof line === 'string' ? new LineText(line) : line;
  if (pred.op === 'substr') return text.folded.includes(pred.text);
  if (pred.whole === true) return wholeWordMatch(pred, text.compounds);
  const words = text.words;
  for (let at = 0; at + pred.tokens.length <= words.length; at++) {
    if (phraseAt(words, at, pred)) return true;
  }
  return false;
}

/**
 * Some dotted or hyphenated word of the line consists of exactly the phrase's words, or starts with
 * them when the last is a prefix (`web-01*` finds `web-01-east`, `10.0.3*` finds `10.0.3.4`).
 */
function wholeWordMatch(pred: PhrasePred, compounds: string[][]): boolean {
  for (const words of compounds) {
    const fits = pred.prefix ? words.length >= pred.tokens.length : words.length === pred.tokens.length;
    if (fits && phraseAt(words, 0, pred)) return true;
  }
  return false;
}
