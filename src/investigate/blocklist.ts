/**
 * Blocklists in memory: exact addresses and domains in hash maps (a domain also matches through its
 * parents: `a.evil.example` is listed when `evil.example` is), networks in a prefix trie. Each entry
 * points at the set of labels of the lists that name it (`ipsum: on 3 lists`, `maltrail malware/emotet`,
 * the file name of a plain list): an indicator on several lists is a hit of each, and so is every listed
 * network that holds an address, not only the longest.
 */
import { parseIp } from '../core/index.js';
import { addressBytes, parsePrefix, PrefixTrie } from './prefix-trie.js';

export interface BlocklistHit {
  /** what matched: the address, the network (`10.0.0.0/8`) or the listed domain (a parent of the one asked) */
  indicator: string;
  /** which list and what it says: the file and, where the format has one, the category */
  list: string;
}

export interface BlocklistCounts {
  ips: number;
  networks: number;
  domains: number;
}

export class Blocklist {
  private readonly labels: string[] = [];
  private readonly labelIds = new Map<string, number>();
  /** sets of label ids (in the order the lists were loaded), shared by every entry that has the same set */
  private readonly sets: number[][] = [];
  private readonly setIds = new Map<string, number>();
  private readonly ips = new Map<string, number>();
  private readonly domains = new Map<string, number>();
  private readonly trie = new PrefixTrie();

  private label(text: string): number {
    let id = this.labelIds.get(text);
    if (id === undefined) {
      id = this.labels.length;
      this.labels.push(text);
      this.labelIds.set(text, id);
    }
    return id;
  }

  /** The id of the label set `prev` (a set id, or none) plus the list `list`. */
  private withLabel(prev: number | null | undefined, list: string): number {
    const label = this.label(list);
    const old = prev === null || prev === undefined ? [] : this.sets[prev]!;
    if (old.includes(label)) return prev!;
    const next = [...old, label];
    const key = next.join(',');
    let id = this.setIds.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(next);
      this.setIds.set(key, id);
    }
    return id;
  }

  private hits(indicator: string, set: number): BlocklistHit[] {
    return this.sets[set]!.map((l) => ({ indicator, list: this.labels[l]! }));
  }

  /** Adds an address or a network (`1.2.3.4`, `1.2.3.0/24`, `2001:db8::/32`); false when it is neither. */
  addNetwork(text: string, list: string): boolean {
    if (text.indexOf('/') < 0) {
      const key = ipKey(text);
      if (key === null) return false;
      this.ips.set(key, this.withLabel(this.ips.get(key), list));
      return true;
    }
    const p = parsePrefix(text);
    if (p === null) return false;
    this.trie.insert(p.bytes, p.bits, this.withLabel(this.trie.get(p.bytes, p.bits), list));
    return true;
  }

  addDomain(domain: string, list: string): void {
    const key = domain.toLowerCase().replace(/\.$/, '');
    this.domains.set(key, this.withLabel(this.domains.get(key), list));
  }

  counts(): BlocklistCounts {
    return { ips: this.ips.size, networks: this.trie.size, domains: this.domains.size };
  }

  /** Hits for an address: the address itself, then every listed network that holds it, longest first; a hit per list. */
  lookupIp(text: string): BlocklistHit[] {
    const out: BlocklistHit[] = [];
    const key = ipKey(text) ?? text;
    const exact = this.ips.get(key);
    if (exact !== undefined) out.push(...this.hits(key, exact));
    if (this.trie.size > 0) {
      const bytes = addressBytes(text);
      for (const m of bytes === null ? [] : this.trie.matches(bytes)) out.push(...this.hits(networkText(bytes!, m.bits), m.value));
    }
    return out;
  }

  /** Hits for a domain: itself and each parent down to two labels; a hit per list. */
  lookupDomain(domain: string): BlocklistHit[] {
    const out: BlocklistHit[] = [];
    let d = domain.toLowerCase();
    for (;;) {
      const id = this.domains.get(d);
      if (id !== undefined) out.push(...this.hits(d, id));
      const dot = d.indexOf('.');
      if (dot < 0 || d.indexOf('.', dot + 1) < 0) break;
      d = d.slice(dot + 1);
    }
    return out;
  }

  /** Hits for an entity key (`ip:…`, `domain:…`); other types are never listed. */
  lookup(key: string): BlocklistHit[] {
    if (key.startsWith('ip:')) return this.lookupIp(key.slice(3));
    if (key.startsWith('domain:')) return this.lookupDomain(key.slice(7));
    return [];
  }
}

function networkText(bytes: Uint8Array, bits: number): string {
  const masked = Uint8Array.from(bytes);
  for (let i = bits; i < 128; i++) masked[i >> 3]! &= ~(1 << (7 - (i & 7)));
  const mapped = masked.slice(0, 12).every((b, i) => (i < 10 ? b === 0 : b === 0xff));
  if (mapped && bits >= 96) return `${masked[12]}.${masked[13]}.${masked[14]}.${masked[15]}/${bits - 96}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((masked[i]! << 8) | masked[i + 1]!).toString(16));
  return `${parseIp(groups.join(':'))?.text ?? groups.join(':')}/${bits}`;
}

/** An address's key in the exact map: its canonical text, an IPv4-mapped IPv6 address (`::ffff:1.2.3.4`) as the IPv4 it is. */
function ipKey(text: string): string | null {
  const ip = parseIp(text);
  if (ip === null) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip.text);
  return mapped === null ? ip.text : mapped[1]!;
}
