/**
 * The spellings of an internationalized host name: punycode, as DNS, TLS and URL findings write it
 * (`xn--bcher-kva.de`), and Unicode, as a proxy log, a mail or a pasted address may (`bücher.de`),
 * composed (NFC, one `ü`) or decomposed as some logs carry it (NFD, `u` and a combining U+0308). No
 * Node modules: the web bundle takes it as it is (Node's `domainToUnicode` is not there, so punycode is
 * decoded here; RFC 3492).
 */
import { urlSearchParts } from './url-host.js';

const BASE = 36;
const TMIN = 1;
const TMAX = 26;
const SKEW = 38;
const DAMP = 700;
/** past this a label is no host name (a crafted one would overflow) */
const MAX_INT = 0x7fffffff;

function adapt(delta: number, points: number, first: boolean): number {
  let d = first ? Math.floor(delta / DAMP) : delta >> 1;
  d += Math.floor(d / points);
  let k = 0;
  while (d > ((BASE - TMIN) * TMAX) >> 1) {
    d = Math.floor(d / (BASE - TMIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - TMIN + 1) * d) / (d + SKEW));
}

/** a punycode digit's value: a-z 0-25, 0-9 26-35, any case; -1 for any other character */
function digit(c: number): number {
  if (c >= 48 && c <= 57) return c - 22;
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 97;
  return -1;
}

/** The Unicode of a punycode label without its `xn--` (`bcher-kva` is `bücher`); null when it is not punycode. */
export function decodePunycode(label: string): string | null {
  const out: number[] = [];
  const delimiter = label.lastIndexOf('-');
  for (let j = 0; j < delimiter; j++) {
    const c = label.charCodeAt(j);
    if (c >= 0x80) return null;
    out.push(c);
  }
  let n = 0x80;
  let bias = 72;
  let i = 0;
  for (let at = delimiter > 0 ? delimiter + 1 : 0; at < label.length; ) {
    const before = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (at >= label.length) return null;
      const d = digit(label.charCodeAt(at++));
      if (d < 0) return null;
      i += d * w;
      const t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
      if (d < t) break;
      w *= BASE - t;
      if (i > MAX_INT || w > MAX_INT) return null;
    }
    bias = adapt(i - before, out.length + 1, before === 0);
    n += Math.floor(i / (out.length + 1));
    i %= out.length + 1;
    // no code point, or a control character: nothing a host is spelled with
    if (n > 0x10ffff || n < 0xa0) return null;
    out.splice(i++, 0, n);
  }
  return String.fromCodePoint(...out);
}

/** `host` in punycode (`bücher.de` is `xn--bcher-kva.de`, as a browser sends it); null when it cannot be written so. */
function asciiSpelling(host: string): string | null {
  try {
    const ascii = new URL(`http://${host}/`).hostname;
    return /^[\x21-\x7e]+$/.test(ascii) ? ascii : null;
  } catch {
    return null;
  }
}

/** `host` with its `xn--` labels in Unicode; null when one of them is not punycode. */
function unicodeSpelling(host: string): string | null {
  const labels = host.split('.');
  for (let j = 0; j < labels.length; j++) {
    if (!/^xn--/i.test(labels[j]!)) continue;
    const u = decodePunycode(labels[j]!.slice(4));
    if (u === null) return null;
    labels[j] = u;
  }
  return labels.join('.');
}

/**
 * `authority` (`host` or `host:port`) and its other spellings, itself first: the punycode of a Unicode
 * name, the Unicode of an `xn--` one (NFC, as punycode decodes), and that Unicode decomposed (NFD) where
 * it differs. `bu\u0308cher.de` and `bücher.de` are one host, `xn--bcher-kva.de`: punycode's UTS-46
 * mapping composes the name first, so both score alike, and a line holding the decomposed spelling is
 * evidence too. An ASCII host without `xn--` labels, an address or a name with userinfo has only itself.
 */
export function hostSpellings(authority: string): string[] {
  const port = /:\d*$/.exec(authority)?.[0] ?? '';
  const host = authority.slice(0, authority.length - port.length);
  const idn = /[^\x00-\x7f]/.test(host);
  if (host === '' || /[@[\]\s/\\]/.test(host) || (!idn && !/(^|\.)xn--/i.test(host))) return [authority];
  const ascii = idn ? asciiSpelling(host) : host.toLowerCase();
  const unicode = ascii === null ? null : unicodeSpelling(ascii);
  const decomposed = unicode === null ? null : unicode.normalize('NFD');
  // one spelling a case: the search folds case
  const out = new Map([[authority.toLowerCase(), authority]]);
  for (const h of [ascii, unicode, decomposed]) if (h !== null && !out.has((h + port).toLowerCase())) out.set((h + port).toLowerCase(), h + port);
  return [...out.values()];
}

/**
 * `urlSearchParts` of `full`, each with the spellings a line may write it in: the host in punycode and
 * in Unicode (`hostSpellings`), the path as it is. A finding names `xn--bcher-kva.de/x`; a proxy log
 * may hold `http://bücher.de/x`, and its evidence search found nothing.
 */
export function urlSearchTerms(full: string): string[][] {
  const parts = urlSearchParts(full);
  // the first part is the host unless the URL is a path alone
  return parts.map((p, i) => (i === 0 && !/^[/?#]/.test(p) ? hostSpellings(p) : [p]));
}
