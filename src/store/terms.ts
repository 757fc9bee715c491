/**
 * How an event becomes index text. The FTS5 table tokenizes the raw line itself (unicode61, `_` kept
 * inside words, as Lucene's standard tokenizer does) and we append typed terms for fields and entities,
 * so that an IP, a domain, a user or a host is one exact term: `ip4_0a000005`, `dom_example_dcom`,
 * `user_john_ddoe`, `host_web_h01`, each prefixed with TYPED_MARK (U+E000, a private-use character that
 * the tokenizer keeps inside a token). The mark is removed from raw text before indexing, so a log line
 * cannot forge a typed term. The query side builds the very same strings with `typedTerm`.
 */
import { parseIp, ipTerm } from '../core/index.js';
import type { LogEvent } from '../core/index.js';

export const TYPED_MARK = '\uE000';
const MARK_RE = /\uE000/g;

/** The FTS5 tokenizer of every shard; changing it changes the on-disk format (bump SCHEMA_VERSION). */
export const FTS_TOKENIZER = "unicode61 remove_diacritics 0 tokenchars '_'";

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

/** Typed terms of one event: its header fields and every entity. */
export function eventTerms(ev: LogEvent): string[] {
  const terms: string[] = [];
  if (!ev.parsed) terms.push(TYPED_MARK + 'fmt_raw');
  if (ev.host !== null) terms.push(typedTerm('host', ev.host));
  if (ev.app !== null) terms.push(typedTerm('app', ev.app));
  if (ev.severity !== null) terms.push(`${TYPED_MARK}sev_${ev.severity}`);
  if (ev.facility !== null) terms.push(`${TYPED_MARK}fac_${ev.facility}`);
  for (const e of ev.entities) {
    switch (e.kind) {
      case 'ip': {
        const ip = parseIp(e.value);
        if (ip !== null) terms.push(TYPED_MARK + ipTerm(ip));
        break;
      }
      case 'domain':
        for (const d of domainAndParents(e.value)) terms.push(typedTerm('dom', d));
        break;
      case 'mac':
        terms.push(`${TYPED_MARK}mac_${e.value.replace(/[^0-9a-f]/gi, '').toLowerCase()}`);
        break;
      case 'port':
      case 'user':
      case 'email':
        terms.push(typedTerm(e.kind, e.value));
        break;
      case 'url':
        // URLs are searched through their words plus verification of the text; a typed term would be long and rarely exact.
        break;
    }
  }
  return terms;
}

/** What goes into the FTS column for one event. */
export function indexText(ev: LogEvent): string {
  const raw = ev.raw.indexOf(TYPED_MARK) >= 0 ? ev.raw.replace(MARK_RE, '\uFFFD') : ev.raw;
  const terms = eventTerms(ev);
  return terms.length === 0 ? raw : raw + '\n' + terms.join(' ');
}

const WORD = /[\p{L}\p{N}_]+/gu;

/** The words the shard tokenizer sees in plain text (lowercase), for phrase checks and highlighting. */
export function textTokens(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}
