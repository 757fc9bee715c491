/** The README.md of a shared dataset: for its recipient, who has no NML and no key. */
import type { ShareManifest } from './manifest.js';

export function shareReadme(m: ShareManifest): string {
  const l = m.labels.lines;
  const f = m.labels.findings;
  return `# NML shared dataset

Exported by NML ${m.nmlVersion} on ${m.exportedAt}: the log lines of ${m.range.from ?? 'the beginning'} to ${m.range.to ?? m.exportedAt}
${m.query === '' ? '' : `that match the query \`${m.query}\` `}(${m.files['lines.ndjson'].records} lines), and the ${m.files['findings.ndjson'].records} findings
of NML's detectors last seen in that time, labelled with what the site's team decided about them.
MANIFEST.json holds the counts, what was withheld or left out, and the anonymization's scheme and key fingerprint.

## Files

- \`lines.ndjson\`, one JSON object a line, newest first:
  - \`time\`: the event's time (ISO 8601, UTC); \`source\`: how the line reached NML, anonymized: \`udp:\`/\`tcp:\`/\`tls:ADDR:PORT\`
    and \`http:ADDR\` (the sender; its address as in the lines, the port kept), \`file:dir-…/NAME\` (the file's folder a
    pseudonym, its base name kept), \`stdin\`, \`demo\`, or \`source-…\` (a pseudonym of any other source);
  - \`host\`: the host its syslog header names (or its sender), anonymized, or null;
  - \`line\`: the log line as received, anonymized (below);
  - \`labels\`: \`[{"finding": id, "label": …}]\`, the findings of findings.ndjson whose entity (address, domain,
    URL, user) the line names; empty for a line no finding names (${l.unlabelled} lines).
- \`findings.ndjson\`: \`id\`, \`detector\` (\`url\`: a URL model's verdict; \`syn\`, \`syn-flood\`, \`syn-wave\`: TCP SYN
  scans and floods), \`entity\` (anonymized as the lines are), \`score\` (0–1) and the \`threshold\` it passed,
  \`modelVersion\`, \`firstSeen\`/\`lastSeen\` (ISO 8601), \`count\` (sightings above the threshold), \`status\` (the team's
  triage) and \`label\`:
  - \`malicious\` (${f.malicious}): resolved — the team confirmed it and dealt with it;
  - \`benign\` (${f.benign}): marked a false positive;
  - \`unreviewed\` (${f.unreviewed}): open or only acknowledged — nobody has decided yet. Do not read it as either.
  Triage notes and the names of the site's operators are not exported.

Lines labelled malicious: ${l.malicious}, benign: ${l.benign}, unreviewed: ${l.unreviewed} (a line naming several findings counts under each label).

## What was anonymized, and how

- **IP addresses** (IPv4 and IPv6, wherever they stand, URLs included; an IPv4 address written with dashes in a host
  name, \`ip-10-0-0-1\`, \`ec2-54-1-2-3.compute-1.amazonaws.com\`, and an IPv6 one, \`2001-db8-85a3--8a2e-370-7334.ipv6.example.net\`,
  written back with dashes; a dashed IPv6 address is read as one only with eight groups of 1-4 hex digits, or fewer
  with one \`--\` for \`::\`, beginning with a global, unique-local or link-local prefix (2000::/3, fc00::/7, fe80::/10),
  so a UUID or a hyphenated word is kept as written, and a global one only inside a host name): Crypto-PAn, prefix-preserving. Two
  addresses that share their first k bits still do, so subnets stay subnets; the addresses themselves are not the
  real ones. Exports made with the same key (same \`keyFingerprint\`) map every address alike and can be joined.
- **User names** (a home folder in a file path, \`/home/NAME/\`, \`/Users/NAME/\`, \`C:\\Users\\NAME\\\`, is one too, and so is
  a name after a tilde, \`/~NAME/\` in a URL or \`~NAME/\` in a command, with the pseudonym \`/home/NAME\` gets), **e-mail local
  parts, MAC addresses, and the site's own host names** (names without a dot, names under
  private top-level domains such as .local, .lan, .internal, .corp, and any of: ${m.anonymization.internalDomains.length === 0 ? 'none named' : m.anonymization.internalDomains.join(', ')}):
  keyed pseudonyms such as \`user-3fa9c1d2e4\`, \`host-…\`, \`mac-…\`; one name gives one pseudonym throughout.
  The host in a line's syslog header is always a pseudonym.
- **URLs**: scheme, public host names, port and path are kept; user info, query values (\`q-…\`, keys kept) and
  fragments are pseudonyms; a URL whose host is an address or an internal name has that host anonymized as above.
- **Public domain names** are kept as written: they are what makes a malicious-URL dataset useful.
- Lines where a check after anonymizing still found an original address, user, e-mail, MAC or internal host were
  withheld (${m.withheld.lines}); NML's own finding lines were left out (${m.findingLinesLeftOut}).

Free text other than these (a message's words, the rest of a file path, a command line, the base name of a source
file) is kept as logged: it can still name a person or a place that no extractor recognises.
`;
}
