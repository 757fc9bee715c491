/**
 * The newest `limit` hits of a shard seen so far, by (time, rowid) descending: a min-heap whose root is
 * the oldest hit kept, the first to give way to a newer one.
 */
export interface HitKey {
  rowid: number;
  time: number;
}

/** Whether `a` comes before `b` newest-first: the later time, then (same time) the later-stored row. */
export function newerKey(a: HitKey, b: HitKey): boolean {
  return a.time !== b.time ? a.time > b.time : a.rowid > b.rowid;
}

export class TopHits {
  private readonly heap: HitKey[] = [];
  /** a hit was turned away or pushed out: the shard holds more matches than those kept */
  dropped = false;
  constructor(readonly limit: number) {}

  get full(): boolean {
    return this.heap.length >= this.limit;
  }

  /** the oldest hit kept; undefined when none */
  get oldest(): HitKey | undefined {
    return this.heap[0];
  }

  offer(h: HitKey): void {
    const heap = this.heap;
    if (heap.length < this.limit) {
      heap.push(h);
      this.up(heap.length - 1);
      return;
    }
    this.dropped = true;
    if (heap.length === 0 || !newerKey(h, heap[0]!)) return;
    heap[0] = h;
    this.down(0);
  }

  /** The hits kept, newest first. */
  newestFirst(): HitKey[] {
    return [...this.heap].sort((a, b) => (newerKey(a, b) ? -1 : newerKey(b, a) ? 1 : 0));
  }

  private up(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!newerKey(heap[parent]!, heap[i]!)) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let oldest = i;
      if (l < heap.length && newerKey(heap[oldest]!, heap[l]!)) oldest = l;
      if (r < heap.length && newerKey(heap[oldest]!, heap[r]!)) oldest = r;
      if (oldest === i) return;
      [heap[oldest], heap[i]] = [heap[i]!, heap[oldest]!];
      i = oldest;
    }
  }
}
