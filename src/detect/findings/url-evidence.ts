/**
 * The evidence search of a URL finding made before its host was searched in either spelling (commit
 * 9c81080): such a row keeps `sub:"xn--bcher-kva.de" sub:"/login.php" -app:nml-detect`, which misses a
 * line that writes the host in Unicode (`http://bücher.de/login.php`). Read back, it gets the search the
 * detector writes now (`urlEvidenceQuery`), so the API, the CLI and the Alerts page find those lines too.
 * Only that old form of an internationalized host is rewritten: an ASCII host's query is the same in
 * both forms, and any other stored query (a host finding's, one from an older form) is left as it is.
 */
import { urlSearchParts } from '../../core/index.js';
import type { Finding } from '../detector.js';
// an import-free module (core only) that the web bundle takes too: no detector code comes with it
import { subQuery, urlEvidenceQuery } from '../url/evidence-query.js';

/** what followed the URL's terms in a stored query: the findings' own log lines left out, or nothing */
const TAIL = /^(?: -app:\S+)?$/;

/** `f`'s evidence query as the URL detector writes it now when it holds the old one-spelling form; else null. */
export function upgradedUrlEvidence(f: Pick<Finding, 'detector' | 'entity' | 'evidence'>): string | null {
  if (f.detector !== 'url' || !f.entity.startsWith('url:')) return null;
  const url = f.entity.slice('url:'.length);
  const old = urlSearchParts(url).map(subQuery).join(' ');
  const now = urlEvidenceQuery(url);
  // the same unless the host is internationalized (an xn-- label or non-ASCII): then `now` has both spellings
  if (old === now) return null;
  const q = f.evidence.query;
  if (!q.startsWith(old) || !TAIL.test(q.slice(old.length))) return null;
  return now + q.slice(old.length);
}
