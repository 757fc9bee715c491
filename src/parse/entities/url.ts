import type { Entity } from '../../core/index.js';
import { addEntity } from './collect.js';
import { HTTP_RECORD_HINT } from './http-records.js';

const URL_RE = /\b(?:https?|ftp):\/\/[^\s"'<>`\\^{}|]+/gi;
const SENTENCE_END = '.,;:!?]}';

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

/**
 * The URL without trailing sentence punctuation; a `)` stays when it closes a `(` of the URL. The
 * parentheses are counted once, at the first trailing `)`, and the count of `)` kept as the end moves
 * back (trimming drops only `)` and punctuation): linear, however many `)` a line ends with.
 */
function trimUrl(url: string): string {
  let end = url.length;
  let open = -1; // counted at the first trailing `)`: most URLs end without one
  let close = 0;
  while (end > 0) {
    const ch = url[end - 1]!;
    if (SENTENCE_END.includes(ch)) {
      end--;
      continue;
    }
    if (ch !== ')') break;
    if (open < 0) {
      open = count(url, '(');
      close = count(url, ')');
    }
    if (open >= close) break;
    end--;
    close--;
  }
  return url.slice(0, end);
}

/**
 * Whether a line can name a URL at all: a scheme, a PAN-OS URL-filtering log (firewall-csv.ts), whose
 * URLs have none, or an HTTP record that keeps host and path apart (http-records.ts). A cheap test for callers that want only URLs (the live URL scorer).
 */
export function mayNameUrl(line: string): boolean {
  return URL_HINT.test(line);
}

/** mayNameUrl's test as one expression (a scheme, a PAN-OS URL log, an HTTP record), for callers that join it with their own. */
export const URL_HINT = new RegExp(`://|,THREAT,url,|${HTTP_RECORD_HINT.source}`);

/** Adds `http(s)://` and `ftp://` URLs as written, without the sentence punctuation after them. */
export function addUrls(text: string, out: Entity[]): void {
  URL_RE.lastIndex = 0;
  for (let m = URL_RE.exec(text); m !== null; m = URL_RE.exec(text)) {
    const url = trimUrl(m[0]);
    if (url.length > url.indexOf('://') + 3) addEntity(out, 'url', url);
  }
}
