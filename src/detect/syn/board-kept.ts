/**
 * Hosts that are findings of their own (or held for the findings budget's word) kept after they leave
 * the live board, so that the Hosts page can still show an operator their image and explanation: for
 * `keepMs` of capture time after their last SYN, at most `max` of them (the one kept longest goes first).
 * A SYN from one brings it back onto the board with its state.
 */
import type { State } from './board-state.js';
import { spanText } from './board-text.js';

export class KeptHosts {
  /** least recently left first */
  private readonly map = new Map<string, State>();
  /** µs of capture time a kept host stays after its last SYN */
  readonly keepUs: number;

  constructor(
    keepMs: number,
    readonly max: number,
    /** a kept host leaving for good (its counts settled by the board) */
    private readonly drop: (h: State) => void,
  ) {
    this.keepUs = keepMs * 1000;
  }

  get(ip: string): State | undefined {
    return this.map.get(ip);
  }

  /** Whether `h` itself is kept (not another state of its address). */
  holds(h: State): boolean {
    return this.map.get(h.ip) === h;
  }

  /** `ip`'s state, taken off the kept hosts to go back onto the board; undefined when not kept. */
  take(ip: string): State | undefined {
    const h = this.map.get(ip);
    if (h !== undefined) this.map.delete(ip);
    return h;
  }

  /** `h`, off the live board, kept (most recently left last); past `max` the one kept longest goes. */
  keep(h: State): void {
    this.map.delete(h.ip);
    this.map.set(h.ip, h);
    if (this.map.size > this.max) this.remove(this.map.values().next().value!);
  }

  /** Kept hosts whose last SYN is `keepUs` older than `now` go (kept in about that order: the rest are younger). */
  expire(now: number): void {
    for (const h of this.map.values()) {
      if (h.lastSeen >= now - this.keepUs) break;
      this.remove(h);
    }
  }

  /** `h` leaves for good. */
  remove(h: State): void {
    this.map.delete(h.ip);
    this.drop(h);
  }

  values(): IterableIterator<State> {
    return this.map.values();
  }

  /** How long and how many findings are kept, in words. */
  describe(): string {
    return `one that is a finding of its own is kept ${spanText(this.keepUs)} after its last SYN, at most ${this.max} of them`;
  }
}
