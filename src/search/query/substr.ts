/**
 * Index candidates for a substring. A word of the substring with a separator on both sides (within
 * the substring) is a whole word of the line: an exact term. The last word, with a separator before
 * it, starts a word of the line: a prefix term. A word touching the substring's start may be the
 * tail of a longer word, and FTS5 has no suffix search, so it does not constrain.
 * Only ASCII words bounded by ASCII separators are used: for them JavaScript and SQLite's unicode61
 * agree on both word boundaries and case folding, whatever their Unicode versions.
 */
import { ftsAnd, quoteTerm } from './fts.js';

function isWordUnit(c: number): boolean {
  if (c >= 128) return true; // unknown to the ASCII rule: never a separator
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/** `folded` is case-folded (foldCase). Returns the AND of constraining terms, or null. */
export function substrCandidates(folded: string): string | null {
  const terms: string[] = [];
  let i = 0;
  while (i < folded.length) {
    if (!isWordUnit(folded.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    let ascii = true;
    while (j < folded.length && isWordUnit(folded.charCodeAt(j))) {
      if (folded.charCodeAt(j) >= 128) ascii = false;
      j++;
    }
    if (ascii && i > 0) terms.push(quoteTerm(folded.slice(i, j), j === folded.length));
    i = j;
  }
  return terms.length === 0 ? null : ftsAnd(terms);
}
