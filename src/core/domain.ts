/**
 * What counts as a domain name, shared by the parser (entities) and the query compiler (a bare word
 * that is a domain becomes the typed domain term), so that the two always agree.
 */
import { AMBIGUOUS_TLDS, CODE_ROOTS, TLDS } from './tlds.js';

const MAX_DOMAIN = 253;
const MAX_LABEL = 63;
const MAX_TLD = 24;

/**
 * Sets of short lowercase ASCII words as numbers: a word of 1..11 letters read as base-27 digits
 * (a = 1 .. z = 26) is exact in a double, so looking a name up needs no slice, no toLowerCase and no
 * string hash. -1 for anything that is not 1..11 ASCII letters; `| 32` folds case.
 */
const MAX_PACKED = 11;

function packLetters(codes: ArrayLike<number>, a: number, b: number): number {
  if (b <= a || b - a > MAX_PACKED) return -1;
  let key = 0;
  for (let i = a; i < b; i++) {
    const l = codes[i]! | 32;
    if (l < 97 || l > 122) return -1;
    key = key * 27 + (l - 96);
  }
  return key;
}

function packWord(word: string): number {
  const codes: number[] = [];
  for (let i = 0; i < word.length; i++) codes.push(word.charCodeAt(i));
  const key = packLetters(codes, 0, codes.length);
  if (key < 0 || word !== word.toLowerCase()) throw new Error(`domain: ${word} is not 1..${MAX_PACKED} lowercase letters`);
  return key;
}

const TLD_KEYS: ReadonlySet<number> = new Set([...TLDS].map(packWord));
const AMBIGUOUS_KEYS: ReadonlySet<number> = new Set([...AMBIGUOUS_TLDS].map(packWord));
const CODE_ROOT_KEYS: ReadonlySet<number> = new Set([...CODE_ROOTS].map(packWord));
/** The longest code root (`mapreduce`): a longer first label needs no lookup. */
const MAX_CODE_ROOT = Math.max(...[...CODE_ROOTS].map((r) => r.length));
/** The TLDs a host name under a language root ends in (`android.clients.google.com`), and code (`androidx.core.app`) does not. */
const HOST_TLD_KEYS: ReadonlySet<number> = new Set(['com', 'net', 'org', 'edu', 'gov'].map(packWord));

/** letters, digits, `-` and `_` (SRV names such as `_ldap._tcp`), 1..63 long, no `-` at either end */
function isLabel(codes: Uint16Array, a: number, b: number): boolean {
  if (b <= a || b - a > MAX_LABEL || codes[a] === 45 || codes[b - 1] === 45) return false;
  for (let i = a; i < b; i++) {
    const c = codes[i]!;
    const l = c | 32;
    if (!((l >= 97 && l <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95)) return false;
  }
  return true;
}

function hasCase(codes: Uint16Array, a: number, b: number, from: number): boolean {
  for (let i = a; i < b; i++) {
    const c = codes[i]!;
    if (c >= from && c <= from + 25) return true;
  }
  return false;
}

/**
 * The key (see packLetters) of the TLD in [a, b) when it is listed, else -1. An upper-case TLD after an
 * all-lower-case label (`local.INFO`, Laravel's channel and level) is code, not a name; after
 * `Example.` or `CORP.` it is one. A TLD in mixed case is a name (DNS 0x20 case randomization:
 * `WWW.EXAMPLE.Com`, `eXample.cOM`) unless it is capitalized after a label with a lower-case letter,
 * as members and namespaces are (`System.Net`, `button1.Click`, `client.Do`); see also domainAt.
 */
function tldAt(codes: Uint16Array, labelStart: number, a: number, b: number): number {
  if (b - a < 2 || b - a > MAX_TLD) return -1;
  let lower = false;
  let upper = false;
  for (let i = a; i < b; i++) {
    const c = codes[i]!;
    if (c >= 97 && c <= 122) lower = true;
    else if (c >= 65 && c <= 90) upper = true;
    else return -1;
  }
  if (upper && hasCase(codes, labelStart, a - 1, 97)) {
    // upper case only: code after an all-lower-case label; capitalized: code after any label with lower case
    if (lower ? codes[a]! <= 90 && !hasCase(codes, a + 1, b, 65) : !hasCase(codes, labelStart, a - 1, 65)) return -1;
  }
  const key = packLetters(codes, a, b);
  return TLD_KEYS.has(key) ? key : -1;
}

/** Whether the letters in [a, b) are one upper-case letter and then lower case only (`Com`). */
function isCapitalized(codes: Uint16Array, a: number, b: number): boolean {
  return codes[a]! <= 90 && !hasCase(codes, a + 1, b, 65);
}

/**
 * Whether a name of three or more labels whose first label has the key `root` is code: reverse-DNS roots
 * that are TLDs themselves (`com.apple.mail`, `org.apache.hadoop.app`) always are; language roots
 * (`java`, `android`, `sun`) are unless the name ends in a generic host TLD (`android.clients.google.com`).
 */
function isCodeRoot(root: number, tld: number): boolean {
  return CODE_ROOT_KEYS.has(root) && (TLD_KEYS.has(root) || !HOST_TLD_KEYS.has(tld));
}

/** The code units of s[a, b) at their own indexes (for callers that pass a string alone). */
function codesOf(s: string, a: number, b: number): Uint16Array {
  const codes = new Uint16Array(b);
  for (let i = a; i < b; i++) codes[i] = s.charCodeAt(i);
  return codes;
}

/**
 * The lowercase host name in s[a, b) when it has two or more labels and a known TLD and does not
 * look like a file (`setup.py`) or a code name (`org.apache.hadoop.app`); else null. `codes`, when
 * the caller has them (the parser's word scan), are the code units of s: codes[i] === s.charCodeAt(i)
 * for i in [a, b); only that range is read.
 */
export function domainAt(s: string, a: number, b: number, codes?: Uint16Array): string | null {
  if (b - a < 4 || b - a > MAX_DOMAIN) return null;
  const c = codes ?? codesOf(s, a, b);
  let lastDot = b - 1;
  while (lastDot > a && c[lastDot] !== 46) lastDot--;
  if (lastDot <= a) return null;
  let labelBeforeTld = lastDot - 1;
  while (labelBeforeTld >= a && c[labelBeforeTld] !== 46) labelBeforeTld--;
  const tld = tldAt(c, labelBeforeTld + 1, lastDot + 1, b);
  if (tld < 0) return null;
  let labels = 1;
  let labelStart = a;
  let firstDot = -1;
  for (let i = a; i <= lastDot; i++) {
    if (c[i] !== 46) continue;
    if (!isLabel(c, labelStart, i)) return null;
    if (firstDot < 0) firstDot = i;
    labels++;
    labelStart = i + 1;
  }
  // two labels and a capitalized TLD: a product token (`UP.Link/6.3`) rather than a randomized-case name
  if (labels < 3 && (AMBIGUOUS_KEYS.has(tld) || isCapitalized(c, lastDot + 1, b))) return null;
  if (labels >= 3 && firstDot - a <= MAX_CODE_ROOT && isCodeRoot(packLetters(c, a, firstDot), tld)) return null;
  return s.slice(a, b).toLowerCase();
}

/** `text` as a host name (lowercase) when the whole of it is one, by the same rules the parser uses. */
export function domainName(text: string): string | null {
  return domainAt(text, 0, text.length);
}
