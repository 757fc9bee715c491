/**
 * A labelled rule beside the model, not part of it: IDN homographs. `http://xn--pypal-4ve.com/` is
 * `pаypal.com` with a Cyrillic `а`, which a browser may show as paypal.com; the model reads the punycode
 * bytes and has no idea what it imitates. The rule decodes the host as a browser does (node:url
 * `domainToUnicode`: punycode `xn--` labels to Unicode, percent-escapes, UTS #46 mapping) and, when it
 * holds non-ASCII letters, reads each as the Latin letter it looks like (confusables.ts: look-alikes of
 * other scripts after UTS #39, `đ ł ø`, small capitals `ᴀ`–`ᴢ`, and Latin letters with diacritics as their
 * base letter: `gmaīl.com`).
 * It fires when every non-ASCII letter has such a reading and the read name, or a parent domain of it,
 * or else a run of 2 to 4 of its labels (`twítter.com.co` reads twitter.com.co, whose run `twitter.com`
 * is popular: `popularRun`), that holds a look-alike letter, is a popular domain on the model's popularity table (popularity.ts:
 * OpenDNS's top domains, hashed; tier below HOMOGRAPH_RANK), while the host itself is not on the table
 * (a real IDN brand is popular itself). A host of other scripts that reads as no popular name does not
 * fire (`münchen.de` reads munchen.de, `例え.jp` reads as none), nor any host when
 * the model has no popularity table.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { confusableOf } from './confusables.js';
import { hostOf } from './data.js';
import { hostEnd, stripScheme } from './features.js';
import { blobInner } from './line-urls.js';
import { TIER_LIMITS, type PopularityTable } from './popularity.js';

/** What the rule found: in explanations as `detail.deception`, as the userinfo rule's finding is. */
export interface HomographDeception {
  rule: 'idn-homograph';
  /** the host the URL leads to, as DNS names it (punycode, lower case) */
  host: string;
  /** the host as a browser may show it (Unicode) */
  shown: string;
  /** the popular domain it imitates (ASCII) */
  looksLike: string;
}

/** A look-alike fires when the domain it reads as ranks below this on the popularity list (tiers: TIER_LIMITS). */
export const HOMOGRAPH_RANK = 1_000;
/** The longest host read: a DNS name is at most 253 characters, its Unicode form shorter still. */
const MAX_HOST = 253;

/** Whether the authority may hold a non-ASCII host: a non-ASCII character, a punycode label or an escape. */
export const MAYBE_IDN = /[^\x00-\x7f]|xn--|%/i;

/**
 * The rule on one URL as written (a `blob:` URL by the URL it wraps), with the model's popularity table:
 * the domain its host imitates, or null when it does not fire (an ASCII host, bad punycode, a host that
 * reads as no popular domain, or one itself on the table). `rank`: other than HOMOGRAPH_RANK to measure
 * another tier (1,000 or 10,000). Never throws.
 */
export function idnHomograph(url: string, table: PopularityTable | null | undefined, rank: number = HOMOGRAPH_RANK): HomographDeception | null {
  if (table === null || table === undefined) return null;
  const s = stripScheme(blobInner(url) ?? url);
  const authority = s.slice(0, hostEnd(s));
  if (!MAYBE_IDN.test(authority)) return null;
  const written = hostOf(authority);
  if (written === '' || written.length > MAX_HOST * 4 || written.startsWith('[')) return null;
  let shown: string;
  let host: string;
  try {
    shown = domainToUnicode(written);
    host = domainToASCII(written);
  } catch {
    return null;
  }
  if (shown === '' || host === '' || host.length > MAX_HOST) return null; // bad punycode (`xn--zz`), a forbidden character
  if (shown.startsWith('www.')) shown = shown.slice(4);
  if (host.startsWith('www.')) host = host.slice(4);
  // the skeleton, code point by code point: each non-ASCII letter must read as an ASCII one
  let read = '';
  const lookAlike: boolean[] = [];
  for (const c of shown) {
    if (c.charCodeAt(0) < 0x80) {
      read += c;
      lookAlike.push(false);
      continue;
    }
    const a = confusableOf(c);
    if (a === undefined) return null;
    read += a;
    lookAlike.push(true);
  }
  if (!lookAlike.includes(true)) return null;
  if (table.listsItself(host)) return null; // a popular IDN is itself, not a look-alike
  const b = new TextEncoder().encode(read);
  const m = table.match(b, b.length);
  if (m !== null && TIER_LIMITS[m.feature % 3]! <= rank) {
    // the popular name must hold a look-alike letter (`gооgle.blogspot.com` does not imitate blogspot.com)
    if (!lookAlike.slice(m.from, m.to).includes(true)) return null;
    return { rule: 'idn-homograph', host, shown, looksLike: read.slice(m.from, m.to) };
  }
  const run = popularRun(read, lookAlike, table, rank);
  return run === null ? null : { rule: 'idn-homograph', host, shown, looksLike: run };
}

/** The most labels a run inside the host may have to be read as the popular domain it imitates. */
const MAX_RUN_LABELS = 4;

/**
 * A popular domain (tier below `rank`) that a run of 2 to MAX_RUN_LABELS labels inside the read host
 * spells, holding a look-alike letter: `twítter.com.co` reads `twitter.com.co`, no popular name nor parent,
 * but its run `twitter.com` is one. Runs are tried from the left, the longest first; null when none.
 * `read` is ASCII where `lookAlike` is true, one character per code point of the shown host.
 */
function popularRun(read: string, lookAlike: readonly boolean[], table: PopularityTable, rank: number): string | null {
  const chars = [...read];
  const starts = [0];
  chars.forEach((c, i) => {
    if (c === '.') starts.push(i + 1);
  });
  const labels = starts.length;
  for (let first = 0; first < labels - 1; first++) {
    for (let n = Math.min(MAX_RUN_LABELS, labels - first); n >= 2; n--) {
      const from = starts[first]!;
      const to = first + n < labels ? starts[first + n]! - 1 : chars.length;
      if (!lookAlike.slice(from, to).includes(true)) continue;
      const name = chars.slice(from, to).join('');
      const f = table.featureOf(name);
      if (f >= 0 && f < 3 && TIER_LIMITS[f]! <= rank) return name;
    }
  }
  return null;
}

/** The rule's words in an explanation's summary. */
export function homographText(d: HomographDeception): string {
  return `IDN homograph: the host ${d.host} shows as ${JSON.stringify(d.shown)}, a look-alike of the popular ${d.looksLike} (a rule beside the model; the score is the model's)`;
}
