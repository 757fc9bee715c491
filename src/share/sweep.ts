/**
 * The pattern sweep of an export: every IP address, MAC address and e-mail address in a piece of text,
 * found by shape, whatever the entity extractor made of the line (an address in a URL in a quoted field,
 * one with leading zeros, `10.0.0.1:22`), replaced: addresses by Crypto-PAn, MACs and e-mail local parts by
 * keyed pseudonyms, an e-mail's domain as a host name (`names.ts`). Before that, two shapes the extractor
 * does not read: a user name by its place in a file path (`/home/alice/`, `C:\Users\alice\`:
 * path-users.ts; `/~alice/` too) becomes the `user-` pseudonym that user gets anywhere, and an IPv4 or IPv6
 * address written with dashes in a host name (`ip-10-0-0-1`, `2001-db8--1.ipv6.isp.net`: dashed.ts) is
 * Crypto-PAn'd and written back dashed. It over-replaces rather than under:
 * a version string that reads as a dotted quad is anonymized too, except a browser's (`Chrome/124.0.0.0`).
 */
import { parseIp } from '../core/index.js';
import type { CryptoPan } from './cryptopan.js';
import { PSEUDONYM_RE, type Pseudonyms } from './key.js';
import { dashed6Address, dashed6Out, dashedAddress, DASHED_RE, DASHED6_RE } from './dashed.js';
import { keptPathName, PATH_USER_GROUPS, PATH_USER_RE, pathUserIn, pathUserOut } from './path-users.js';

/** what the sweep replaced, so the check after it can tell an address it wrote from one it missed */
export interface SweepRecord {
  /** original addresses (canonical) → anonymized */
  ips: Map<string, string>;
}

/**
 * One pass, in this order at each place: an e-mail address (`@`, or `%40` as a URL encodes it); a Cisco MAC (`aabb.ccdd.eeff`); a run of
 * hex digits, colons, dots and dashes (IPv6, a MAC, a dotted quad with or without a port, or none).
 */
const SWEEP_RE = /([A-Za-z0-9._%+-]{1,64})(?:@|%40)(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)|(?<![0-9A-Za-z])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![0-9A-Za-z])|[0-9A-Fa-f:][0-9A-Fa-f:.-]*/g;
/** what the sweep replaces before its own pass: a user name in a path (groups 1-6), a dashed IPv4 address (7-10), a dashed IPv6 one (11) */
const PRE_RE = new RegExp(`${PATH_USER_RE.source}|${DASHED_RE.source}|${DASHED6_RE.source}`, 'gu');
const V4 = PATH_USER_GROUPS + 1;
const V6 = PATH_USER_GROUPS + 5;
const QUAD_RE = /(?<![0-9])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![0-9])/g;
const MAC_RE = /^[0-9A-Fa-f]{2}(?:([:-])[0-9A-Fa-f]{2})+$/;
/** browser and engine names before a version that reads as a dotted quad (parse's isProductVersionAt keeps a longer list) */
const UA_BEFORE = /(?:^|[\s(;,"'])(?:chrome|chromium|headlesschrome|crios|edg|edga|edgios|edge|opr|version|safari|applewebkit|firefox|fxios|mozilla|gecko|trident|msie|yabrowser|samsungbrowser|vivaldi|brave|electron)\/$/i;

export class Sweep {
  constructor(
    private readonly pan: CryptoPan,
    private readonly names: Pseudonyms,
    /** how an e-mail's domain is written (names.ts: clear when public, a pseudonym when internal) */
    private readonly hostName: (name: string, rec: SweepRecord) => string,
  ) {}

  /** `text` with every address, and every user name in a path, replaced; what was replaced is added to `rec`. */
  text(text: string, rec: SweepRecord): string {
    let out = '';
    let at = 0;
    PRE_RE.lastIndex = 0;
    for (let m = PRE_RE.exec(text); m !== null; m = PRE_RE.exec(text)) {
      const rep = this.pre(m, text, rec);
      if (rep === null) continue;
      out += this.shapes(text.slice(at, m.index), rec) + rep;
      at = m.index + m[0].length;
    }
    return at === 0 ? this.shapes(text, rec) : out + this.shapes(text.slice(at), rec);
  }

  /** `name` (a public host name) with a dashed address in it anonymized (dashed.ts), the rest as written */
  dashedIn(name: string, rec: SweepRecord): string {
    if (!name.includes('-')) return name;
    DASHED_RE.lastIndex = 0;
    const v4 = name.replace(DASHED_RE, (...args: unknown[]) => {
      const m = args.slice(0, 5) as string[];
      const o = dashedAddress(m, name, args[5] as number);
      return o === null ? m[0]! : this.ip(o.join('.'), rec)!.replaceAll('.', '-');
    });
    DASHED6_RE.lastIndex = 0;
    return v4.replace(DASHED6_RE, (m: string, written: string, at: number) => this.dashed6(written, v4, at, rec) ?? m);
  }

  /** the dashed IPv6 address `written` (at `at` of `text`) anonymized and written back dashed; null to keep it */
  private dashed6(written: string, text: string, at: number, rec: SweepRecord): string | null {
    const a = dashed6Address(written, text, at);
    return a === null ? null : dashed6Out(this.ip(a, rec)!, written);
  }

  /** a path's user name or a dashed address (PRE_RE's match) as written out; null to leave it to the sweep */
  private pre(m: RegExpExecArray, text: string, rec: SweepRecord): string | null {
    const user = pathUserIn(m);
    if (user !== null) {
      if (keptPathName(user.name, PSEUDONYM_RE)) return null;
      return user.folder + pathUserOut(user.name, (u) => this.names.of('user', u), (d) => this.ip(d, rec) ?? this.hostName(d, rec));
    }
    if (m[V6] !== undefined) return this.dashed6(m[V6], text, m.index, rec);
    const octets = dashedAddress([m[0], m[V4]!, m[V4 + 1]!, m[V4 + 2]!, m[V4 + 3]!], text, m.index);
    return octets === null ? null : this.ip(octets.join('.'), rec)!.replaceAll('.', '-');
  }

  /** the pattern sweep proper: e-mails, MACs, addresses */
  private shapes(text: string, rec: SweepRecord): string {
    SWEEP_RE.lastIndex = 0;
    return text.replace(SWEEP_RE, (m: string, local: string | undefined, domain: string | undefined, at: number) => {
      if (local !== undefined) return `${this.names.of('user', local.toLowerCase())}${m.slice(local.length, m.length - domain!.length)}${this.domainPart(domain!, rec)}`;
      if (m.length === 14 && m[4] === '.') return this.names.of('mac', m.replace(/\./g, '').toLowerCase().replace(/(..)(?!$)/g, '$1:'));
      return this.run(m, text, at, rec);
    });
  }

  private domainPart(domain: string, rec: SweepRecord): string {
    if (domain.startsWith('[')) return `[${this.ip(domain.slice(1, -1), rec) ?? this.run(domain.slice(1, -1), domain, 1, rec)}]`;
    return this.ip(domain, rec) ?? this.hostName(domain, rec);
  }

  /** the anonymized address of `text`, recorded; null when it is none */
  ip(text: string, rec: SweepRecord): string | null {
    const ip = parseIp(text);
    if (ip === null) return null;
    const out = this.pan.anonymize(ip.text)!;
    rec.ips.set(ip.text, out);
    return out;
  }

  private run(m: string, whole: string, at: number, rec: SweepRecord): string {
    if (m.length < 3) return m;
    // punctuation around it is not part of it
    let a = 0;
    let b = m.length;
    while (a < b && (m[a] === '.' || m[a] === '-' || (m[a] === ':' && m[a + 1] !== ':'))) a++;
    while (b > a && (m[b - 1] === '.' || m[b - 1] === '-' || (m[b - 1] === ':' && m[b - 2] !== ':'))) b--;
    const core = m.slice(a, b);
    return m.slice(0, a) + this.runCore(core, whole, at + a, rec) + m.slice(b);
  }

  private runCore(core: string, whole: string, at: number, rec: SweepRecord): string {
    const mac = MAC_RE.exec(core);
    if (mac !== null) {
      const pairs = (core.length + 1) / 3;
      // a MAC, or iptables' MAC= field (destination, source, ethertype): each address replaced, the ethertype kept
      if (pairs === 6 || pairs === 14) {
        const sep = mac[1]!;
        const one = (s: string): string => this.names.of('mac', s.toLowerCase().replaceAll('-', ':'));
        return pairs === 6 ? one(core) : `${one(core.slice(0, 17))}${sep}${one(core.slice(18, 35))}${core.slice(35)}`;
      }
    }
    if (core.includes(':')) {
      const whole6 = this.ip(core, rec);
      if (whole6 !== null) return whole6;
      // an address with a port after a dot or colon (`2001:db8::1.443`, `10.0.0.1:22`)
      const port = /^(.*)[.:#](\d{1,5})$/.exec(core);
      const head = port === null ? null : this.ip(port[1]!, rec);
      if (head !== null) return `${head}${core.slice(port![1]!.length)}`;
    }
    if (!core.includes('.')) return core;
    QUAD_RE.lastIndex = 0;
    return core.replace(QUAD_RE, (q: string, o1: string, o2: string, o3: string, o4: string, qAt: number) => {
      const octets = [o1, o2, o3, o4].map(Number);
      if (octets.some((o) => o > 255)) return q;
      if (UA_BEFORE.test(whole.slice(Math.max(0, at + qAt - 24), at + qAt))) return q;
      return this.ip(octets.join('.'), rec)!;
    });
  }
}
