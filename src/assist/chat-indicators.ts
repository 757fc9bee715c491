/**
 * The indicators a question or an incident names, as chat looks for them in the logs: addresses (as the relation index
 * keys them), host names and URLs, defanged ones (`hxxp://evil[.]example/x`) re-fanged. Each carries the log search
 * that finds its lines (the query language's `ip:`, `domain:` and a URL finding's own evidence search) and the entity
 * its pivot asks about. Shared by the hosts intent (`chat.ts`: the first address or name of a question) and the
 * sightings intent (`chat-sightings.ts`: every one).
 */
import { domainName } from '../core/index.js';
import { urlEvidenceQuery } from '../detect/index.js';
import { isInternalIp, parseEntity, searchTerm } from '../investigate/index.js';
import { addressValues } from './addresses.js';
import { refang } from './defang.js';
import type { Incident } from './incident.js';
import { URL_IN } from './text-rules.js';

/**
 * An address as the relation index keys it (its canonical text: `2001:DB8:0::5` is `2001:db8::5`, `::ffff:10.0.0.5` is
 * `10.0.0.5`), or null when `text` is none. Chat read IPv4 alone until 2026-12: "which hosts did 2001:db8::5 reach?"
 * was answered for the incident's address instead.
 */
export function addressKey(text: string): string | null {
  try {
    return parseEntity(`ip:${text}`).value;
  } catch {
    return null; // not an address (a name, a network)
  }
}

/** A word of running text that may be a host name: two or more labels; `domainName` (known TLDs, not file names) decides. */
const DOMAIN = /(?<![\w.@-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9])(?![\w-]|\.[a-z0-9])/giu;

/** The host names of `text` in order, lower case: `login-verify-portal.info`, not `setup.exe` or `e.g.`. */
export function hostNamesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(DOMAIN)) {
    const name = domainName(m[1]!);
    if (name !== null) out.push(name);
  }
  return out;
}

export type IndicatorKind = 'address' | 'domain' | 'url';

export interface Indicator {
  kind: IndicatorKind;
  /** as the answer writes it: an address's canonical text, a lower-case name, a URL re-fanged */
  value: string;
  /** the log search that finds its lines */
  query: string;
  /** what the relation index is asked about (the address, the name); null for a URL, which it does not keep */
  pivot: string | null;
}

/** The indicator of an address, name or URL as written; null when it is none of them. */
function indicator(kind: IndicatorKind, written: string): Indicator | null {
  if (kind === 'address') {
    const key = addressKey(written);
    return key === null ? null : { kind, value: key, query: searchTerm(`ip:${key}`), pivot: key };
  }
  if (kind === 'domain') {
    const name = domainName(written);
    return name === null ? null : { kind, value: name, query: searchTerm(`domain:${name}`), pivot: name };
  }
  const url = written.replace(/[.,;:!?]+$/u, '');
  try {
    parseEntity(`url:${url}`);
  } catch {
    return null; // a URL without a host names nothing to look for
  }
  const query = urlEvidenceQuery(url);
  // the relation index keeps no URL: a pivot of its host would answer for the whole site, which the domain's own
  // indicator does; the URL's hosts are those of its lines
  return query === '' ? null : { kind, value: url, query, pivot: null };
}

/** What an incident or question names: the indicators to look for, and the network's own addresses apart. */
export interface Named {
  indicators: Indicator[];
  /** internal addresses (the incident's own machines): hosts of the network, not indicators of the attack */
  own: string[];
}

/**
 * The indicators of some texts, in order: URLs, then addresses, then host names of each text (re-fanged), after the
 * `first` values (a record's fields). Internal addresses go to `own`; `skip` (the incident's assets, its own host names)
 * are left out.
 */
function named(first: { kind: IndicatorKind; value: string | undefined }[], texts: readonly string[], skip: ReadonlySet<string>): Named {
  const indicators: Indicator[] = [];
  const own: string[] = [];
  const seen = new Set<string>();
  const add = (kind: IndicatorKind, written: string | undefined) => {
    if (written === undefined) return;
    const x = indicator(kind, written);
    if (x === null) return;
    const key = `${x.kind} ${x.value}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (x.kind === 'address' && isInternalIp(x.value)) own.push(x.value);
    else if (!skip.has(x.value)) indicators.push(x);
  };
  for (const f of first) add(f.kind, f.value);
  for (const written of texts) {
    const text = refang(written)?.text ?? written;
    for (const m of text.matchAll(URL_IN)) add('url', m[0]);
    for (const a of addressValues(text)) add('address', a);
    for (const n of hostNamesIn(text)) add('domain', n);
  }
  return { indicators, own };
}

/** The indicators a question names itself (`have we seen 203.0.113.5 before?`). */
export function questionIndicators(question: string): Named {
  return named([], [question], new Set());
}

/**
 * The indicators an incident names: its record's URL, domain, destination and source first (the normalizer's picks,
 * defanged ones among them), then every other URL, address and host name of its parts; an incident without a record
 * (one of a corpus) by its text. The record's assets (the victim's machines, its own host names) are none.
 */
export function incidentIndicators(x: Incident): Named {
  const rec = x.record;
  if (rec === undefined) return named([], [x.text], new Set());
  const f = rec.fields;
  const skip = new Set(rec.assets.map((a) => a.value.toLowerCase()));
  const texts = Object.entries(rec.parts)
    // an attachment's file name and a message's date name no indicator
    .filter(([part]) => !part.endsWith('.name') && !part.endsWith('.date'))
    .map(([, text]) => text);
  return named(
    [
      { kind: 'url', value: f.url?.value },
      { kind: 'domain', value: f.domain?.value },
      { kind: 'address', value: f.dstIp?.value },
      { kind: 'address', value: f.srcIp?.value },
    ],
    texts,
    skip,
  );
}
