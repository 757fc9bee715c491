/**
 * Distinct counts in bounded memory, for the live board's per-host destination ports and addresses
 * (the host-context features `distinctPorts` and `distinctDsts`, image.ts and bag.ts). A set of up to
 * EXACT_UP_TO values, then a 65,536-bit map (8 KB): for ports one bit per port, so the count stays
 * exact; for addresses one bit per hash, counted by linear counting (−m·ln(empty share)), within about
 * 0.3% up to 4,096 addresses and 1% up to 300,000. The features log-bin these counts with no top bin
 * (bag.ts `log2`, image.ts `log10 / 5`), so an exact count is kept as far as memory allows rather than a
 * saturating one. A set of 4,096 ports and 4,096 address strings per host took 350–430 KB a host
 * (7–8.6 GB at the board's 20,000); now a host takes at most about 16 KB for both.
 */

/** Values kept exactly in a set before the bit map takes over (a set of 256 costs about what the map does). */
export const EXACT_UP_TO = 256;

const BITS = 65_536;

/** FNV-1a of a string, folded to 16 bits: where an address falls in the map. */
function slot(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x2c1b3c6d);
  return (h ^ (h >>> 15)) & (BITS - 1);
}

abstract class Distinct<T> {
  protected set: Set<T> | null = new Set();
  protected map: Uint8Array | null = null;
  protected ones = 0;
  /** values added, repeats included: no estimate exceeds it (a host of 10,000 SYNs read as on 10,009 hosts) */
  private added = 0;

  protected abstract bit(v: T): number;
  protected abstract count(): number;

  add(v: T): void {
    this.added++;
    const set = this.set;
    if (set !== null) {
      set.add(v);
      if (set.size <= EXACT_UP_TO) return;
      // past the set's size: the map takes over, with what the set held
      this.map = new Uint8Array(BITS / 8);
      this.set = null;
      for (const x of set) this.mark(x);
      return;
    }
    this.mark(v);
  }

  private mark(v: T): void {
    const b = this.bit(v);
    const m = this.map!;
    const mask = 1 << (b & 7);
    if ((m[b >> 3]! & mask) !== 0) return;
    m[b >> 3] = m[b >> 3]! | mask;
    this.ones++;
  }

  get size(): number {
    return this.set !== null ? this.set.size : Math.min(this.added, this.count());
  }
}

/** Distinct TCP ports, exact at any count. */
export class DistinctPorts extends Distinct<number> {
  protected bit(port: number): number {
    return port & (BITS - 1);
  }

  protected count(): number {
    return this.ones;
  }

  /**
   * Every port added, as runs of consecutive ports (`{ from: 1, to: 1024 }`), lowest first: at most `max`
   * runs, and how many more there are. Exact at any count (the map has a bit per port): the host panel's
   * answer to "which ports did it try", for a host that tried 60,000 as for one that tried 3.
   */
  ranges(max: number): { ranges: { from: number; to: number }[]; more: number } {
    const has = this.set !== null ? (p: number) => this.set!.has(p) : (p: number) => (this.map![p >> 3]! & (1 << (p & 7))) !== 0;
    const ranges: { from: number; to: number }[] = [];
    let more = 0;
    for (let p = 0; p < BITS; p++) {
      if (!has(p)) continue;
      let to = p;
      while (to + 1 < BITS && has(to + 1)) to++;
      if (ranges.length < max) ranges.push({ from: p, to });
      else more++;
      p = to;
    }
    return { ranges, more };
  }
}

/** Distinct addresses: exact up to EXACT_UP_TO, then estimated (linear counting; never below EXACT_UP_TO + 1 nor above the values added). */
export class DistinctAddrs extends Distinct<string> {
  protected bit(addr: string): number {
    return slot(addr);
  }

  protected count(): number {
    const empty = BITS - this.ones;
    // a full map (more than ~700,000 addresses) reads as what its last free bit stood for
    const est = Math.round(-BITS * Math.log(Math.max(empty, 1) / BITS));
    return Math.max(EXACT_UP_TO + 1, est);
  }
}
