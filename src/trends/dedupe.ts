/** Near-duplicate detection: 64-bit SimHash over word 3-shingles, looked up in 4 bands of 16 bits (Hamming distance ≤ 3 is found). */

export interface SimHash {
  hi: number;
  lo: number;
}

function fnv1a(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // final avalanche (murmur3 fmix32) so that nearby shingles spread over all bits
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** Words of a text for shingling: lowercase letters, digits and CJK characters one by one. */
function shingleWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.flatMap((w) => (/[\u3040-\u30ff\u4e00-\u9fff]/u.test(w) ? [...w] : [w])) ?? [];
}

export function simhash(text: string): SimHash {
  const words = shingleWords(text);
  const acc = new Int32Array(64);
  const n = Math.max(1, words.length - 2);
  for (let i = 0; i < n; i++) {
    const sh = words.slice(i, i + 3).join(' ');
    const a = fnv1a(sh, 0x811c9dc5);
    const b = fnv1a(sh, 0x9e3779b9);
    for (let bit = 0; bit < 32; bit++) {
      acc[bit]! += (a >>> bit) & 1 ? 1 : -1;
      acc[bit + 32]! += (b >>> bit) & 1 ? 1 : -1;
    }
  }
  let lo = 0;
  let hi = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (acc[bit]! > 0) lo |= 1 << bit;
    if (acc[bit + 32]! > 0) hi |= 1 << bit;
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

export function hamming(a: SimHash, b: SimHash): number {
  return popcount((a.hi ^ b.hi) >>> 0) + popcount((a.lo ^ b.lo) >>> 0);
}

/** Remembers up to `capacity` fingerprints (oldest forgotten first) and finds one within `maxDistance`. */
export class NearDuplicateIndex {
  private readonly bands: Map<number, number[]>[] = [new Map(), new Map(), new Map(), new Map()];
  private readonly hashes = new Map<number, SimHash>();
  private nextId = 0;

  constructor(
    private readonly maxDistance = 3,
    private readonly capacity = 200_000,
  ) {}

  private keys(h: SimHash): number[] {
    return [h.lo & 0xffff, h.lo >>> 16, h.hi & 0xffff, h.hi >>> 16];
  }

  /** True when a stored fingerprint is near `h`. With ≤ 3 differing bits, one of the 4 bands matches exactly. */
  has(h: SimHash): boolean {
    const keys = this.keys(h);
    for (let b = 0; b < 4; b++) {
      for (const id of this.bands[b]!.get(keys[b]!) ?? []) {
        const other = this.hashes.get(id);
        if (other !== undefined && hamming(h, other) <= this.maxDistance) return true;
      }
    }
    return false;
  }

  add(h: SimHash): void {
    const id = this.nextId++;
    this.hashes.set(id, h);
    const keys = this.keys(h);
    for (let b = 0; b < 4; b++) {
      const list = this.bands[b]!.get(keys[b]!);
      if (list === undefined) this.bands[b]!.set(keys[b]!, [id]);
      else list.push(id);
    }
    if (this.hashes.size > this.capacity) this.forget(id - this.capacity);
  }

  private forget(id: number): void {
    const h = this.hashes.get(id);
    if (h === undefined) return;
    this.hashes.delete(id);
    const keys = this.keys(h);
    for (let b = 0; b < 4; b++) {
      const list = this.bands[b]!.get(keys[b]!);
      if (list === undefined) continue;
      const i = list.indexOf(id);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.bands[b]!.delete(keys[b]!);
    }
  }
}
