/**
 * One pass over the text that splits it into words of `[A-Za-z0-9._:@+-]` and looks closer only at
 * words with a `.`, `:` or `@`: addresses, MACs, host names and e-mail addresses all have one, and
 * most words of a log line have none, so most words cost a table lookup per character and nothing else.
 */
import type { Entity } from '../../core/index.js';
import { addEntity, portText } from './collect.js';
import { domainAt } from '../../core/index.js';
import { isEmailLocal } from './domain.js';
import { addIp, addIpPort, addPortAfterIp, isDottedQuad } from './ip.js';
import { keywordFlags } from './keywords.js';
import { addMacs } from './mac.js';

const PART = 1;
const DOT = 2;
const COLON = 4;
const AT = 8;
const POISON = 16;
const LETTER = 32;
const SPECIAL = DOT | COLON | AT;

const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = PART;
for (let c = 65; c <= 90; c++) CLASS[c] = PART | LETTER;
for (let c = 97; c <= 122; c++) CLASS[c] = PART | LETTER;
CLASS[45] = PART; // -
CLASS[95] = PART; // _
CLASS[43] = PART; // +
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

/**
 * Adds every address, MAC, host name and e-mail address in `text`, and returns the keyword flags
 * (see keywords.ts) of its words, and of the part before the first `:` of a word (`port:22`).
 */
export function scanWords(text: string, out: Entity[]): number {
  const n = text.length;
  let flags = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const k = c < 128 ? CLASS[c]! : nonAsciiClass(c);
    if (k === 0) {
      // `%2F` and friends: URL escapes end words, so `%2Fwww.example.com` yields `www.example.com`.
      i += c === 37 && isHexDigit(text.charCodeAt(i + 1)) && isHexDigit(text.charCodeAt(i + 2)) ? 3 : 1;
      continue;
    }
    const start = i;
    let marks = k;
    let beforeColon = k & COLON ? 0 : -1;
    let inner = 0; // `.`, `:` and `@` not at the word's end: `status:` or `done.` need no closer look
    for (i++; i < n; i++) {
      const d = text.charCodeAt(i);
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
    if (k & LETTER) flags |= keywordFlags(text, start, len);
    if ((marks & SPECIAL) === 0) {
      // `aa-bb-cc-dd-ee-ff` is the only entity without `.`, `:` or `@`.
      if (len === 17 && text.charCodeAt(start + 2) === 45) addMacs(text, start, i, out);
      continue;
    }
    if (beforeColon > 0 && k & LETTER) flags |= keywordFlags(text, start, beforeColon);
    if (CLASS[text.charCodeAt(i - 1)]! & SPECIAL) inner--;
    if ((marks & POISON) === 0 && len >= 3 && (inner > 0 || (k & SPECIAL) !== 0)) classifyWord(text, start, i, out);
  }
  return flags;
}

/** Looks at the word s[a, b) after trimming punctuation that cannot end an entity. */
function classifyWord(s: string, a: number, b: number, out: Entity[]): void {
  // A leading `::` belongs to IPv6 (`::1`); other leading or trailing `.:-_+` are sentence punctuation.
  while (a < b && isTrimmed(s.charCodeAt(a)) && !(s.charCodeAt(a) === 58 && s.charCodeAt(a + 1) === 58)) a++;
  while (b > a && isTrimmed(s.charCodeAt(b - 1))) b--;
  if (b - a < 3) return;
  let dots = 0;
  let colons = 0;
  let dashes = 0;
  let letters = 0;
  let nonHex = 0;
  let at = -1;
  let colon = -1;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) continue;
    if (c === 46) dots++;
    else if (c === 58) {
      colons++;
      if (colon < 0) colon = i;
    } else if (c === 45) dashes++;
    else if (c === 64) at = i;
    else {
      letters++;
      const l = c | 32;
      if (!(l >= 97 && l <= 102)) nonHex++;
    }
  }
  if (at >= 0) return classifyAt(s, a, at, b, out);
  if (nonHex === 0 && addMacs(s, a, b, out)) return;
  if (letters === 0 && dashes > 0) return splitOnDashes(s, a, b, out);
  if (nonHex === 0 && dashes === 0 && colons >= 2) {
    if (addIp(s, a, b, out)) addPortAfterIp(s, b, out);
    return;
  }
  if (letters === 0 && colons === 0) {
    if (dots === 3 && addIp(s, a, b, out)) addPortAfterIp(s, b, out);
    return;
  }
  if (colons > 0 && isDottedQuad(s, a, colon)) {
    // `10.0.0.1:3888` and Zookeeper's `10.10.34.11:3888:QuorumCnxManager`
    const next = s.indexOf(':', colon + 1);
    return addIpPort(s, a, colon, next < 0 || next > b ? b : next, out);
  }
  if (letters === 0) return;
  if (dots === 0 || colons > 1 || s.charCodeAt(b) === 40) return; // `log.info(` is a call, not a host
  const hostEnd = colons === 1 ? colon : b;
  const domain = domainAt(s, a, hostEnd);
  if (domain === null) return;
  addEntity(out, 'domain', domain);
  if (colons === 1) {
    const port = portText(s, colon + 1, b);
    if (port !== null) addEntity(out, 'port', port);
  }
}

/** `1.2.3.4-1.2.3.9` and `->` arrows: each part on its own. */
function splitOnDashes(s: string, a: number, b: number, out: Entity[]): void {
  let from = a;
  for (let i = a; i <= b; i++) {
    if (i < b && s.charCodeAt(i) !== 45) continue;
    if (i - from >= 3) classifyWord(s, from, i, out);
    from = i + 1;
  }
}

/** `alice@example.com` is an e-mail address (and a domain); `?@10.0.0.1` or `root@pam` only what follows the `@`. */
function classifyAt(s: string, a: number, at: number, b: number, out: Entity[]): void {
  const domain = domainAt(s, at + 1, b);
  if (domain !== null && isEmailLocal(s, a, at)) {
    addEntity(out, 'email', s.slice(a, at).toLowerCase() + '@' + domain);
    addEntity(out, 'domain', domain);
    return;
  }
  if (b - at - 1 >= 3) classifyWord(s, at + 1, b, out);
}
