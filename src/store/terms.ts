/**
 * How an event becomes index text. The FTS5 table tokenizes the raw line itself (unicode61, `_` kept
 * inside words, as Lucene's standard tokenizer does) and we append typed terms for fields and entities,
 * so that an IP, a domain, a user or a host is one exact term: `ip4_0a000005`, `dom_example_dcom`,
 * `user_john_ddoe`, `host_web_h01`, each prefixed with TYPED_MARK (U+0001, a control character the tokenizer
 * is told to keep inside tokens; an ASCII mark keeps unicode61 on its fast path: 7.3 µs/line against
 * 9.8 µs/line with a private-use mark). The mark is removed from raw text before indexing, so a log line
 * cannot forge a typed term. The query side builds the very same strings with `typedTerm`.
 */
import { bareUser, parseIp, ipTerm } from '../core/index.js';
import type { LogEvent } from '../core/index.js';
import { FOLD_RUNS, IN_WORD_RANGES, TOKEN_RANGES } from './unicode61.js';

export const TYPED_MARK = '\x01';
const MARK_RE = /\x01/g;

/** The FTS5 tokenizer of every shard; changing it changes the on-disk format (bump SCHEMA_VERSION). */
export const FTS_TOKENIZER = `unicode61 remove_diacritics 0 tokenchars '_${TYPED_MARK}'`;

export const TYPED_FIELDS = ['host', 'app', 'sev', 'fac', 'port', 'user', 'dom', 'mac', 'email', 'fmt'] as const;
export type TypedField = (typeof TYPED_FIELDS)[number];

const ALNUM = /^[a-z0-9]+$/;

/** Escapes a value into [a-z0-9_] (and non-ASCII letters/digits): `.`→`_d`, `-`→`_h`, `_`→`_u`, others `_x<hex>_`. */
export function encodeValue(value: string): string {
  const v = value.toLowerCase();
  if (ALNUM.test(v)) return v;
  let out = '';
  for (const ch of v) {
    const c = ch.codePointAt(0)!;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) out += ch;
    else if (ch === '.') out += '_d';
    else if (ch === '-') out += '_h';
    else if (ch === '_') out += '_u';
    else if (c > 127 && /[\p{L}\p{N}]/u.test(ch)) out += ch;
    else out += '_x' + c.toString(16) + '_';
  }
  return out;
}

/** The index term for `field:value`. */
export function typedTerm(field: TypedField, value: string): string {
  return `${TYPED_MARK}${field}_${encodeValue(value)}`;
}

/** Domain and its parents down to two labels: `a.b.example.com` → itself, `b.example.com`, `example.com`. */
export function domainAndParents(domain: string): string[] {
  const labels = domain.toLowerCase().split('.');
  const out: string[] = [];
  for (let i = 0; i + 2 <= labels.length; i++) out.push(labels.slice(i).join('.'));
  return out;
}

/**
 * Memo of typed terms by value: hosts, apps, users, domains and IPs repeat heavily in logs, and
 * encoding them is most of the cost of building index text. Cleared when full, not LRU: cheap and enough.
 */
class TermMemo {
  private readonly map = new Map<string, string>();
  constructor(
    private readonly make: (value: string) => string,
    private readonly max = 50_000,
  ) {}
  get(value: string): string {
    let t = this.map.get(value);
    if (t === undefined) {
      if (this.map.size >= this.max) this.map.clear();
      t = this.make(value);
      this.map.set(value, t);
    }
    return t;
  }
}

const hostTerms = new TermMemo((v) => typedTerm('host', v));
const appTerms = new TermMemo((v) => typedTerm('app', v));
// a qualified user is filed under its account name too (a UX review found `user:bianca` missed the 285 lines of `corp\bianca`)
const userTerms = new TermMemo((v) => {
  const bare = bareUser(v);
  return bare === null ? typedTerm('user', v) : `${typedTerm('user', v)} ${typedTerm('user', bare)}`;
});
const emailTerms = new TermMemo((v) => typedTerm('email', v));
const portTerms = new TermMemo((v) => typedTerm('port', v));
const PORT_PREFIX = `${TYPED_MARK}port_`;

/**
 * `typedTerm('port', v)`: digits are their own encoding, so a number is the prefix and itself, without
 * the memo. Source ports are ephemeral (44k distinct in 200k generator lines): the memo missed on most
 * of them and was cleared every ~50k, 1.6 → 1.1 µs a line for all of eventTerms without it.
 */
export function portTerm(v: string): string {
  if (v.length === 0) return portTerms.get(v);
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return portTerms.get(v);
  }
  return PORT_PREFIX + v;
}
const domainTerms = new TermMemo((v) => domainAndParents(v).map((d) => typedTerm('dom', d)).join(' '));
const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** `ip4_<hex>` of a dotted quad without regex or arrays (the common case, on the hot path); null if not one. */
export function ipv4Term(v: string): string | null {
  let hex = '';
  let n = 0;
  let digits = 0;
  let octets = 0;
  for (let i = 0; i <= v.length; i++) {
    const c = i < v.length ? v.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || n > 255 || octets === 4) return null;
      hex += HEX2[n];
      octets++;
      n = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && n === 0) return null; // a leading zero is not canonical
      n = n * 10 + (c - 48);
      if (++digits > 3) return null;
    } else return null;
  }
  return octets === 4 ? TYPED_MARK + 'ip4_' + hex : null;
}

const ipTerms = new TermMemo((v) => {
  const fast = ipv4Term(v);
  if (fast !== null) return fast;
  const ip = parseIp(v);
  return ip === null ? '' : TYPED_MARK + ipTerm(ip);
});
const macTerms = new TermMemo((v) => `${TYPED_MARK}mac_${v.replace(/[^0-9a-f]/gi, '').toLowerCase()}`);
const SEV = Array.from({ length: 8 }, (_, i) => `${TYPED_MARK}sev_${i}`);
const FAC = Array.from({ length: 24 }, (_, i) => `${TYPED_MARK}fac_${i}`);

/**
 * Typed terms of one event, space-separated: its header fields and every entity. One flat string, joined
 * once: a writer lane keeps it until its round commits, and a string grown by `+` is a tree of
 * concatenation nodes (~16 a line) that every young-generation GC meanwhile copies.
 */
export function eventTerms(ev: LogEvent): string {
  const parts: string[] = ev.parsed ? [] : [TYPED_MARK + 'fmt_raw'];
  const add = (t: string): void => {
    if (t !== '') parts.push(t);
  };
  if (ev.host !== null) add(hostTerms.get(ev.host));
  if (ev.app !== null) add(appTerms.get(ev.app));
  if (ev.severity !== null) add(SEV[ev.severity] ?? `${TYPED_MARK}sev_${ev.severity}`);
  if (ev.facility !== null) add(FAC[ev.facility] ?? `${TYPED_MARK}fac_${ev.facility}`);
  for (const e of ev.entities) {
    switch (e.kind) {
      case 'ip':
        add(ipTerms.get(e.value));
        break;
      case 'domain':
        add(domainTerms.get(e.value));
        break;
      case 'mac':
        add(macTerms.get(e.value));
        break;
      case 'port':
        add(portTerm(e.value));
        break;
      case 'user':
        add(userTerms.get(e.value));
        break;
      case 'email':
        add(emailTerms.get(e.value));
        break;
      case 'url':
        // URLs are searched through their words plus verification of the text; a typed term would be long and rarely exact.
        break;
    }
  }
  return parts.length === 1 ? parts[0]! : parts.join(' ');
}

/** Raw text as the index may see it: a line cannot forge a typed term. */
const markFree = (raw: string): string => (raw.indexOf(TYPED_MARK) >= 0 ? raw.replace(MARK_RE, '\uFFFD') : raw);

/** What goes into the FTS column for one event. */
export function indexText(ev: LogEvent): string {
  const { text, terms } = indexParts(ev);
  return terms === '' ? text : text + '\n' + terms;
}

/**
 * `indexText` in its two parts, the raw text as the index may see it and the typed terms, for a writer
 * that joins them itself (StoredLine.terms): the raw text is the line itself unless it holds the mark.
 */
export function indexParts(ev: LogEvent): { text: string; terms: string } {
  return { text: markFree(ev.raw), terms: eventTerms(ev) };
}

/** What goes into the FTS column for a line that was not parsed at all: its words and `fmt_raw`. */
export function rawIndexText(raw: string): string {
  return markFree(raw) + '\n' + TYPED_MARK + 'fmt_raw';
}

const hexCp = (h: string): string => `\\u{${h}}`;
const classOf = (ranges: string): string =>
  ranges
    .split(',')
    .map((r) => r.split('-').map(hexCp).join('-'))
    .join('');

/**
 * unicode61's words, as measured from SQLite itself (unicode61.ts): a token character, then token
 * characters and the diacritics it keeps inside a word (a decomposed `é` is one word; a word never
 * starts with an accent)
 */
const WORD = new RegExp(`[${classOf(TOKEN_RANGES)}][${classOf(TOKEN_RANGES)}${classOf(IN_WORD_RANGES)}]*`, 'gu');
/** the same on lowercase ASCII text, where the tables' words are runs of [a-z0-9_] (terms.test.ts) */
const ASCII_WORD = /[a-z0-9_]+/g;

/** unicode61's case fold, by UTF-16 unit for the BMP (0: unchanged) and by code point beyond it (Deseret) */
const BMP_FOLD = new Uint16Array(0x10000);
const ASTRAL_FOLD = new Map<number, number>();
for (const run of FOLD_RUNS.split(',')) {
  const [start, count, delta, stride] = run.split(':').map((h) => parseInt(h, 16)) as [number, number, number, number];
  for (let k = 0; k < count; k++) {
    const c = start + k * stride;
    if (c < 0x10000) BMP_FOLD[c] = c + delta;
    else ASTRAL_FOLD.set(c, c + delta);
  }
}
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** One word (of WORD: no lone surrogate) folded by the tables. */
function foldWord(word: string): string {
  if (ASCII_ONLY.test(word)) return word.toLowerCase();
  let out = '';
  let from = 0; // word[from, i) is unchanged and not yet copied
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    let f = 0;
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff && ASTRAL_FOLD.size > 0) {
      width = 2;
      f = ASTRAL_FOLD.get(word.codePointAt(i)!) ?? 0;
    } else f = BMP_FOLD[c]!;
    if (f !== 0) {
      out += word.slice(from, i) + String.fromCodePoint(f);
      from = i + width;
    }
    i += width - 1;
  }
  return from === 0 ? word : out + word.slice(from);
}

/**
 * The words the shard tokenizer sees in plain text, folded as unicode61 folds them, for phrase checks,
 * the live tail and highlighting. Code point by code point from SQLite's own tables, not from
 * String.toLowerCase: JavaScript's Unicode is newer (it lowercases Georgian Mtavruli and Cherokee, which
 * the index keeps) and folds otherwise (`ς`, `µ`, `ſ`, `ϐ` stay; the index makes them `σ`, `μ`, `s`, `β`).
 */
export function textTokens(text: string): string[] {
  // ASCII: the tables fold A-Z alone, as toLowerCase does
  if (ASCII_ONLY.test(text)) return text.toLowerCase().match(ASCII_WORD) ?? [];
  const words = text.match(WORD);
  if (words === null) return [];
  for (let i = 0; i < words.length; i++) words[i] = foldWord(words[i]!);
  return words;
}
