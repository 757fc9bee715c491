/**
 * One pass over the text that splits it into words of `[A-Za-z0-9._:@+-]` and looks closer only at
 * words with a `.`, `:` or `@`: addresses, MACs, host names and e-mail addresses all have one, and
 * most words of a log line have none, so most words cost a table lookup per character and nothing else.
 * The lookups also OR together which kinds of character a word holds (its marks), so that a word
 * that needs a closer look is mostly judged from its marks without reading it again.
 */
import type { Entity } from '../../core/index.js';
import { addEntity, portAt } from './collect.js';
import { domainAt } from '../../core/index.js';
import { isEmailLocal } from './domain.js';
import { addIp, addIpPort, addPortAfterIp, isDottedQuadAt, isProductVersionAt } from './ip.js';
import { F_ANSI, keywordFlags } from './keywords.js';
import { addMacs } from './mac.js';

const PART = 1;
const DOT = 2;
const COLON = 4;
const AT = 8;
const POISON = 16;
const LETTER = 32; // A-Z a-z
const NON_HEX = 64; // G-Z g-z _ +: what makes a word neither a number nor hex
const DASH = 128;
const SPECIAL = DOT | COLON | AT;

const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = PART;
for (let c = 65; c <= 90; c++) CLASS[c] = PART | LETTER | (c > 70 ? NON_HEX : 0);
for (let c = 97; c <= 122; c++) CLASS[c] = PART | LETTER | (c > 102 ? NON_HEX : 0);
CLASS[45] = PART | DASH; // -
CLASS[95] = PART | NON_HEX; // _
CLASS[43] = PART | NON_HEX; // +
CLASS[46] = PART | DOT;
CLASS[58] = PART | COLON;
CLASS[64] = PART | AT;

/**
 * Non-ASCII punctuation, symbols and emoji end a word (`«10.0.0.1»`); a non-ASCII letter poisons it,
 * so `müller.de` yields nothing rather than `ller.de`.
 */
function nonAsciiClass(c: number): number {
  if (c <= 0xbf || c === 0xd7 || c === 0xf7) return 0;
  if ((c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) || (c >= 0xd800 && c <= 0xdfff) || c >= 0xfe00) return 0;
  return PART | POISON;
}

function isHexDigit(c: number): boolean {
  const l = c | 32;
  return (c >= 48 && c <= 57) || (l >= 97 && l <= 102);
}

function isTrimmed(c: number): boolean {
  return c === 46 || c === 45 || c === 95 || c === 43 || c === 58;
}

/** The longest keyword (keywords.ts): a longer part of a word needs no lookup. */
const MAX_KEYWORD = 16;

/**
 * Keyword flags of the part after the last `:` of the word codes[a, b) (`auth:user`, `x:port`), or, when
 * the word ends in a `:`, of the part before that one (`Referer:http:` of `Referer:http://x`); 0 when
 * that part is the word's first (looked up already). Reads at most a keyword's length back.
 */
function lastPartFlags(codes: Uint16Array, a: number, b: number): number {
  const end = codes[b - 1] === 58 ? b - 1 : b;
  let from = end;
  while (from > a && end - from <= MAX_KEYWORD && codes[from - 1] !== 58) from--;
  if (from === a || codes[from - 1] !== 58 || (CLASS[codes[from]!]! & LETTER) === 0) return 0;
  return keywordFlags(codes, from, end - from);
}

/**
 * Index past the ANSI CSI sequence (`ESC [ digits-and-semicolons letter`: colour codes such as
 * `\x1b[32m`) at i, an ESC; i + 1 when none starts there. Reads no further than n.
 */
function csiEnd(codes: Uint16Array, i: number, n: number): number {
  if (codes[i + 1] !== 91) return i + 1;
  let j = i + 2;
  while (j < n && ((codes[j]! >= 48 && codes[j]! <= 57) || codes[j] === 59)) j++;
  const l = codes[j]! | 32;
  return j < n && l >= 97 && l <= 122 ? j + 1 : i + 1;
}

/**
 * Adds every address, MAC, host name and e-mail address in `text`, and returns the keyword flags
 * (see keywords.ts) of its words, of the part before the first `:` of a word (`port:22`) and of the
 * part after its last (`x:port=22`, `Referer:http://`), and F_ANSI when it skipped a colour code.
 * `codes` are the code units of `text` (codes.ts): every character is read from there.
 */
export function scanWords(codes: Uint16Array, text: string, out: Entity[]): number {
  const n = text.length;
  let flags = 0;
  let i = 0;
  while (i < n) {
    const c = codes[i]!;
    const k = c < 128 ? CLASS[c]! : nonAsciiClass(c);
    if (k === 0) {
      if (c === 27) {
        // a terminal colour code is a separator as a whole: `\x1b[32m10.0.0.1` is no word `32m10.0.0.1`
        const end = csiEnd(codes, i, n);
        if (end > i + 1) flags |= F_ANSI;
        i = end;
        continue;
      }
      // `%2F` and friends: URL escapes end words, so `%2Fwww.example.com` yields `www.example.com`.
      i += c === 37 && isHexDigit(codes[i + 1]!) && isHexDigit(codes[i + 2]!) ? 3 : 1;
      continue;
    }
    const start = i;
    let marks = k;
    let beforeColon = k & COLON ? 0 : -1;
    let inner = 0; // `.`, `:` and `@` not at the word's end: `status:` or `done.` need no closer look
    for (i++; i < n; i++) {
      const d = codes[i]!;
      const kd = d < 128 ? CLASS[d]! : nonAsciiClass(d);
      if (kd === 0) break;
      if (kd & SPECIAL) {
        inner++;
        if (kd & COLON && beforeColon < 0) beforeColon = i - start;
      }
      marks |= kd;
    }
    const len = i - start;
    // Keywords start with a letter: numbers and addresses skip the lookup.
    if (k & LETTER) flags |= keywordFlags(codes, start, len);
    if ((marks & SPECIAL) === 0) {
      // `aa-bb-cc-dd-ee-ff` is the only entity without `.`, `:` or `@`.
      if (len === 17 && codes[start + 2] === 45) addMacs(codes, text, start, i, out);
      continue;
    }
    if (beforeColon > 0 && k & LETTER) flags |= keywordFlags(codes, start, beforeColon);
    if ((marks & (COLON | LETTER)) === (COLON | LETTER)) flags |= lastPartFlags(codes, start, i);
    if (CLASS[codes[i - 1]!]! & SPECIAL) inner--;
    if ((marks & POISON) !== 0 || len < 3 || (inner <= 0 && (k & SPECIAL) === 0)) continue;
    // Most words (addresses, numbers, names) have nothing to trim, and then their marks hold.
    if (isTrimmed(c) || isTrimmed(codes[i - 1]!)) classifyWord(codes, text, start, i, out);
    else classifyTrimmed(codes, text, start, i, marks, out);
  }
  return flags;
}

/**
 * Whether codes[a, b) ends in an IPv6 `::`: a `::` after a group with a digit or after another colon
 * (`fe80::`, `2001:db8:abcd::`), not after a word (`Foo::`, or `add::`, which would parse).
 */
function endsInDoubleColon(codes: Uint16Array, a: number, b: number): boolean {
  if (b - a < 3 || codes[b - 1] !== 58 || codes[b - 2] !== 58) return false;
  for (let i = b - 3; i >= a; i--) {
    const c = codes[i]!;
    if (c === 58 || (c >= 48 && c <= 57)) return true;
    if (!isHexDigit(c)) return false;
  }
  return false;
}

/** Looks at the word s[a, b) (ASCII word characters only) after trimming punctuation that cannot end an entity. */
function classifyWord(codes: Uint16Array, s: string, a: number, b: number, out: Entity[]): void {
  // A leading `::` belongs to IPv6 (`::1`), and so does a trailing one (`2001:db8:abcd::`, `fe80::`);
  // other leading or trailing `.:-_+` are sentence punctuation.
  while (a < b && isTrimmed(codes[a]!) && !(codes[a] === 58 && codes[a + 1] === 58)) a++;
  while (b > a && isTrimmed(codes[b - 1]!) && !endsInDoubleColon(codes, a, b)) b--;
  if (b - a < 3) return;
  let marks = 0;
  for (let i = a; i < b; i++) marks |= CLASS[codes[i]!]!;
  classifyTrimmed(codes, s, a, b, marks, out);
}

/**
 * Looks at the trimmed word s[a, b), whose `marks` say which kinds of character it holds: `letters`
 * below are A-Z, a-z, `_` and `+`, and a word without NON_HEX is all hex digits and separators.
 */
function classifyTrimmed(codes: Uint16Array, s: string, a: number, b: number, marks: number, out: Entity[]): void {
  if (marks & AT) {
    let at = b - 1;
    while (codes[at] !== 64) at--;
    return classifyAt(codes, s, a, at, b, out);
  }
  const hex = (marks & NON_HEX) === 0;
  const letters = (marks & (LETTER | NON_HEX)) !== 0;
  const len = b - a;
  // MACs are 14 (Cisco), 17 or 41 (iptables) long: most hex words (addresses, times) skip the call.
  if (hex && (len === 17 || len === 14 || len === 41) && addMacs(codes, s, a, b, out)) return;
  if (!letters && marks & DASH) return splitOnDashes(codes, s, a, b, out);
  if (!letters && (marks & COLON) === 0) {
    // Digits and dots only: an address, or a version number (`Chrome/124.0.0.0` is one even as a quad).
    if (isDottedQuadAt(codes, a, b) && !isProductVersionAt(codes, a)) {
      addEntity(out, 'ip', s.slice(a, b));
      addPortAfterIp(codes, b, out);
    }
    return;
  }
  // The first colon and the one after it (b when there is none).
  let colon = -1;
  let colon2 = b;
  if (marks & COLON) {
    colon = a;
    while (codes[colon] !== 58) colon++;
    colon2 = colon + 1;
    while (colon2 < b && codes[colon2] !== 58) colon2++;
  }
  const colons = colon < 0 ? 0 : colon2 < b ? 2 : 1; // 2: two or more
  if (hex && (marks & DASH) === 0 && colons === 2) {
    if (addIp(codes, s, a, b, out)) addPortAfterIp(codes, b, out);
    return;
  }
  // `10.0.0.1:3888` and Zookeeper's `10.10.34.11:3888:QuorumCnxManager`: the port ends at the next colon
  if (colon >= 0 && isDottedQuadAt(codes, a, colon)) return addIpPort(codes, s, a, colon, colon2, out);
  // an address after a label: `host:17.1.1.1`, Zookeeper's `Factory:0.0.0.0`, with the port that follows it
  // (a hunt review counted 103 lines of 10.0.0.0/8 that an address search missed)
  if (colon >= 0 && isDottedQuadAt(codes, colon + 1, colon2)) {
    if (colon2 === b) return void addEntity(out, 'ip', s.slice(colon + 1, b));
    let colon3 = colon2 + 1;
    while (colon3 < b && codes[colon3] !== 58) colon3++;
    return addIpPort(codes, s, colon + 1, colon2, colon3, out);
  }
  if (!letters) return;
  if ((marks & DOT) === 0 || colons === 2 || codes[b] === 40) return; // `log.info(` is a call, not a host
  const hostEnd = colons === 1 ? colon : b;
  // classifyWord trims a leading `_` as punctuation, but service names start with one (`_ldap._tcp.example.com`)
  let from = a;
  while (codes[from - 1] === 95) from--;
  const domain = (from < a ? domainAt(s, from, hostEnd, codes) : null) ?? domainAt(s, a, hostEnd, codes);
  if (domain === null) return;
  addEntity(out, 'domain', domain);
  if (colons === 1) {
    const port = portAt(codes, colon + 1, b);
    if (port !== null) addEntity(out, 'port', port);
  }
}

/** `1.2.3.4-1.2.3.9` and `->` arrows: each part on its own. */
function splitOnDashes(codes: Uint16Array, s: string, a: number, b: number, out: Entity[]): void {
  let from = a;
  for (let i = a; i <= b; i++) {
    if (i < b && codes[i] !== 45) continue;
    if (i - from >= 3) classifyWord(codes, s, from, i, out);
    from = i + 1;
  }
}

/** `alice@example.com` is an e-mail address (and a domain); `?@10.0.0.1` or `root@pam` only what follows the `@`. */
function classifyAt(codes: Uint16Array, s: string, a: number, at: number, b: number, out: Entity[]): void {
  const domain = domainAt(s, at + 1, b, codes);
  if (domain !== null && isEmailLocal(codes, a, at)) {
    addEntity(out, 'email', s.slice(a, at).toLowerCase() + '@' + domain);
    addEntity(out, 'domain', domain);
    return;
  }
  if (b - at - 1 >= 3) classifyWord(codes, s, at + 1, b, out);
  // an address before the `@` of something that is no e-mail: Zookeeper's `/10.0.0.3:4444:Leader@576`
  if (at - a >= 7 && DOTTED_QUAD.test(s.slice(a, at))) classifyWord(codes, s, a, at, out);
}

const DOTTED_QUAD = /\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/;
