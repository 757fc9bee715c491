/**
 * Hosts that are findings of their own (or held for the findings budget's word) kept after they leave
 * the live board, so that the Hosts page can still show an operator their image and explanation: for
 * `keepMs` of capture time after their last SYN, at most `max` of them (the one kept longest goes first).
 * A SYN from one brings it back onto the board with its state. The board lists them, marked idle (a UX
 * review found six scanners with open findings gone from the Hosts list ten minutes after their scans,
 * though the README says a finding stays viewable there); `announce` tells the board's listeners which
 * hosts became idle and which left for good since it was last asked.
 */
import type { State } from './board-state.js';
import type { BoardHost } from './board-types.js';
import { hostView } from './board-view.js';
import { spanText } from './board-text.js';

export class KeptHosts {
  /** least recently left first */
  private readonly map = new Map<string, State>();
  /** µs of capture time a kept host stays after its last SYN */
  readonly keepUs: number;
  /** hosts kept since the last `announce` (one taken back onto the board since is skipped there) */
  private readonly joined = new Set<State>();
  /** addresses that left for good since the last `announce` */
  private gone: string[] = [];

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
    this.joined.add(h);
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
    this.gone.push(h.ip);
    this.drop(h);
  }

  /**
   * For the board's listeners: the rows of the hosts kept since the last call and still kept, marked
   * idle, pushed onto `changed`; returns the addresses that left for good meanwhile (off the list now).
   */
  announce(changed: BoardHost[]): string[] {
    for (const h of this.joined) if (this.holds(h)) changed.push(hostView(h, true));
    const gone = this.gone.filter((ip) => !this.map.has(ip));
    this.joined.clear();
    this.gone = [];
    return gone;
  }

  get size(): number {
    return this.map.size;
  }

  values(): IterableIterator<State> {
    return this.map.values();
  }

  /** How long and how many findings are kept, in words. */
  describe(): string {
    return `one that is a finding of its own is kept ${spanText(this.keepUs)} after its last SYN, at most ${this.max} of them`;
  }
}
