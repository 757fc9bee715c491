/**
 * The URLs a log line holds, as the live scorer reads them: `http(s)://` URLs and the URL fields of the
 * logs the parsers know (parse/extractUrls, the url entities of extractEntities), and the server name of a TLS record (Suricata EVE `tls`,
 * Zeek ssl.log) as `<name>/`. `nml search --urls` reads lines with the same rules.
 */
import { domainToASCII } from 'node:url';
import { extractUrls, mayNameUrl, URL_HINT } from '../../parse/index.js';
import { mayBeTlsRecord, TLS_HINT, tlsServerName } from './tls-names.js';
import { hostEnd, stripScheme } from './features.js';

export interface LineUrl {
  url: string;
  /** the server name of a TLS record, as `<name>/` */
  tls: boolean;
}

export class LineUrls {
  /** a line that does not match holds no URL and no TLS server name */
  private readonly hint: RegExp;

  constructor(readonly tlsNames = true) {
    this.hint = tlsNames ? new RegExp(`${URL_HINT.source}|${TLS_HINT.source}`) : URL_HINT;
  }

  /** The URLs of `line`; null (nothing allocated) for the many lines that cannot hold one. */
  find(line: string): LineUrl[] | null {
    // one pass over the line decides whether it may hold anything; the kind is told apart only for the few that may
    if (!this.hint.test(line)) return null;
    const out: LineUrl[] = [];
    if (mayNameUrl(line)) {
      for (const url of extractUrls(line)) out.push({ url, tls: false });
    }
    if (this.tlsNames && mayBeTlsRecord(line)) {
      const name = tlsServerName(line);
      if (name !== null) out.push({ url: `${name}/`, tls: true });
    }
    return out;
  }
}

/**
 * What a `blob:` URL wraps (`blob:https://evil.tk/1234` wraps `https://evil.tk/1234`), null for any
 * other URL. A blob's origin is the page that made it, which HTML smuggling pages use: that web URL is
 * the one scored (the n-gram model scored `blob:https://evil.tk/1234-abcd` 0.907 as written, the URL it
 * wraps 0.959). Whether the inner part is a web URL at all (`blob:null/…`) is web-url.ts's to say.
 */
export function blobInner(url: string): string | null {
  const s = url.trim().replace(/^["'\s]+/, '');
  return /^blob:/i.test(s) ? s.slice('blob:'.length) : null;
}

/** The port each scheme has when none is written: `http://a.tk:80/x` is `http://a.tk/x`. */
const DEFAULT_PORT: Record<string, string> = { http: ':80', https: ':443' };

/**
 * A URL as findings name it: without its scheme, which the model never reads and a firewall's URL log
 * does not write, and with its host in lower case. A proxy's `http://Evil.example/p` and PAN-OS's
 * `evil.example/p` are one URL, scored, cached and reported once (until session 29, two findings).
 * Two spellings of one URL are one too: an empty path is `/` (`http://a.tk` is `a.tk/`, as PAN-OS and
 * TLS names write it) and the scheme's default port is dropped (`http://a.tk:80/x` is `a.tk/x`; without
 * a scheme a port is kept, it says nothing of which). A URL with a query right after its host
 * (`a.tk?q`) keeps it so: its evidence query must still find the line as written.
 */
export function findingUrl(url: string): string {
  url = blobInner(url) ?? url;
  // `http:` and `https:` are special schemes: stripScheme strips them with whatever slashes follow
  const scheme = /^(https?):/i.exec(url.trim().replace(/^["'\s]+/, ''))?.[1]?.toLowerCase();
  const s = stripScheme(url);
  const end = hostEnd(s);
  let authority = s.slice(0, end).toLowerCase();
  // userinfo is no part of where the URL goes, and a password in it must not be stored with the finding
  authority = authority.slice(authority.lastIndexOf('@') + 1);
  const port = scheme === undefined ? undefined : DEFAULT_PORT[scheme];
  if (port !== undefined && authority.endsWith(port)) authority = authority.slice(0, -port.length);
  authority = asciiHost(authority);
  return end === s.length ? `${authority}/` : authority + s.slice(end);
}

/**
 * `host[:port]` as DNS, TLS and HTTP logs write it: without trailing dots (`evil.example.` is
 * `evil.example`), a Unicode name in punycode (`bücher.de` is `xn--bcher-kva.de`; a review scored
 * 0.791 and 0.980 for the two spellings of one phishing host). An IPv6 literal or a name punycode
 * cannot write is kept as it is.
 */
function asciiHost(authority: string): string {
  if (authority.startsWith('[')) return authority;
  const colon = authority.lastIndexOf(':');
  const hasPort = colon >= 0 && /^:\d*$/.test(authority.slice(colon));
  let host = hasPort ? authority.slice(0, colon) : authority;
  const port = hasPort ? authority.slice(colon) : '';
  host = host.replace(/\.+$/, '');
  if (/[^\x00-\x7f]/.test(host)) host = domainToASCII(host) || host;
  return host + port;
}
