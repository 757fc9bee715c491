/**
 * The search that finds a URL's log lines: the URL findings' evidence (live.ts) and the Search page's
 * URL chips (web/src/lib/query-terms.ts) both use it. No imports: the web bundle takes it as it is.
 */

/** The query language's quoted form: `\` and `"` escaped. */
export function subQuery(url: string): string {
  return `sub:"${url.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The search that finds a URL's lines: the URL as written when it has a scheme; for a scheme-less one
 * (PAN-OS, EVE and Zeek HTTP records) its host and its path apart, since records keep them in two fields;
 * for a bare host (`host/`: a PAN-OS HTTPS request, a TLS server name) the host alone.
 */
export function urlEvidenceQuery(url: string): string {
  return urlEvidenceParts(url).map(subQuery).join(' ');
}

/** The substrings `urlEvidenceQuery` asks a line to hold, all of them (the search's `url:` reads a URL alike). */
export function urlEvidenceParts(url: string): string[] {
  if (url.includes('://')) return [url];
  const cut = url.search(/[/?#]/);
  if (cut > 0 && url.length === cut + 1 && url[cut] === '/') return [url.slice(0, cut)];
  return cut <= 0 ? [url] : [url.slice(0, cut), url.slice(cut)];
}
