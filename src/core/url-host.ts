/**
 * The host of a URL as written in logs and findings: scheme, userinfo, port, path, query dropped;
 * `[v6]` unbracketed. No imports: the web bundle takes it as it is (Investigate marks a URL finding's host).
 */
export function urlHost(raw: string): string | null {
  const rest = raw.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const authority = rest.split(/[/?#\\]/, 1)[0]!;
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  const v6 = /^\[([^\]]+)\]/.exec(host);
  const bare = v6 !== null ? v6[1]! : host.replace(/:\d*$/, '');
  return bare === '' ? null : bare;
}

/**
 * The substrings a line holds when it records the URL, whichever log wrote it: its host and its path
 * apart (EVE and Zeek HTTP records keep them in two fields; a proxy's `http://host/path` and PAN-OS's
 * `host/path` hold both), the scheme left out (PAN-OS writes none); a bare host (`host/`: a TLS server
 * name, an HTTPS request) by its host alone. The URL findings' evidence and the search's `url:` both read
 * a URL so.
 */
export function urlSearchParts(full: string): string[] {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(full);
  const url = scheme === null || scheme[0].length === full.length ? full : full.slice(scheme[0].length);
  const cut = url.search(/[/?#]/);
  if (cut > 0 && url.length === cut + 1 && url[cut] === '/') return [url.slice(0, cut)];
  return cut <= 0 ? [url] : [url.slice(0, cut), url.slice(cut)];
}
