/**
 * One log line made shareable. Three steps:
 * 1. the parser's entities (`extractEntities` over the whole line, and the header's host) give the
 *    values that need the line's context to be found — users, the site's host names, URLs — and each is
 *    replaced wherever it stands (case-blind, whole words, longest first: the extractor gives values, not
 *    places);
 * 2. the pattern sweep (`sweep.ts`) replaces every IP, MAC and e-mail address between those places;
 * 3. the result is read again by the same extractor, and a line that still names an original address,
 *    user, e-mail, MAC or internal host is withheld (counted in the manifest), never written.
 * Step 3 is what guarantees no leak of what the extractor can see, whatever steps 1 and 2 missed.
 */
import { parseIp, type Entity } from '../core/index.js';
import { extractEntities, parseLine, withoutColourCodes } from '../parse/index.js';
import { CryptoPan } from './cryptopan.js';
import { Pseudonyms, PSEUDONYM_RE } from './key.js';
import { HostNames } from './names.js';
import { Sweep, type SweepRecord } from './sweep.js';
import { pathUserLeft } from './path-users.js';
import { sharedSource } from './source.js';
import { dashedAddresses } from './dashed.js';

/** a line naming more context-bound values than this is withheld (each is searched for in the line) */
const MAX_NEEDLES = 256;

/** a line made shareable, with the entities of the original (to label it), or why it is withheld */
export type AnonymizedLine = { line: string; host: string | null; entities: Entity[] } | { withheld: string };

interface Needle {
  text: string;
  replacement: string;
  /** only where no letter, digit or `_` touches it */
  word: boolean;
}

/** a web server's access line (Common/Combined Log Format): `ADDR IDENT USER [06/Jan/2025:08:00:00 +0000]` */
const CLF_USER = /(?:^|\s)\S+ (\S+) (\S+) \[\d{2}\/[A-Za-z]{3}\/\d{4}:/;
/**
 * `user NAME` in prose the extractor leaves alone as too loose for an index (`Disconnected from user carol`,
 * `Started Session 7 of User carol.`): for an export, a false name costs a pseudonym, a missed one a person
 */
const USER_WORD = /\buser\s+["'`]?([\p{L}\p{N}][\p{L}\p{N}._@$\\-]*)/giu;
const NOT_USERS = new Set(['unknown', 'not', 'is', 'was', 'has', 'the', 'a', 'an', 'to', 'from', 'with', 'and', 'or', 'for', 'by', 'of', 'in', 'on', 'authentication', 'name', 'id', 'agent', 'session', 'account', 'login', 'request', 'input', 'invalid', 'illegal', 'does', 'did', 'who', 'that', 'credentials', 'none', 'null']);
const DHCP_NAME = /(?:[0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2} \(([^()\s]+)\)/g;
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const URL_PARTS = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/is;

export class LineAnonymizer {
  readonly hosts: HostNames;
  private readonly pan: CryptoPan;
  private readonly names: Pseudonyms;
  private readonly sweep: Sweep;
  /** a source is the same for many lines in a row: each is anonymized once */
  private readonly sources = new Map<string, string>();

  constructor(key: Uint8Array, internalDomains: readonly string[] = []) {
    this.pan = new CryptoPan(key);
    this.names = new Pseudonyms(key);
    this.hosts = new HostNames(internalDomains);
    this.sweep = new Sweep(this.pan, this.names, (n, rec) => this.hostName(n, rec));
  }

  /** a host name as an export writes it: clear when public (a dashed address in it anonymized, `ec2-54-…`), `host-…` when the site's own */
  hostName(name: string, rec: SweepRecord = { ips: new Map() }): string {
    return this.hosts.isInternal(name) ? this.names.of('host', name.toLowerCase().replace(/\.+$/, '')) : this.sweep.dashedIn(name, rec);
  }

  /** an address, a host name or anything else (swept) as an export writes it */
  hostOrAddress(text: string, rec: SweepRecord = { ips: new Map() }): string {
    return this.sweep.ip(text, rec) ?? (/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(text) ? this.hostName(text, rec) : this.sweep.text(text, rec));
  }

  /** `text` through the pattern sweep alone */
  text(text: string): string {
    return this.sweep.text(text, { ips: new Map() });
  }

  /** a line's source (`udp:10.0.0.1:514`, `file:/home/alice/auth.log`…) as an export writes it: source.ts */
  source(source: string): string {
    let out = this.sources.get(source);
    if (out === undefined) {
      out = sharedSource(source, { address: (t) => this.sweep.ip(t, { ips: new Map() }), text: (t) => this.text(t), pseudonym: (k, v) => this.names.of(k, v) });
      if (this.sources.size >= 10_000) this.sources.clear();
      this.sources.set(source, out);
    }
    return out;
  }

  /**
   * A URL as an export writes it: its scheme and path kept (addresses in the path swept); user info a
   * pseudonym; its host clear when public, Crypto-PAn when an address, `host-…` when the site's own;
   * query values pseudonyms (`q-…`) under their keys; a fragment a pseudonym.
   */
  url(url: string, rec: SweepRecord = { ips: new Map() }): string {
    const m = URL_PARTS.exec(url);
    if (m === null) return this.sweep.text(url, rec);
    const [, scheme, authority, path, query, fragment] = m as unknown as [string, string, string, string, string | undefined, string | undefined];
    let auth = authority;
    let user = '';
    const at = auth.lastIndexOf('@');
    if (at >= 0) {
      user = `${this.names.of('user', auth.slice(0, at).toLowerCase())}@`;
      auth = auth.slice(at + 1);
    }
    const hp = /^(\[[^\]]*\]|[^:]*)(:.*)?$/.exec(auth)!;
    const hostText = hp[1]!.startsWith('[') ? hp[1]!.slice(1, -1) : hp[1]!;
    const anonIp = this.sweep.ip(hostText, rec);
    const host = anonIp !== null ? (hp[1]!.startsWith('[') ? `[${anonIp}]` : anonIp) : hostText === '' ? '' : this.hostName(hostText, rec);
    return `${scheme}${user}${host}${hp[2] ?? ''}${this.tail(path, query, fragment, rec)}`;
  }

  /** a URL's path (swept), query (values pseudonyms) and fragment (a pseudonym) */
  private tail(path: string, query: string | undefined, fragment: string | undefined, rec: SweepRecord): string {
    let out = this.sweep.text(path, rec);
    if (query !== undefined) out += `?${this.query(query.slice(1), rec)}`;
    if (fragment !== undefined) out += fragment.length > 1 ? `#${this.names.of('q', fragment.slice(1))}` : fragment;
    return out;
  }

  private query(q: string, rec: SweepRecord): string {
    return q
      .split('&')
      .map((part) => {
        if (part === '') return part;
        const eq = part.indexOf('=');
        if (eq < 0) return this.names.of('q', part);
        const value = part.slice(eq + 1);
        return `${this.sweep.text(part.slice(0, eq), rec)}=${value === '' ? '' : this.names.of('q', value)}`;
      })
      .join('&');
  }

  /** A finding's entity (`ip:…`, `url:host/path`, `domain:…`, `user:…`) as an export writes it. */
  entity(entity: string): string {
    const colon = entity.indexOf(':');
    if (colon < 0) return this.text(entity);
    const kind = entity.slice(0, colon);
    const value = entity.slice(colon + 1);
    switch (kind) {
      case 'ip':
      case 'domain':
        return `${kind}:${this.hostOrAddress(value)}`;
      case 'url':
        return `url:${this.url(`http://${value}`).slice('http://'.length)}`;
      case 'user':
        return `user:${this.names.of('user', value.toLowerCase())}`;
      case 'mac':
        return `mac:${this.names.of('mac', value.toLowerCase())}`;
      default:
        return `${kind}:${this.text(value)}`;
    }
  }

  /**
   * `raw` anonymized, with the host its header names (or `sourceHost`, which the store kept for a line
   * whose header names none) as written in it; or why it is withheld.
   */
  line(line: string, sourceHost?: string): AnonymizedLine {
    // terminal colour codes go: the line is written as a terminal shows it, as the extractor reads it
    const raw = line.includes('\x1b') ? withoutColourCodes(line) : line;
    const ev = parseLine({ line: raw, receivedAt: 0, source: '', ...(sourceHost === undefined ? {} : { host: sourceHost }) });
    const entities = extractEntities(raw);
    for (const e of ev.entities) entities.push(e);
    const rec: SweepRecord = { ips: new Map() };
    const needles = this.needles(raw, entities, ev.host, rec);
    if (needles.length > MAX_NEEDLES) return { withheld: `it names more than ${MAX_NEEDLES} users, host names and URLs` };
    const out = this.replace(raw, needles, rec);
    const host = ev.host === null ? null : this.hostOrAddress(ev.host, rec);
    const leak = this.leak(out, entities, ev.host, rec);
    return leak === null ? { line: out, host, entities } : { withheld: leak };
  }

  private needles(raw: string, entities: readonly Entity[], host: string | null, rec: SweepRecord): Needle[] {
    const byText = new Map<string, Needle>();
    const add = (text: string, replacement: string, word: boolean): void => {
      if (text.length < 2 && word) return;
      const key = text.toLowerCase();
      if (!byText.has(key)) byText.set(key, { text, replacement, word });
    };
    for (const e of entities) {
      if (e.kind === 'url') {
        // an HTTP record's URL is joined from its host and path fields (`files.lan/get?id=1`, no scheme)
        const schemed = e.value.includes('://') ? e.value : `http://${e.value}`;
        const anon = this.url(schemed, rec);
        add(e.value, schemed === e.value ? anon : anon.slice('http://'.length), false);
        // and its path and query stand apart in the line
        const m = URL_PARTS.exec(schemed);
        if (m !== null && m[4] !== undefined) add(`${m[3]}${m[4]}`, this.tail(m[3]!, m[4], undefined, rec), false);
      } else if (e.kind === 'email') {
        const at = e.value.lastIndexOf('@');
        add(e.value, `${this.names.of('user', e.value.slice(0, at))}@${this.hostOrAddress(e.value.slice(at + 1), rec)}`, true);
      } else if (e.kind === 'user') add(e.value, this.names.of('user', e.value.toLowerCase()), true);
      else if (e.kind === 'domain' && this.hosts.isInternal(e.value)) add(e.value, this.hostName(e.value), true);
    }
    // an access line's user and ident (`10.0.2.16 - carol [06/Jan/…`), which the extractor does not read
    // a DHCP client's name after its MAC (`to 00:11:22:33:44:91 (ws-alice) via eth2`)
    for (const m of raw.matchAll(DHCP_NAME)) add(m[1]!, this.names.of('host', m[1]!.toLowerCase()), true);
    const clf = CLF_USER.exec(raw);
    for (const u of clf === null ? [] : [clf[1]!, clf[2]!]) if (u !== '-') add(u, this.names.of('user', u.toLowerCase()), true);
    USER_WORD.lastIndex = 0;
    for (let m = USER_WORD.exec(raw); m !== null; m = USER_WORD.exec(raw)) {
      const u = m[1]!.replace(/[.:]+$/, '');
      if (!NOT_USERS.has(u.toLowerCase()) && !/^\d+$/.test(u)) add(u, this.names.of('user', u.toLowerCase()), true);
    }
    // the header's host is one of the site's machines, whatever its name
    if (host !== null && host !== '' && host !== '-' && this.sweep.ip(host, rec) === null) add(host, this.names.of('host', host.toLowerCase()), true);
    return [...byText.values()].sort((a, b) => b.text.length - a.text.length);
  }

  /** the needles' places (longest first, none inside another), the sweep between them */
  private replace(raw: string, needles: readonly Needle[], rec: SweepRecord): string {
    const spans: Array<{ a: number; b: number; text: string }> = [];
    const lower = raw.toLowerCase();
    // lower-casing that changes a length (`İ`) would shift the places: then the text is searched as written
    const hay = lower.length === raw.length ? lower : raw;
    for (const n of needles) {
      const needle = hay === lower ? n.text.toLowerCase() : n.text;
      for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) {
        const b = i + needle.length;
        if (n.word && ((i > 0 && WORD_CHAR.test(raw[i - 1]!)) || (b < raw.length && WORD_CHAR.test(raw[b]!)))) continue;
        if (spans.some((s) => i < s.b && b > s.a)) continue;
        spans.push({ a: i, b, text: n.replacement });
      }
    }
    spans.sort((x, y) => x.a - y.a);
    let out = '';
    let at = 0;
    for (const s of spans) {
      out += this.sweep.text(raw.slice(at, s.a), rec) + s.text;
      at = s.b;
    }
    return out + this.sweep.text(raw.slice(at), rec);
  }

  /** why `out` still names something of `raw` (step 3), or null */
  private leak(out: string, before: readonly Entity[], host: string | null, rec: SweepRecord): string | null {
    const originals = new Set<string>();
    for (const e of before) if (e.kind !== 'port' && e.kind !== 'url' && !(e.kind === 'domain' && !this.hosts.isInternal(e.value))) originals.add(`${e.kind}:${e.value}`);
    const written = new Set(rec.ips.values());
    // the extractor keys an IPv4-mapped address by its IPv4
    for (const v of rec.ips.values()) if (v.startsWith('::ffff:') && v.includes('.')) written.add(v.slice('::ffff:'.length));
    const lowerOut = out.toLowerCase();
    for (const e of before) if (e.kind === 'email' && lowerOut.includes(e.value.slice(0, e.value.lastIndexOf('@') + 1))) return 'an e-mail address was left as written';
    const after = parseLine({ line: out, receivedAt: 0, source: '' });
    for (const e of [...extractEntities(out), ...after.entities]) {
      if (e.kind === 'ip' && !written.has(e.value)) return `an address (${e.kind}) was left as written`;
      if (e.kind === 'mac') return 'a MAC address was left as written';
      if (e.kind === 'ip' || e.kind === 'port' || e.kind === 'url') continue;
      if (PSEUDONYM_RE.test(e.value)) continue;
      if (originals.has(`${e.kind}:${e.value}`)) return `a ${e.kind} was left as written`;
      if (e.kind === 'email' && originals.has(`user:${e.value.slice(0, e.value.lastIndexOf('@'))}`)) return 'an e-mail address was left as written';
    }
    if (pathUserLeft(out, PSEUDONYM_RE)) return 'a user name in a file path was left as written';
    if (dashedLeft(out, written)) return 'an address written with dashes was left as written';
    const named = host !== null && host !== '' && host !== '-' && parseIp(host) === null && !PSEUDONYM_RE.test(host);
    if (named && after.host !== null && after.host.toLowerCase() === host.toLowerCase()) return "the header's host was left as written";
    return null;
  }
}

/** Whether `out` holds a dashed address the sweep would anonymize that it did not write (`written`: the addresses it wrote). */
function dashedLeft(out: string, written: ReadonlySet<string>): boolean {
  return dashedAddresses(out).some((a) => !written.has(a));
}
