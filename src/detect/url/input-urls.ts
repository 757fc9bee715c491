/**
 * What an input given to be scored (`nml score url`, `POST /api/detect/url`) is scored as: a URL, or a
 * log line pasted whole, whose URLs are found as the live scorer finds them. Operators paste squid
 * access.log lines; scored whole, 490 of 500 benign ones were flagged (threshold 0.964).
 */
import { deceptionOf, type UrlDeception } from './deception.js';
import { findingUrl, LineUrls } from './line-urls.js';
import type { PopularityTable } from './popularity.js';

/** by `url.tlsNames`: with TLS server names and CONNECT hosts, and without */
const LINE_URLS = { true: new LineUrls(true), false: new LineUrls(false) } as const;

/**
 * Whether `input` is read as a log line: it holds whitespace once trimmed, or it is a JSON object
 * (Suricata EVE and Zeek's JSON writer write records without a space). A URL holds neither (a space in
 * one is written %20, and the live scorer's URLs end at the first: parse's URL_RE), so such an input is
 * never one URL; any other input is scored as it is, exactly as before.
 */
export function isLogLine(input: string): boolean {
  const s = input.trim();
  return /\s/.test(s) || s.startsWith('{');
}

/**
 * The URLs of a log line, as the live scorer reads its lines (line-urls.ts `LineUrls`: `http(s)://` URLs,
 * the URL fields of the logs the parsers know, TLS server names and Squid's `CONNECT host:port` as
 * `<name>/`, unless `tlsNames` is false: `url.tlsNames`, as live scoring reads it), each once, in
 * findings' form (`findingUrl`), in the order the line names them. Empty when the line names none.
 */
export function lineUrls(line: string, tlsNames = true): string[] {
  const found = LINE_URLS[`${tlsNames}`].find(line);
  if (found === null) return [];
  const urls = new Set<string>();
  for (const u of found) urls.add(findingUrl(u.url));
  return [...urls];
}

/** What `input` is scored as: null when it is a URL, scored as it is; else the URLs of the log line it is (`lineUrls`). */
export function inputUrls(input: string, tlsNames = true): string[] | null {
  return isLogLine(input) ? lineUrls(input, tlsNames) : null;
}

/**
 * The deception rules (deception.ts: userinfo, and IDN homographs with the model's popularity table
 * `table`) on the URLs of a log line as written, by their findings' form (which drops userinfo, so
 * `lineUrls` cannot tell): the first that fires for each. Empty when none does.
 */
export function lineDeceptions(line: string, tlsNames = true, table: PopularityTable | null = null): Map<string, UrlDeception> {
  const out = new Map<string, UrlDeception>();
  for (const u of LINE_URLS[`${tlsNames}`].find(line) ?? []) {
    const key = findingUrl(u.url);
    if (out.has(key)) continue;
    const d = deceptionOf(u.url, table);
    if (d !== null) out.set(key, d);
  }
  return out;
}
