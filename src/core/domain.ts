/**
 * What counts as a domain name, shared by the parser (entities) and the query compiler (a bare word
 * that is a domain becomes the typed domain term), so that the two always agree.
 */
import { AMBIGUOUS_TLDS, CODE_ROOTS, TLDS } from './tlds.js';

const MAX_DOMAIN = 253;
const MAX_LABEL = 63;
const MAX_TLD = 24;

/** letters, digits, `-` and `_` (SRV names such as `_ldap._tcp`), 1..63 long, no `-` at either end */
function isLabel(s: string, a: number, b: number): boolean {
  if (b <= a || b - a > MAX_LABEL || s.charCodeAt(a) === 45 || s.charCodeAt(b - 1) === 45) return false;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    const l = c | 32;
    if (!((l >= 97 && l <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95)) return false;
  }
  return true;
}

function hasCase(s: string, a: number, b: number, from: number): boolean {
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c >= from && c <= from + 25) return true;
  }
  return false;
}

/**
 * The TLD in [a, b), lowercased, when it is listed and written in one case. An upper-case TLD after
 * an all-lower-case label (`local.INFO`, Laravel's channel and level) is code, not a name; after
 * `Example.` or `CORP.` it is one.
 */
function tldAt(s: string, labelStart: number, a: number, b: number): string | null {
  if (b - a < 2 || b - a > MAX_TLD) return null;
  let lower = false;
  let upper = false;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = true;
    else if (c >= 65 && c <= 90) upper = true;
    else return null;
  }
  if (lower && upper) return null;
  if (upper && hasCase(s, labelStart, a - 1, 97) && !hasCase(s, labelStart, a - 1, 65)) return null;
  const tld = s.slice(a, b).toLowerCase();
  return TLDS.has(tld) ? tld : null;
}

/**
 * The lowercase host name in s[a, b) when it has two or more labels and a known TLD and does not
 * look like a file (`setup.py`) or a code name (`org.apache.hadoop.app`); else null.
 */
export function domainAt(s: string, a: number, b: number): string | null {
  if (b - a < 4 || b - a > MAX_DOMAIN) return null;
  const lastDot = s.lastIndexOf('.', b - 1);
  if (lastDot <= a) return null;
  const labelBeforeTld = Math.max(a, s.lastIndexOf('.', lastDot - 1) + 1);
  const tld = tldAt(s, labelBeforeTld, lastDot + 1, b);
  if (tld === null) return null;
  let labels = 1;
  let labelStart = a;
  let firstDot = -1;
  for (let i = a; i <= lastDot; i++) {
    if (s.charCodeAt(i) !== 46) continue;
    if (!isLabel(s, labelStart, i)) return null;
    if (firstDot < 0) firstDot = i;
    labels++;
    labelStart = i + 1;
  }
  if (labels < 3 && AMBIGUOUS_TLDS.has(tld)) return null;
  if (labels >= 3 && firstDot - a <= 8 && CODE_ROOTS.has(s.slice(a, firstDot).toLowerCase())) return null;
  return s.slice(a, b).toLowerCase();
}

/** `text` as a host name (lowercase) when the whole of it is one, by the same rules the parser uses. */
export function domainName(text: string): string | null {
  return domainAt(text, 0, text.length);
}
