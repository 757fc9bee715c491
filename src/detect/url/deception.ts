/**
 * A labelled rule beside the model, not part of it: userinfo deception. `http://paypal.com@evil.tk/`
 * leads to evil.tk, but a reader sees paypal.com first; the model never reads userinfo (findings' form
 * drops it: line-urls.ts `findingUrl`), so it scored the URL 0.598914, as `http://evil.tk/`, and nothing
 * said the URL dresses itself as another host. The rule fires when the user part of the userinfo (before
 * the last `@` of the authority, and before its first `:`), read as a browser reads a host (`hostReading`:
 * percent-decoded as UTF-8, NFKC, the ideographic full stops as `.`, so `paypal。com`, `paypal%E3%80%82com`
 * and `ｐａｙｐａｌ．ｃｏｍ` read `paypal.com`), names a host other than the one the URL leads to (or a parent of
 * it): a name of two or more labels with a known TLD as the parser tells domains (core `domainName`), its
 * leading labels counted (`paypal.com.verify`), or an IPv4 address. The password part (after the `:`) is
 * never kept: what the rule reports holds `:…` in its place.
 *
 * It fires only when that name reads as a host, not a person's or a file's name (`readsAsHost`): an IPv4
 * address, three or more labels (`www.paypal.com@`, `mail.example.de@`), two under a generic TLD
 * (`paypal.com@`, `irs.gov@`); two under another TLD (`maria.lu@`, `anna.it@`: as often a person) only
 * when the model's popularity table vouches (the name on it, or its first label + `.com` among its top
 * 1,000: `paypal.de@`, `google.it@`). `.zip`, `.mov` and `.app` count as TLDs (USERINFO_TLDS: core reads
 * these as files, a user name here as a host: `paypal.zip@` with the table), but a capitalised name under
 * them is a file (`Invoice.zip@`). A decoded second `@` makes the user name a mailbox
 * (`john%40gmail.com@`): only the text before it is read. What does not fire: a user name with no known
 * TLD (`john.smith`, `x-access-token`, `anonymous`), one under `.name` (`first.name`, a person's name:
 * `.name` is in neither list, on purpose), one under a TLD core does not list (`.email`, `.host`), a code
 * name (`com.apple.app`). Until 2026-12-06 any name with a known TLD fired (`maria.lu@`, `Invoice.zip@`,
 * the `gmail.com` of `john%40gmail.com@`).
 *
 * Look-alike letters of another script read as the Latin letters they imitate (confusables.ts, after UTS
 * #39): `pаypal.com@` with a Cyrillic `а` (which NFKC keeps Cyrillic) names paypal.com.
 *
 * Its sibling, the IDN-homograph rule (homograph.ts), reads the host the URL leads to; `UrlDeception` is
 * either rule's finding, told apart by `rule`, and `deceptionOf` asks both (userinfo first).
 */
import { domainName, parseIPv4 } from '../../core/index.js';
import type { Explanation } from '../detector.js';
import { latinReading } from './confusables.js';
import { hostOf } from './data.js';
import { hostEnd, stripScheme } from './features.js';
import { homographText, idnHomograph, type HomographDeception } from './homograph.js';
import { blobInner } from './line-urls.js';
import { TIER_LIMITS, type PopularityTable } from './popularity.js';

/** What the rule found: in explanations as `detail.deception`, in findings' explanations too. */
export interface UserinfoDeception {
  rule: 'userinfo-host';
  /** the userinfo as written, its password part (if any) as `:…` */
  userinfo: string;
  /** the host name or address it names (decoded, lower case) */
  named: string;
  /** the host the URL leads to */
  host: string;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** How many bytes the UTF-8 sequence led by byte `b` holds; 0 when `b` leads none (a continuation byte, 0xC0, 0xC1, 0xF5..). */
function utf8Length(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/**
 * `%XX` escapes decoded where they are printable ASCII (`paypal%2Ecom` is `paypal.com`) or a whole valid
 * UTF-8 sequence (`paypal%E3%80%82com` is `paypal。com`); any other escape (a control byte, a lone or
 * cut sequence such as `%E3%80`, an overlong form) is kept as written, and `%ZZ` is no escape. Never throws.
 */
function decodePercent(s: string): string {
  return s.replace(/(?:%[0-9a-f]{2})+/gi, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(3 * i + 1, 3 * i + 3), 16);
    let out = '';
    for (let i = 0; i < bytes.length; ) {
      const n = utf8Length(bytes[i]!);
      let c: string | null = null;
      if (n === 1) c = bytes[i]! >= 0x20 && bytes[i]! < 0x7f ? String.fromCharCode(bytes[i]!) : null;
      else if (n > 1 && i + n <= bytes.length) {
        try {
          c = UTF8.decode(bytes.subarray(i, i + n));
        } catch {
          c = null; // overlong, a surrogate, a missing continuation byte
        }
      }
      if (c === null) {
        out += run.slice(3 * i, 3 * i + 3);
        i++;
      } else {
        out += c;
        i += n;
      }
    }
    return out;
  });
}

/**
 * `user` as a browser reads it in a host (WHATWG URL's host parsing, UTS #46 mapping): percent-decoded,
 * NFKC-normalised (full-width letters and `．` U+FF0E as ASCII: `ｐａｙｐａｌ．ｃｏｍ` is `paypal.com`), and
 * the ideographic full stops `。` U+3002 and `｡` U+FF61 (which NFKC maps to U+3002) as `.`; then as a
 * reader sees it: look-alike letters of other scripts as the Latin ones (confusables.ts `latinReading`),
 * case kept (a capital tells a file name, `Invoice.zip`). An encoded `@` (`%40`) ends it:
 * `john%40gmail.com@host` logs in as the mailbox john@gmail.com, as a client that means a mailbox writes
 * it, and the name after it is the mailbox's domain, no host the URL dresses as. A raw `@` does not:
 * `login@paypal.com@evil.tk` shows paypal.com to a reader as plainly as `paypal.com@evil.tk` does.
 */
function hostReading(user: string): string {
  const mailbox = user.search(/%40/i);
  const own = mailbox < 0 ? user : user.slice(0, mailbox);
  return latinReading(decodePercent(own).normalize('NFKC').replace(/\u3002/g, '.')).text;
}

/**
 * TLDs a user name before `@` names a host under although core's list (`core/tlds.ts`) leaves them out or
 * takes a two-label name under them for a file: Google's `.zip` and `.mov` (2023) and `.app`. In text they
 * are file names (`backup.zip`, `Weather.app`), which core must keep apart from hosts; in a URL's user
 * name a lower-case one reads as a host (`paypal.zip@evil.tk`), a capitalised one still as a file
 * (`Invoice.zip@`: `readsAsHost`). `.name` is not here:
 * a user name under it is a person's (`first.name`).
 */
const USERINFO_TLDS: ReadonlySet<string> = new Set(['zip', 'mov', 'app']);

/** `labels` as a host name under a USERINFO_TLDS TLD: by core's rules for the same labels under `.com`; else null. */
function userinfoTldName(labels: readonly string[]): string | null {
  const tld = labels[labels.length - 1]!;
  if (!USERINFO_TLDS.has(tld)) return null;
  const asCom = domainName([...labels.slice(0, -1), 'com'].join('.'));
  return asCom === null ? null : labels.join('.');
}

/** TLDs under which a two-label user name reads as a host on its own: the generic ones of RFC 1591 and 2000's `.info`, `.biz`. */
const GENERIC_TLDS: ReadonlySet<string> = new Set(['com', 'net', 'org', 'edu', 'gov', 'mil', 'int', 'info', 'biz']);
/** A two-label user name under another TLD reads as a host when its first label + `.com` ranks below this on the popularity table. */
const USERINFO_VOUCH_RANK = 1_000;
/** …and only when that first label has at least this many letters: `al.de` does not read as a host through al.com. */
const VOUCH_MIN_LABEL = 3;

/**
 * Whether `name` (a host name by core's rules, lower case; `written`: the same labels as the URL writes
 * them, case kept) reads as a host rather than a person's or a file's name. Under `.zip`, `.mov` or `.app`
 * a capitalised name (`Invoice.zip`, `Weather.app`) is a file. Three or more labels (`www.paypal.com`,
 * `mail.example.de`) read as a host; so do two under a generic TLD (`paypal.com`). Two under a country
 * code or a newer TLD are as often a person's name (`maria.lu`, `anna.it`, `john.li`): they read as a host
 * only when the model's popularity table vouches, the name itself on it or its first label + `.com` among
 * the USERINFO_VOUCH_RANK most popular (`paypal.de`, `google.zip`; a first label of 3 letters or more:
 * not `al.de`); without a table they never do.
 */
function readsAsHost(name: string, written: string, table: PopularityTable | null | undefined): boolean {
  const labels = name.split('.');
  const tld = labels[labels.length - 1]!;
  if (USERINFO_TLDS.has(tld) && /^[A-Z]/.test(written) && /[a-z]/.test(written)) return false;
  if (labels.length >= 3 || GENERIC_TLDS.has(tld)) return true;
  if (table === null || table === undefined) return false;
  if (table.listsItself(name)) return true;
  // a one- or two-letter first label is as often a person's initials or short name (`al.de`, `jo.it`) as a brand's
  if (labels[0]!.length < VOUCH_MIN_LABEL) return false;
  const f = table.featureOf(`${labels[0]!}.com`);
  return f >= 0 && f < 3 && TIER_LIMITS[f]! <= USERINFO_VOUCH_RANK;
}

/**
 * The first host-like token of `text` (a domain with a known TLD that reads as a host, `readsAsHost`, or
 * an IPv4 address), lower case; null when none. A token's leading labels count (`paypal.com.secure` names
 * paypal.com), its inner ones do not.
 */
function namedHost(text: string, table: PopularityTable | null | undefined): string | null {
  for (const raw of text.split(/[^a-z0-9.-]+/i)) {
    const written = raw.replace(/^[.-]+|[.-]+$/g, '');
    const token = written.toLowerCase();
    if (token === '') continue;
    if (parseIPv4(token) !== null) return token;
    // the longest run of leading labels that is a host name: `accounts-google.com.verify` reads as google.com's
    const labels = token.split('.');
    const writtenLabels = written.split('.');
    for (let n = labels.length; n >= 2; n--) {
      const name = domainName(labels.slice(0, n).join('.')) ?? userinfoTldName(labels.slice(0, n));
      if (name !== null && readsAsHost(name, writtenLabels.slice(0, n).join('.'), table)) return name;
    }
  }
  return null;
}

/**
 * The rule on one URL as written (a `blob:` URL by the URL it wraps), with the model's popularity table
 * when it has one (`readsAsHost`): what it names before `@`, or null when it does not fire (no userinfo,
 * a user name that names no host, or one that names the host the URL leads to or a parent domain of it).
 */
export function userinfoDeception(url: string, popularity?: PopularityTable | null): UserinfoDeception | null {
  const s = stripScheme(blobInner(url) ?? url);
  const authority = s.slice(0, hostEnd(s));
  const at = authority.lastIndexOf('@');
  if (at <= 0) return null;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
  const named = namedHost(hostReading(user), popularity);
  if (named === null) return null;
  const host = hostOf(s);
  const bare = named.startsWith('www.') ? named.slice(4) : named;
  if (host === bare || host.endsWith(`.${bare}`)) return null;
  return { rule: 'userinfo-host', userinfo: colon < 0 ? user : `${user}:…`, named, host };
}

/** What either deception rule found (`rule` tells which): `detail.deception` in explanations. */
export type UrlDeception = UserinfoDeception | HomographDeception;

/**
 * Both rules on one URL as written: the userinfo rule's finding, else the IDN-homograph rule's, both with
 * the model's popularity table, `table` (which the IDN-homograph rule needs); null when neither fires.
 */
export function deceptionOf(url: string, table: PopularityTable | null | undefined): UrlDeception | null {
  return userinfoDeception(url, table) ?? idnHomograph(url, table);
}

/** The host name a deception names or imitates: the userinfo's `named`, the homograph's `looksLike`. */
export function deceptionNamed(d: UrlDeception): string {
  return d.rule === 'idn-homograph' ? d.looksLike : d.named;
}

/**
 * `x`, an explanation of a score made without the rule (of a URL in findings' form, which has no
 * userinfo), naming it: its words after the summary, `d` as `detail.deception`.
 */
export function withDeception(x: Explanation, d: UrlDeception): Explanation {
  return { summary: `${x.summary}; ${deceptionText(d)}`, detail: { ...(x.detail as object), deception: d } };
}

/** The rule's words in an explanation's summary. */
export function deceptionText(d: UrlDeception): string {
  if (d.rule === 'idn-homograph') return homographText(d);
  return `userinfo deception: the URL names ${JSON.stringify(d.named)} before @ but leads to ${d.host} (a rule beside the model; the score is the model's)`;
}
