/**
 * Domain popularity for the n-gram model: is the URL's host, or a domain it belongs to, among the most
 * queried domains of a popularity list (OpenDNS's top 10,000), and how high? Six binary features, one
 * weight each, learned with the grams: {the host itself, a parent domain} × {rank < 100, < 1,000, < 10,000}.
 * Most benign traffic goes to popular domains, and so do some phishing pages (free hosting on a popular
 * parent), so the weights say how much popularity is worth, not a rule.
 *
 * The table ships inside the model as 32-bit hashes of the domains (two 16-bit halves, which float32
 * holds exactly) with their rank tier: no list is read at scoring time, and the domains are not stored.
 */
import { hostEnd } from './features.js';

/** Feature count: exact host × 3 tiers, then parent domain × 3 tiers. */
export const POP_FEATURES = 6;
/** The longest DNS name (RFC 1035): a longer host is on no list. */
const MAX_DNS_NAME = 253;
/** A rank below TIER_LIMITS[t] is tier t. */
export const TIER_LIMITS = [100, 1_000, 10_000] as const;


/** What a host matched: the feature (0–5), and the matched domain's byte span in the host bytes. */
export interface PopMatch {
  feature: number;
  from: number;
  to: number;
}

const lowerByte = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);
/** Letters, digits, `-`, `_` and `.`: the bytes of a host name. */
const isNameByte = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95;

/** FNV-1a of bytes[from, to) (ASCII lowered) with a final mix: the key of a domain. */
function domainHash(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ lowerByte(bytes[i]!), 0x01000193) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * The host's span in scheme-less URL bytes whose host ends at `hostEnd`: without userinfo, port, trailing
 * dots and a leading `www.`. A backslash ends the host first, as browsers read it (`evil.net\@google.com`
 * goes to evil.net).
 */
export function hostSpan(bytes: Uint8Array, hostEnd: number): [number, number] {
  let from = 0;
  let to = hostEnd;
  for (let i = 0; i < to; i++) {
    if (bytes[i] === 92) {
      to = i;
      break;
    }
  }
  for (let i = to - 1; i >= 0; i--) {
    if (bytes[i] === 64) {
      from = i + 1;
      break;
    }
  }
  let bracket = false;
  for (let i = from; i < to; i++) if (bytes[i] === 93) bracket = true;
  if (!bracket) {
    for (let i = to - 1; i >= from; i--) {
      if (bytes[i] === 58) {
        to = i;
        break;
      }
    }
  }
  while (to > from && bytes[to - 1] === 46) to--;
  if (to - from > 4 && lowerByte(bytes[from]!) === 119 && lowerByte(bytes[from + 1]!) === 119 && lowerByte(bytes[from + 2]!) === 119 && bytes[from + 3] === 46) from += 4;
  return [from, to];
}

export class PopularityTable {
  private constructor(private readonly tiers: Map<number, number>) {}

  /** From domains in rank order (most popular first); a repeated domain keeps its first rank. */
  static fromDomains(domains: readonly string[]): PopularityTable {
    const tiers = new Map<number, number>();
    const enc = new TextEncoder();
    domains.forEach((d, rank) => {
      const b = enc.encode(d.toLowerCase());
      const key = domainHash(b, 0, b.length);
      const tier = TIER_LIMITS.findIndex((l) => rank < l);
      if (tier >= 0 && !tiers.has(key)) tiers.set(key, tier);
    });
    return new PopularityTable(tiers);
  }

  /** From the model's tensors (see toTensors). */
  static fromTensors(hi: Float32Array, lo: Float32Array, tier: Float32Array): PopularityTable {
    if (hi.length !== lo.length || hi.length !== tier.length) throw new Error('tensors pop_hi, pop_lo and pop_tier differ in length');
    const tiers = new Map<number, number>();
    for (let i = 0; i < hi.length; i++) tiers.set(((hi[i]! << 16) | lo[i]!) >>> 0, tier[i]!);
    return new PopularityTable(tiers);
  }

  get size(): number {
    return this.tiers.size;
  }

  /** The table as three float32 tensors of equal length: high and low 16 bits of each key, and its tier. */
  toTensors(): { pop_hi: Float32Array; pop_lo: Float32Array; pop_tier: Float32Array } {
    const keys = [...this.tiers.keys()].sort((a, b) => a - b);
    const pop_hi = new Float32Array(keys.length);
    const pop_lo = new Float32Array(keys.length);
    const pop_tier = new Float32Array(keys.length);
    keys.forEach((k, i) => {
      pop_hi[i] = k >>> 16;
      pop_lo[i] = k & 0xffff;
      pop_tier[i] = this.tiers.get(k)!;
    });
    return { pop_hi, pop_lo, pop_tier };
  }

  /**
   * The feature of the host in scheme-less URL bytes (host ends at `hostEnd`): the host itself, else its
   * nearest listed parent domain (never a bare top-level label); null when none is listed or the host is
   * longer than a DNS name can be.
   */
  match(bytes: Uint8Array, hostEnd: number): PopMatch | null {
    const [from, to] = hostSpan(bytes, hostEnd);
    // no DNS name, so no listed one: too long (and no quadratic walk over a 100 kB host), or a byte no
    // host name has (`%2e`, blanks, non-ASCII: a look-alike or an encoding trick is not the listed domain)
    if (to - from > MAX_DNS_NAME) return null;
    for (let i = from; i < to; i++) if (!isNameByte(bytes[i]!)) return null;
    for (let p = from; p < to; ) {
      let dot = -1;
      for (let i = p; i < to; i++) {
        if (bytes[i] === 46) {
          dot = i;
          break;
        }
      }
      if (dot < 0) return null; // one label left: a top-level domain or a bare name
      const tier = this.tiers.get(domainHash(bytes, p, to));
      if (tier !== undefined) return { feature: (p === from ? 0 : 3) + tier, from: p, to };
      p = dot + 1;
    }
    return null;
  }

  /** Whether the host of a URL given as text is itself on the table (not only a parent domain). */
  listsItself(url: string): boolean {
    const f = this.featureOf(url);
    return f >= 0 && f < 3;
  }

  /** The feature of a scheme-less URL or host given as text (training, evaluation, tests); -1 when none. */
  featureOf(url: string): number {
    const b = new TextEncoder().encode(url.slice(0, hostEnd(url)));
    return this.match(b, b.length)?.feature ?? -1;
  }
}

/** A feature's meaning in words, e.g. `a parent domain ranked below 1,000`. */
export function describeFeature(feature: number): string {
  const limit = TIER_LIMITS[feature % 3]!.toLocaleString('en-US');
  return `${feature < 3 ? 'the host itself' : 'a parent domain'} among the ${limit} most popular domains`;
}
