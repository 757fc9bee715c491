/**
 * The shards one writer lane has open: routes each line to the shard of its time slot, opens a new
 * sequence file for a slot whose earlier file is sealed, and seals shards whose slot has closed and
 * that have been idle a while. Past `maxOpenShards` the least recently written is closed without being
 * sealed ("parked") and its next line reopens the same file: sealing it instead made five devices whose
 * clocks differ by hours seal and re-create a shard every commit round (300 files a minute, not 5).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sealClosedShard, ShardWriter, type StoredLine, type ShardStats } from './shard-writer.js';
import { shardRelPath, slotStartOf } from './slots.js';
import { replacedIn } from './replaced.js';

export interface ShardSetOptions {
  /** directory holding the shard tree */
  dir: string;
  lane: number;
  slotMs: number;
  /** a closed slot's shard is sealed after this long without writes */
  sealIdleMs: number;
  /** past this many open shards, the least recently written is closed (sealed if it is due anyway) */
  maxOpenShards: number;
  optimizeOnSeal: boolean;
  /** each commit waits for the disk (default true; store.fsyncCommits) */
  fsyncCommits?: boolean;
}

export interface ShardEvent {
  kind: 'updated' | 'sealed';
  rel: string;
  slotStart: number;
  lane: number;
  seq: number;
  stats: ShardStats;
}

/**
 * A round that failed part-way: the slots before the failing one were committed (one transaction per
 * slot), so the lane can acknowledge the batches that lie wholly in them and say which were partly stored.
 */
export class AppendFailure extends Error {
  constructor(
    override readonly cause: unknown,
    /** slot starts whose lines were committed */
    readonly committed: ReadonlySet<number>,
    /** events of the shards that were changed (and sealed) before the failure */
    readonly events: ShardEvent[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

interface OpenShard {
  writer: ShardWriter;
  rel: string;
  seq: number;
}

/** A shard closed to stay within maxOpenShards but not sealed: its file is written again by its slot's next line. */
interface ParkedShard {
  rel: string;
  seq: number;
  lastWriteAt: number;
  /** as its writer left them: sealing the file does not reopen it as a writer */
  stats: ShardStats;
}

export class ShardSet {
  private readonly open = new Map<number, OpenShard>();
  private readonly parked = new Map<number, ParkedShard>();
  private readonly opts: ShardSetOptions;

  constructor(opts: ShardSetOptions) {
    this.opts = opts;
  }

  /**
   * Appends every line (one transaction per shard touched) and reports the shards it changed. Open
   * shards stay within `maxOpenShards` as it goes (the least recently written is closed, see
   * closeOverflow), so a batch of an old log spread over thousands of slots does not run the process out
   * of file descriptors. Throws AppendFailure when a slot fails after others were committed.
   */
  append(lines: StoredLine[]): ShardEvent[] {
    const bySlot = new Map<number, StoredLine[]>();
    for (const l of lines) {
      const slot = slotStartOf(l.time, this.opts.slotMs);
      let group = bySlot.get(slot);
      if (group === undefined) bySlot.set(slot, (group = []));
      group.push(l);
    }
    const events: ShardEvent[] = [];
    const committed = new Set<number>();
    for (const [slot, group] of bySlot) {
      try {
        const shard = this.shardFor(slot);
        shard.writer.append(group);
        events.push(this.event('updated', shard));
        committed.add(slot);
        this.closeOverflow(events, slot);
      } catch (e) {
        throw new AppendFailure(e, committed, events);
      }
    }
    return events;
  }

  /**
   * While more than `maxOpenShards` are open, closes the least recently written (but `keep`): sealed when
   * it is due anyway (slot closed, idle `sealIdleMs`), else parked unsealed, so that a slot still being
   * written keeps its file. The catalog keeps listing a parked shard as open (searched as one).
   */
  private closeOverflow(events: ShardEvent[], keep?: number): void {
    const now = Date.now();
    while (this.open.size > this.opts.maxOpenShards) {
      let oldest: [number, OpenShard] | null = null;
      for (const entry of this.open) if (entry[0] !== keep && (oldest === null || entry[1].writer.lastWriteAt < oldest[1].writer.lastWriteAt)) oldest = entry;
      if (oldest === null) return;
      const [slot, shard] = oldest;
      if (this.due(slot, shard.writer.lastWriteAt, now, false)) {
        events.push(this.seal(slot, shard));
        continue;
      }
      shard.writer.close();
      this.open.delete(slot);
      this.parked.set(slot, { rel: shard.rel, seq: shard.seq, lastWriteAt: shard.writer.lastWriteAt, stats: { ...shard.writer.stats } });
    }
  }

  private due(slot: number, lastWriteAt: number, now: number, all: boolean): boolean {
    return slot + this.opts.slotMs <= now && (all || now - lastWriteAt >= this.opts.sealIdleMs);
  }

  /** Seals what is due, parked shards included; `all` seals every shard whose slot has closed, regardless of idleness. */
  sealDue(now: number, all = false): ShardEvent[] {
    const events: ShardEvent[] = [];
    for (const [slot, shard] of this.open) if (this.due(slot, shard.writer.lastWriteAt, now, all)) events.push(this.seal(slot, shard));
    for (const [slot, p] of this.parked) if (this.due(slot, p.lastWriteAt, now, all)) events.push(this.sealParked(slot, p));
    this.closeOverflow(events);
    return events;
  }

  /** Closes every open shard; those whose slot has closed are sealed (parked ones too), the others left unsealed. */
  closeAll(now: number): ShardEvent[] {
    const events = this.sealDue(now, true);
    for (const shard of this.open.values()) shard.writer.close();
    this.open.clear();
    this.parked.clear();
    return events;
  }

  private seal(slot: number, shard: OpenShard): ShardEvent {
    shard.writer.seal(this.opts.optimizeOnSeal);
    this.open.delete(slot);
    return this.event('sealed', shard);
  }

  /** The writer of the shard file `rel` of this lane's `slot` (opened, or created). */
  private writerAt(rel: string, slot: number): ShardWriter {
    return new ShardWriter(join(this.opts.dir, rel), slot, this.opts.slotMs, this.opts.lane, this.opts.fsyncCommits ?? true);
  }

  /**
   * Seals a parked shard's file (open, fold the WAL in, close: a writer's reopening cost twice as much).
   * A file that is gone (deleted under nml) is reported sealed all the same, with the rows its writer
   * counted: the catalog then names it missing (lost-shards.ts) rather than forget those lines. One that
   * fails otherwise stays parked, and the next tick tries again.
   */
  private sealParked(slot: number, p: ParkedShard): ShardEvent {
    try {
      sealClosedShard(join(this.opts.dir, p.rel), this.opts.optimizeOnSeal, this.opts.fsyncCommits ?? true);
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'ENOENT') throw e;
    }
    this.parked.delete(slot);
    return { kind: 'sealed', rel: p.rel, slotStart: slot, lane: this.opts.lane, seq: p.seq, stats: { ...p.stats } };
  }

  private shardFor(slot: number): OpenShard {
    const existing = this.open.get(slot);
    let seq = 0;
    if (existing !== undefined) {
      if (existing.writer.stillOnDisk()) return existing;
      // its file was deleted or moved while open: the lines go to a new file of the slot, never through
      // the old handle into a file no one can read; the catalog names the missing one (lost_shards)
      try {
        existing.writer.close();
      } catch {
        // the handle of a file that is gone: nothing to fold in that anyone could read
      }
      this.open.delete(slot);
      seq = existing.seq + 1;
    }
    const parked = this.parked.get(slot);
    if (parked !== undefined) {
      // the same file again: it was closed, not sealed
      const shard = { writer: this.writerAt(parked.rel, slot), rel: parked.rel, seq: parked.seq };
      this.parked.delete(slot);
      this.open.set(slot, shard);
      return shard;
    }
    // a new file per (slot, lane) each time: sealed files are never written again, nor the names of
    // files a merge of the slot's hour replaced (a late line; see replaced.ts)
    let rel = shardRelPath(slot, this.opts.lane, seq);
    const replaced = replacedIn(this.opts.dir, dirname(rel));
    while (existsSync(join(this.opts.dir, rel)) || replaced.has(rel)) rel = shardRelPath(slot, this.opts.lane, ++seq);
    const writer = this.writerAt(rel, slot);
    const shard = { writer, rel, seq };
    this.open.set(slot, shard);
    return shard;
  }

  private event(kind: ShardEvent['kind'], shard: OpenShard): ShardEvent {
    return { kind, rel: shard.rel, slotStart: shard.writer.slotStart, lane: this.opts.lane, seq: shard.seq, stats: { ...shard.writer.stats } };
  }
}
