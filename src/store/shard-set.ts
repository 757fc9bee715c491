/**
 * The shards one writer lane has open: routes each line to the shard of its time slot, opens a new
 * sequence file for a slot whose earlier file is sealed, and seals shards whose slot has closed and
 * that have been idle a while. Past `maxOpenShards` the least recently written is closed without being
 * sealed ("parked") and its next line reopens the same file: sealing it instead made five devices whose
 * clocks differ by hours seal and re-create a shard every commit round (300 files a minute, not 5).
 *
 * A line of an hour that ended more than `hourShardsAfterMs` before it arrived (an old log imported, a
 * device's backlog) goes to a shard of the whole hour (`hour-w<lane>-<seq>.db`), not of its minute:
 * one file an hour and lane instead of up to sixty, which the hour's merge would only have replaced.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sealClosedShard, ShardWriter, type StoredLine, type ShardStats } from './shard-writer.js';
import { HOUR_MS, laneHourRelPath, shardRelPath, slotStartOf } from './slots.js';
import { replacedIn } from './replaced.js';

/** lines past which a lane's shard of a whole hour is sealed and the hour's next lines start another (a minute of the benchmark's packed corpus is 100k) */
export const HOUR_SHARD_ROWS = 1_000_000;

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
  /** a line of an hour that ended this long ago goes to the lane's shard of the whole hour; null or absent: never */
  hourShardsAfterMs?: number | null;
  /** lines past which such a shard is sealed and another started (default HOUR_SHARD_ROWS) */
  hourShardRows?: number;
}

export interface ShardEvent {
  kind: 'updated' | 'sealed';
  rel: string;
  slotStart: number;
  /** the slot's length: the store's slot, or an hour (a lane's whole-hour shard) */
  slotMs: number;
  lane: number;
  seq: number;
  stats: ShardStats;
  /** an `updated` event of an append: the rowids it committed, [from, to) (the catalog's stored-by.ts) */
  rowids?: { from: number; to: number };
}

/**
 * A round that failed part-way: the slots before the failing one were committed (one transaction per
 * slot), so the lane can acknowledge the batches that lie wholly in them and say which were partly stored.
 */
export class AppendFailure extends Error {
  constructor(
    override readonly cause: unknown,
    /** slots (ShardSet.slotKey at `now`) whose lines were committed */
    readonly committed: ReadonlySet<string>,
    /** events of the shards that were changed (and sealed) before the failure */
    readonly events: ShardEvent[],
    /** the time the round's lines were routed at */
    readonly now: number,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/** A time slot: its start and length, and the key the lane's maps know it by (a minute and its hour share a start). */
interface Slot {
  key: string;
  start: number;
  ms: number;
}

interface OpenShard {
  writer: ShardWriter;
  rel: string;
  seq: number;
  slot: Slot;
}

/** A shard closed to stay within maxOpenShards but not sealed: its file is written again by its slot's next line. */
interface ParkedShard {
  rel: string;
  seq: number;
  slot: Slot;
  lastWriteAt: number;
  /** as its writer left them: sealing the file does not reopen it as a writer */
  stats: ShardStats;
}

export class ShardSet {
  private readonly open = new Map<string, OpenShard>();
  private readonly parked = new Map<string, ParkedShard>();
  private readonly opts: ShardSetOptions;

  constructor(opts: ShardSetOptions) {
    this.opts = opts;
  }

  /** The slot a line of `time` goes to when routed at `now`. */
  private slotOf(time: number, now: number): Slot {
    const after = this.opts.hourShardsAfterMs;
    if (after !== null && after !== undefined && this.opts.slotMs < HOUR_MS) {
      const hour = slotStartOf(time, HOUR_MS);
      if (hour + HOUR_MS + after <= now) return { key: `h${hour}`, start: hour, ms: HOUR_MS };
    }
    const start = slotStartOf(time, this.opts.slotMs);
    return { key: String(start), start, ms: this.opts.slotMs };
  }

  /** The key of the slot a line of `time` went to when routed at `now` (see AppendFailure). */
  slotKey(time: number, now: number): string {
    return this.slotOf(time, now).key;
  }

  /**
   * Appends every line (one transaction per shard touched) and reports the shards it changed. Open
   * shards stay within `maxOpenShards` as it goes (the least recently written is closed, see
   * closeOverflow), so a batch of an old log spread over thousands of slots does not run the process out
   * of file descriptors. Throws AppendFailure when a slot fails after others were committed.
   */
  append(lines: StoredLine[], now = Date.now()): ShardEvent[] {
    const bySlot = new Map<string, { slot: Slot; lines: StoredLine[] }>();
    for (const l of lines) {
      const slot = this.slotOf(l.time, now);
      let group = bySlot.get(slot.key);
      if (group === undefined) bySlot.set(slot.key, (group = { slot, lines: [] }));
      group.lines.push(l);
    }
    const events: ShardEvent[] = [];
    const committed = new Set<string>();
    for (const { slot, lines: group } of bySlot.values()) {
      try {
        const shard = this.shardFor(slot);
        shard.writer.append(group);
        const rowids = shard.writer.lastAppend;
        events.push({ ...this.event('updated', shard), ...(rowids === null ? {} : { rowids }) });
        committed.add(slot.key);
        // a whole hour of a busy network would be one file a lane, searched by one thread: the next lines go to a new one
        if (slot.ms !== this.opts.slotMs && shard.writer.stats.rows >= (this.opts.hourShardRows ?? HOUR_SHARD_ROWS)) events.push(this.seal(shard));
        this.closeOverflow(events, slot.key);
      } catch (e) {
        throw new AppendFailure(e, committed, events, now);
      }
    }
    return events;
  }

  /**
   * While more than `maxOpenShards` are open, closes the least recently written (but `keep`): sealed when
   * it is due anyway (slot closed, idle `sealIdleMs`), else parked unsealed, so that a slot still being
   * written keeps its file. The catalog keeps listing a parked shard as open (searched as one).
   */
  private closeOverflow(events: ShardEvent[], keep?: string): void {
    const now = Date.now();
    while (this.open.size > this.opts.maxOpenShards) {
      let oldest: [string, OpenShard] | null = null;
      for (const entry of this.open) if (entry[0] !== keep && (oldest === null || entry[1].writer.lastWriteAt < oldest[1].writer.lastWriteAt)) oldest = entry;
      if (oldest === null) return;
      const [key, shard] = oldest;
      if (this.due(shard.slot, shard.writer.lastWriteAt, now, false)) {
        events.push(this.seal(shard));
        continue;
      }
      shard.writer.close();
      this.open.delete(key);
      this.parked.set(key, { rel: shard.rel, seq: shard.seq, slot: shard.slot, lastWriteAt: shard.writer.lastWriteAt, stats: { ...shard.writer.stats } });
    }
  }

  private due(slot: Slot, lastWriteAt: number, now: number, all: boolean): boolean {
    return slot.start + slot.ms <= now && (all || now - lastWriteAt >= this.opts.sealIdleMs);
  }

  /** Seals what is due, parked shards included; `all` seals every shard whose slot has closed, regardless of idleness. */
  sealDue(now: number, all = false): ShardEvent[] {
    const events: ShardEvent[] = [];
    for (const shard of this.open.values()) if (this.due(shard.slot, shard.writer.lastWriteAt, now, all)) events.push(this.seal(shard));
    for (const p of this.parked.values()) if (this.due(p.slot, p.lastWriteAt, now, all)) events.push(this.sealParked(p));
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

  private seal(shard: OpenShard): ShardEvent {
    shard.writer.seal(this.opts.optimizeOnSeal);
    this.open.delete(shard.slot.key);
    return this.event('sealed', shard);
  }

  /** The writer of the shard file `rel` of this lane's `slot` (opened, or created). */
  private writerAt(rel: string, slot: Slot): ShardWriter {
    return new ShardWriter(join(this.opts.dir, rel), slot.start, slot.ms, this.opts.lane, this.opts.fsyncCommits ?? true);
  }

  /**
   * Seals a parked shard's file (open, fold the WAL in, close: a writer's reopening cost twice as much).
   * A file that is gone (deleted under nml) is reported sealed all the same, with the rows its writer
   * counted: the catalog then names it missing (lost-shards.ts) rather than forget those lines. One that
   * fails otherwise stays parked, and the next tick tries again.
   */
  private sealParked(p: ParkedShard): ShardEvent {
    try {
      sealClosedShard(join(this.opts.dir, p.rel), this.opts.optimizeOnSeal, this.opts.fsyncCommits ?? true);
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'ENOENT') throw e;
    }
    this.parked.delete(p.slot.key);
    return { kind: 'sealed', rel: p.rel, slotStart: p.slot.start, slotMs: p.slot.ms, lane: this.opts.lane, seq: p.seq, stats: { ...p.stats } };
  }

  /** The file of a slot's shard: a minute's (the store's slot) or a whole hour's. */
  private relOf(slot: Slot, seq: number): string {
    return slot.ms === this.opts.slotMs ? shardRelPath(slot.start, this.opts.lane, seq) : laneHourRelPath(slot.start, this.opts.lane, seq);
  }

  private shardFor(slot: Slot): OpenShard {
    const existing = this.open.get(slot.key);
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
      this.open.delete(slot.key);
      seq = existing.seq + 1;
    }
    const parked = this.parked.get(slot.key);
    if (parked !== undefined) {
      // the same file again: it was closed, not sealed
      const shard = { writer: this.writerAt(parked.rel, slot), rel: parked.rel, seq: parked.seq, slot };
      this.parked.delete(slot.key);
      this.open.set(slot.key, shard);
      return shard;
    }
    // a new file per (slot, lane) each time: sealed files are never written again, nor the names of
    // files a merge of the slot's hour replaced (a late line; see replaced.ts)
    let rel = this.relOf(slot, seq);
    const replaced = replacedIn(this.opts.dir, dirname(rel));
    while (existsSync(join(this.opts.dir, rel)) || replaced.has(rel)) rel = this.relOf(slot, ++seq);
    const writer = this.writerAt(rel, slot);
    const shard = { writer, rel, seq, slot };
    this.open.set(slot.key, shard);
    return shard;
  }

  private event(kind: ShardEvent['kind'], shard: OpenShard): ShardEvent {
    return { kind, rel: shard.rel, slotStart: shard.slot.start, slotMs: shard.slot.ms, lane: this.opts.lane, seq: shard.seq, stats: { ...shard.writer.stats } };
  }
}
