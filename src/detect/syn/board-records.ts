/**
 * The board's findings of their own, per host: when a flagged host is recorded (first, as its SYNs grow,
 * and a last time as it goes quiet or leaves), the few-SYN hosts the findings budget holds until it
 * decides, and the findings kept after they leave the board (board-kept.ts). board.ts scores the hosts;
 * this decides which records they make. Nothing is recorded on a board without a sink.
 */
import type { NewFinding } from '../detector.js';
import { ROWS } from './image.js';
import { explainHost, latestWindow } from './board-view.js';
import { evidenceSpan, firstSeenOf, type FindingsBudget } from './board-findings.js';
import type { SynModel } from './model.js';
import type { State } from './board-state.js';
import { KeptHosts } from './board-kept.js';
import { QuietRecords } from './board-quiet.js';

export interface HostRecordsOptions {
  /** the board has a findings sink (without one nothing is recorded, nothing held or kept) */
  sink: boolean;
  model: SynModel;
  threshold: number;
  budget: FindingsBudget;
  keepFlaggedMs: number;
  maxKeptFlagged: number;
  /** a kept host leaves for good (KeptHosts) */
  dropKept: (h: State) => void;
}

export class HostRecords {
  /** findings that have left the live board: `host()` serves them, a SYN brings one back (board-kept.ts) */
  readonly kept: KeptHosts;
  /** findings of their own with SYNs since their last record, brought up to date once quiet (board-quiet.ts) */
  readonly quiet = new QuietRecords<State>();
  /** few-SYN hosts the findings budget holds (a flood may yet take them), until `release` says what they are */
  private readonly heldFew = new Map<string, State>();
  /** hosts that are findings of their own, pushed off the full board since the last flush: their last record is made there */
  private leaving: State[] = [];

  constructor(private readonly o: HostRecordsOptions) {
    this.kept = new KeptHosts(o.keepFlaggedMs, o.maxKeptFlagged, o.dropKept);
  }

  /** A host that is a finding of its own, or held for the budget's word: it is kept when it leaves the board. */
  flagged(h: State): boolean {
    return this.o.sink && (h.recordedCount > 0 || this.heldFew.get(h.ip) === h);
  }

  /** A flagged host pushed off the full board: kept, and its last record made at the next flush (`takeLeaving`). */
  leave(h: State): void {
    this.kept.keep(h);
    this.leaving.push(h);
  }

  /** The flagged hosts pushed off since the last call. */
  takeLeaving(): State[] {
    const leaving = this.leaving;
    this.leaving = [];
    return leaving;
  }

  /** A host just scored: a record when it is at or above the threshold (budget permitting) or has grown since its last. */
  scored(h: State, findings: NewFinding[]): void {
    // a held host's first record waits for the budget's word (`release`)
    if (!this.o.sink || this.heldFew.has(h.ip)) return;
    // a host that is a finding of its own is recorded again when its SYNs have grown by half (at least
    // one more window), and a last time when it goes idle, so that a fast scan's finding tells what the
    // host has done, not its first seconds; such an update is not a new row for the operator and takes
    // nothing from the per-minute budget
    const own = h.recordedCount > 0;
    const grown = own && h.count >= 1.5 * h.recordedCount && h.count - h.recordedCount >= ROWS;
    const due = h.score >= this.o.threshold && h.lastSeen - h.recordedAt >= 60e6;
    if (!grown && !due) return;
    const again = h.recordedAt > -Infinity; // recorded before: not own, so summed
    h.recordedAt = h.lastSeen;
    const last = h.recent[h.recent.length - 1]!;
    if (own || this.o.budget.admit({ ip: h.ip, score: h.score, count: h.count, ports: h.ports.size, firstSeen: h.firstSeen, lastSeen: h.lastSeen, dst: last.dst, dport: last.dport, again })) {
      h.recordedCount = h.count;
      findings.push(this.finding(h));
    } else if (this.o.budget.holds(h.ip)) this.heldFew.set(h.ip, h);
  }

  /**
   * The held few-SYN hosts the budget has decided: a row of its own is recorded (one that has left the
   * board meanwhile is kept already: `flagged`); one a flood (or wave) took is summed there, and not kept.
   */
  release(findings: NewFinding[], final: boolean): void {
    if (!this.o.sink) return;
    for (const r of this.o.budget.release(final)) {
      const h = this.heldFew.get(r.ip);
      this.heldFew.delete(r.ip);
      if (h === undefined) continue;
      if (r.own) {
        h.recordedCount = h.count;
        h.recordedAt = h.lastSeen;
        findings.push(this.finding(h));
      } else if (this.kept.holds(h)) this.kept.remove(h);
    }
  }

  /** A host that is a finding of its own and sent SYNs since its last record, as it leaves: its whole story. */
  last(h: State, findings: NewFinding[]): void {
    if (!this.o.sink || h.recordedCount === 0 || h.count <= h.recordedCount) return;
    h.recordedCount = h.count;
    h.recordedAt = h.lastSeen;
    findings.push(this.finding(h));
  }

  /** The host as a finding: its highest score so far (the store keeps the highest) and what it has done up to now. */
  private finding(h: State): NewFinding {
    return {
      detector: 'syn',
      entity: `ip:${h.ip}`,
      score: h.maxScore,
      threshold: this.o.threshold,
      modelVersion: this.o.model.file.version,
      time: Math.floor(h.lastSeen / 1000),
      ...firstSeenOf(h.firstSeen, h.lastSeen), // the host's first SYN, not the flush that first flagged it
      explanation: explainHost(this.o.model, h, latestWindow(h), this.o.threshold),
      evidence: { query: `ip:${h.ip}`, ...evidenceSpan(h.firstSeen, h.lastSeen) },
    };
  }
}
