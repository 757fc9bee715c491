/**
 * The search that finds a URL's log lines: the URL findings' evidence (live.ts) and the Search page's
 * URL chips (web/src/lib/query-terms.ts) both use it. It imports only core (no Node modules): the web bundle takes it as it is.
 */
import { urlSearchTerms } from '../../core/index.js';

/** The query language's quoted form: `\` and `"` escaped. */
export function subQuery(url: string): string {
  return `sub:"${url.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The search that finds a URL's lines, whichever log wrote them: its host and its path apart, since EVE
 * and Zeek HTTP records keep them in two fields (a proxy's `http://host/path` and PAN-OS's `host/path`
 * hold both too); for a bare host (`host/`: a PAN-OS HTTPS request, a TLS server name) the host alone.
 * The scheme is left out: PAN-OS writes none, and a URL with one found no PAN-OS line (a UX review
 * searched the demo's C2 URL with its `http://` and got 0 lines; 14 without). An internationalized host
 * is either of its spellings (`(sub:"xn--bcher-kva.de" OR sub:"bücher.de")`): findings name it in
 * punycode, and a proxy log may hold it in Unicode (its evidence search found no line of those).
 */
export function urlEvidenceQuery(url: string): string {
  return urlSearchTerms(url)
    .map((spellings) => (spellings.length === 1 ? subQuery(spellings[0]!) : `(${spellings.map(subQuery).join(' OR ')})`))
    .join(' ');
}
