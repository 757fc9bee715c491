/**
 * A binary trie of address prefixes (CIDRs): longest-prefix match in at most 32 (IPv4) or 128 (IPv6)
 * steps, whatever the number of networks. Nodes live in typed arrays (two children and a value each).
 */
import { parseIPv4, parseIPv6 } from '../core/index.js';

/** The address as 16 bytes (IPv4 mapped into ::ffff:0:0/96, so one trie holds both) or null. */
export function addressBytes(text: string): Uint8Array | null {
  const v4 = parseIPv4(text);
  if (v4 !== null) return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
  const v6 = text.indexOf(':') >= 0 ? parseIPv6(text) : null;
  if (v6 === null) return null;
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[2 * i] = v6[i]! >> 8;
    out[2 * i + 1] = v6[i]! & 0xff;
  }
  return out;
}

/** `10.0.0.0/8` or `2001:db8::/32` as (bytes, prefix bits over 128), or null. A bare address is a /32 or /128. */
export function parsePrefix(text: string): { bytes: Uint8Array; bits: number } | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const bytes = addressBytes(addr);
  if (bytes === null) return null;
  const v4 = addr.indexOf(':') < 0;
  const width = v4 ? 32 : 128;
  let bits = width;
  if (slash >= 0) {
    const b = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(b) || Number(b) > width) return null;
    bits = Number(b);
  }
  return { bytes, bits: v4 ? 96 + bits : bits };
}

const bitAt = (bytes: Uint8Array, i: number): number => (bytes[i >> 3]! >> (7 - (i & 7))) & 1;

/** Bytes of an IPv4 address as `addressBytes` maps it (::ffff:a.b.c.d). */
function isMappedV4(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

export class PrefixTrie {
  private left = new Int32Array(1024);
  private right = new Int32Array(1024);
  /** value + 1 per node; 0 = none */
  private values = new Int32Array(1024);
  private nodes = 1;
  size = 0;

  /** Adds a prefix with a value (a small integer, e.g. an index into a label table); a later insert of the same prefix replaces it. */
  insert(bytes: Uint8Array, bits: number, value: number): void {
    let node = 0;
    for (let i = 0; i < bits; i++) {
      const arr = bitAt(bytes, i) === 0 ? this.left : this.right;
      let next = arr[node]!;
      if (next === 0) {
        next = this.alloc();
        (bitAt(bytes, i) === 0 ? this.left : this.right)[node] = next;
      }
      node = next;
    }
    if (this.values[node] === 0) this.size++;
    this.values[node] = value + 1;
  }

  /** The value stored for exactly this prefix, or null. */
  get(bytes: Uint8Array, bits: number): number | null {
    let node = 0;
    for (let i = 0; i < bits; i++) {
      node = (bitAt(bytes, i) === 0 ? this.left : this.right)[node]!;
      if (node === 0) return null;
    }
    return this.values[node]! > 0 ? this.values[node]! - 1 : null;
  }

  /** The value of the longest prefix containing the address, and its length in bits (over 128); null if none. */
  match(bytes: Uint8Array): { value: number; bits: number } | null {
    return this.matches(bytes)[0] ?? null;
  }

  /**
   * Every prefix containing the address, longest first (`10.1.0.0/16`, then `10.0.0.0/8`): nested networks
   * listed by different lists are each a hit.
   */
  matches(bytes: Uint8Array): { value: number; bits: number }[] {
    // an IPv4 address is matched by IPv4 networks only: an IPv6 network shorter than ::ffff:0:0/96 (`::/8`,
    // a common bogon) holds the mapped block but does not hold the IPv4 internet
    const from = isMappedV4(bytes) ? 96 : 0;
    const out: { value: number; bits: number }[] = [];
    let node = 0;
    if (from === 0 && this.values[0]! > 0) out.push({ value: this.values[0]! - 1, bits: 0 });
    for (let i = 0; i < 128; i++) {
      node = (bitAt(bytes, i) === 0 ? this.left : this.right)[node]!;
      if (node === 0) break;
      if (this.values[node]! > 0 && i + 1 >= from) out.push({ value: this.values[node]! - 1, bits: i + 1 });
    }
    return out.reverse();
  }

  private alloc(): number {
    if (this.nodes >= this.left.length) {
      const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.left = grow(this.left);
      this.right = grow(this.right);
      this.values = grow(this.values);
    }
    return this.nodes++;
  }
}
