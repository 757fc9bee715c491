/**
 * What a shared dataset anonymizes and what it keeps in clear: the dataset README's words
 * (src/share/readme.ts, docs/architecture.md "Share"), cut short. Change them together.
 */
export function ShareFacts() {
  return (
    <div className="share-facts">
      <div>
        <h3>Anonymized</h3>
        <ul>
          <li>
            <strong>IP addresses</strong>, IPv4 and IPv6, in URLs and in host names written with dashes (not a UUID): Crypto-PAn, prefix-preserving (subnets stay subnets; the
            same key maps them alike in every export).
          </li>
          <li>
            <strong>User names</strong> (a home folder in a path and <code>/~name/</code> too), <strong>e-mail local parts</strong>, <strong>MAC addresses</strong> and the{' '}
            <strong>site's own host names</strong> (no dot, private domains such as .local or .corp, the domains below): keyed pseudonyms such as{' '}
            <code>user-3fa9c1d2e4</code>, <code>host-…</code>; the host in a syslog header always.
          </li>
          <li>In URLs, user info and query values; a file source's folder.</li>
          <li>A line in which a check after anonymizing still finds an original is withheld, not sent.</li>
        </ul>
      </div>
      <div>
        <h3>Stays in clear</h3>
        <ul>
          <li>
            <strong>Public domain names</strong>, and URLs' scheme, host, port and path: what makes a malicious-URL dataset useful.
          </li>
          <li>Times, and the findings' detector, score, status and label (not triage notes, nor the operators' names).</li>
          <li>
            Other free text (a message's words, command lines, a file's base name): it can still name a person or a place no extractor recognises.
          </li>
        </ul>
      </div>
    </div>
  );
}
