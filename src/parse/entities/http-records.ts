/**
 * URLs of HTTP records that keep host and path apart: Suricata EVE (`"http":{"hostname":…,"url":…}`),
 * Zeek http.log from the JSON writer (`"host":…,"uri":…`) and in TSV (the default column order: method,
 * host and uri in columns 7–9). They become one url entity, `host/path` without a scheme, as PAN-OS writes
 * its URLs. An absolute URL in the path (a proxy request) is left to the scheme scan (url.ts).
 */
import type { Entity } from '../../core/index.js';
import { addEntity } from './collect.js';

const METHODS = ['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE', 'PROPFIND'];
const METHOD_SET = new Set(METHODS);
/** What every such record holds: an EVE or Zeek JSON key, or a method as a TSV column (Zeek http.log); one pass, no split */
export const HTTP_RECORD_HINT = new RegExp(`"(?:uri|hostname)"|\\t(?:${METHODS.join('|')})\\t`);
const EVE_HOST = /"hostname"\s*:\s*"((?:[^"\\]|\\.)*)"/;
const EVE_URL = /"url"\s*:\s*"((?:[^"\\]|\\.)*)"/;
const ZEEK_HOST = /"host"\s*:\s*"((?:[^"\\]|\\.)*)"/;
const ZEEK_URI = /"uri"\s*:\s*"((?:[^"\\]|\\.)*)"/;
/** What no URL entity holds: white space, quotes, backslashes */
const UNFIT = /[\s"\\]/;

/**
 * The JSON string value of the first `"key":"…"` that `re` finds, as the line has it; null when absent or
 * escaped (`\"`, `\/`, `\u00e9`): the URL's evidence search looks for its text in the raw line.
 */
function jsonString(text: string, re: RegExp): string | null {
  const m = re.exec(text);
  return m === null || m[1]!.includes('\\') ? null : m[1]!;
}

/** Zeek TSV http.log columns (host, uri), or null when the line is not one. */
function zeekTsvHttp(text: string): [string, string] | null {
  const c = text.split('\t', 11);
  if (c.length < 10 || !METHOD_SET.has(c[7]!) || !/^\d+$/.test(c[3]!)) return null;
  return [c[8]!, c[9]!];
}

/** host + path as one scheme-less URL; null when either is unset (`-`) or holds a character no URL entity has (UNFIT). */
function joined(host: string | null, path: string | null): string | null {
  if (host === null || path === null || host === '' || host === '-' || UNFIT.test(host)) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return null;
  const p = path === '' || path === '-' ? '/' : path.startsWith('/') ? path : '/' + path;
  return UNFIT.test(p) ? null : host + p;
}

/** Whether a line may be such a record (cheap, no split: the live URL scorer asks it of every line, then extracts). */
export function mayBeHttpRecord(line: string): boolean {
  return HTTP_RECORD_HINT.test(line);
}

export function addHttpRecordUrls(text: string, out: Entity[]): void {
  let url: string | null = null;
  if (text.includes('"hostname"') && text.includes('"url"')) url = joined(jsonString(text, EVE_HOST), jsonString(text, EVE_URL));
  else if (text.includes('"uri"') && text.includes('"host"')) url = joined(jsonString(text, ZEEK_HOST), jsonString(text, ZEEK_URI));
  else if (text.includes('\t')) {
    const c = zeekTsvHttp(text);
    if (c !== null) url = joined(c[0], c[1]);
  }
  if (url !== null) addEntity(out, 'url', url);
}
