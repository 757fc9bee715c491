/**
 * Inputs given to be scored that are not web URLs: a `javascript:`, `data:`, `mailto:` … URL, or a path
 * with no host (`/`, `/login.php`). The models read where a URL leads, its host and path; these lead to
 * no host, and their scores said nothing (n-gram model: `/login.php` 0.999, `data:text/html;base64,…`
 * 0.981, `javascript:alert(1)` 0.759, `about:blank` 0.623; Bag-of-Bytes 0.99 and more for the last
 * three). Live scoring never meets them: it finds `http(s)://` and `ftp://` URLs and the URL fields of
 * known logs, each with its host.
 */
import { blobInner, findingUrl } from './line-urls.js';

/**
 * Schemes whose URLs name no host. `blob:` is not one of them: it wraps the URL of the page that made
 * it (`blob:https://host/uuid`), which is scored, and `file:` names a path, refused below as a path.
 */
const HOSTLESS_SCHEMES = new Set(['javascript', 'vbscript', 'data', 'mailto', 'tel', 'sms', 'about']);

/** an input as a message quotes it: its first 60 characters */
const shorter = (s: string): string => (s.length > 60 ? `${s.slice(0, 60)}…` : s);

const WHAT_IT_READS = 'the model scores web addresses, a host and its path (http://, https://, ftp:// or host/path)';

/** Why `input` is not a web URL (the per-item error URL_NOT_WEB); null when it is, or blank (URL_EMPTY). */
export function notWebUrl(input: string): { code: string; message: string } | null {
  const s = input.trim().replace(/^["'\s]+/, '');
  if (s === '') return null;
  const inner = blobInner(s);
  if (inner !== null) {
    // a blob's origin is a web page's (`https://host[:port]`), or `null` for one made by a file, data: or sandboxed page
    if (!/^(?:https?|ftp):\/\//i.test(inner)) {
      return { code: 'URL_NOT_WEB', message: `url: ${JSON.stringify(shorter(s))} is a blob: URL without a web origin (blob:null/… is made by a file, data: or sandboxed page), and a blob: URL is scored by the web URL after blob: (http://, https:// or ftp://): ${WHAT_IT_READS}; score the URL of the page that made it` };
    }
    return emptyHost(inner, s) ?? notWebUrl(inner);
  }
  const empty = emptyHost(s, s);
  if (empty !== null) return empty;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(s)?.[1]?.toLowerCase();
  if (scheme !== undefined && HOSTLESS_SCHEMES.has(scheme)) {
    return { code: 'URL_NOT_WEB', message: `url: a ${scheme}: URL leads to no host, so there is nothing to score: ${WHAT_IT_READS}; score the URL of the page that holds it` };
  }
  if (/^[/?#\\]/.test(findingUrl(s))) {
    return { code: 'URL_NOT_WEB', message: `url: ${JSON.stringify(shorter(s))} has no host, so there is nothing to score: ${WHAT_IT_READS}; give the URL with its host (example.com/login.php)` };
  }
  return null;
}

/**
 * URL_NOT_WEB for a web URL whose host is empty (`http:///x`, `https://@/x`, `http://:80/`; `input` as
 * given names it, a `blob:` URL whole): stripping its scheme and slashes read `http:///x` as the host `x`,
 * and it was scored as `x/`. Null for any other URL.
 */
function emptyHost(s: string, input: string): { code: string; message: string } | null {
  const m = /^(?:https?|ftp):[/\\]{2}([^/?#\\]*)/i.exec(s);
  if (m === null) return null;
  const authority = m[1]!.slice(m[1]!.lastIndexOf('@') + 1).replace(/:\d*$/, '');
  if (authority !== '') return null;
  return { code: 'URL_NOT_WEB', message: `url: ${JSON.stringify(shorter(input))} has an empty host (nothing between :// and the path), so there is nothing to score: ${WHAT_IT_READS}; give the URL with its host (https://example.com/x)` };
}
