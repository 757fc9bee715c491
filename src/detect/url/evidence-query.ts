/**
 * The search that finds a URL's log lines: the URL findings' evidence (live.ts) and the Search page's
 * URL chips (web/src/lib/query-terms.ts) both use it. No imports: the web bundle takes it as it is.
 */

/** The query language's quoted form: `\` and `"` escaped. */
export function subQuery(url: string): string {
  return `sub:"${url.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The search that finds a URL's lines, whichever log wrote them: its host and its path apart, since EVE
 * and Zeek HTTP records keep them in two fields (a proxy's `http://host/path` and PAN-OS's `host/path`
 * hold both too); for a bare host (`host/`: a PAN-OS HTTPS request, a TLS server name) the host alone.
 * The scheme is left out: PAN-OS writes none, and a URL with one found no PAN-OS line (a UX review
 * searched the demo's C2 URL with its `http://` and got 0 lines; 14 without).
 */
export function urlEvidenceQuery(url: string): string {
  return urlEvidenceParts(url).map(subQuery).join(' ');
}

/** The substrings `urlEvidenceQuery` asks a line to hold, all of them (the search's `url:` reads a URL alike). */
export function urlEvidenceParts(full: string): string[] {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(full);
  const url = scheme === null || scheme[0].length === full.length ? full : full.slice(scheme[0].length);
  const cut = url.search(/[/?#]/);
  if (cut > 0 && url.length === cut + 1 && url[cut] === '/') return [url.slice(0, cut)];
  return cut <= 0 ? [url] : [url.slice(0, cut), url.slice(cut)];
}
