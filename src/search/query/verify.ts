/** Confirms a phrase or substring against the text of a candidate line. */
import { wordTokens } from './fts.js';
import type { PhrasePred, SubstrPred } from './plan.js';

/**
 * Lowercase, one code point for one and without context: `İ` (the only letter whose lowercase is two
 * code points) stays as is, so every ASCII character of the folded text stands where an ASCII-foldable
 * one stood in the line (the substring candidates rely on that); `Σ` is always `σ`, never the final
 * `ς`, so the fold of a substring is a substring of the fold.
 */
export function foldCase(s: string): string {
  const lower = s.toLowerCase();
  if (lower.length === s.length && !s.includes('\u03a3')) return lower;
  let out = '';
  for (const ch of s) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}

function phraseAt(line: string[], at: number, pred: PhrasePred): boolean {
  const last = pred.tokens.length - 1;
  for (let k = 0; k < last; k++) {
    if (line[at + k] !== pred.tokens[k]) return false;
  }
  const word = line[at + last]!;
  return pred.prefix ? word.startsWith(pred.tokens[last]!) : word === pred.tokens[last];
}

export function verifyText(pred: PhrasePred | SubstrPred, line: string): boolean {
  if (pred.op === 'substr') return foldCase(line).includes(pred.text);
  if (pred.whole === true) return wholeWordMatch(pred, line);
  const words = wordTokens(line);
  for (let at = 0; at + pred.tokens.length <= words.length; at++) {
    if (phraseAt(words, at, pred)) return true;
  }
  return false;
}

const COMPOUND_IN_LINE = /[\p{L}\p{N}_]+(?:[.-][\p{L}\p{N}_]+)*/gu;

/**
 * Some dotted or hyphenated word of the line consists of exactly the phrase's words, or starts with
 * them when the last is a prefix (`web-01*` finds `web-01-east`, `10.0.3*` finds `10.0.3.4`).
 */
function wholeWordMatch(pred: PhrasePred, line: string): boolean {
  for (const m of line.matchAll(COMPOUND_IN_LINE)) {
    const words = wordTokens(m[0]);
    const fits = pred.prefix ? words.length >= pred.tokens.length : words.length === pred.tokens.length;
    if (fits && phraseAt(words, 0, pred)) return true;
  }
  return false;
}
