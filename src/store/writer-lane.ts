/**
 * The body of a writer worker: receives batches, turns records into stored lines with the preparer it
 * is given (parsing lives outside the store), commits everything that queued up meanwhile in one round,
 * then acknowledges. Runs inside a worker thread; the composition root supplies `prepare`.
 */
import type { MessagePort } from 'node:worker_threads';
import { toErrorData, type ErrorData } from '../core/index.js';
import { RelationWriter } from './relation-writer.js';
import { AppendFailure, ShardSet, type ShardEvent } from './shard-set.js';
import { storageError } from './storage-errors.js';
import { rawIndexText, typedTerm } from './terms.js';
import { hostOf } from './stored-source.js';
import type { StoredLine } from './shard-writer.js';
import type { FromLane, LaneData, RecordColumns, ToLane } from './writer-protocol.js';

/** `source`: the stored source, which carries the line's host where it has one (stored-source.ts); StoredLine.source keeps it so */
export type LinePreparer = (line: string, receivedAt: number, source: string) => StoredLine;

export function runWriterLane(port: MessagePort, data: LaneData, prepare: LinePreparer): void {
  const set = new ShardSet(data.shardSet);
  const relations = data.relations === null ? null : new RelationWriter({ ...data.relations, lane: data.shardSet.lane, maxOpen: 4 });
  let queue: Extract<ToLane, { type: 'write' }>[] = [];
  let scheduled = false;
  const post = (m: FromLane): void => port.postMessage(m);
  // a full or read-only disk says so (and what to do), not "internal error"
  const errorData = (e: unknown): ErrorData => toErrorData(storageError(e, data.shardSet.dir));

  const drain = (): void => {
    scheduled = false;
    while (queue.length > 0) {
      const round: typeof queue = [];
      let lines = 0;
      while (queue.length > 0 && (round.length === 0 || lines + queue[0]!.batch.lines.length <= data.maxLinesPerCommit)) {
        const m = queue.shift()!;
        round.push(m);
        lines += m.batch.lines.length;
      }
      commitRound(round);
    }
  };

  const commitRound = (round: typeof queue): void => {
    const ids = round.map((m) => m.id);
    const stored: StoredLine[] = [];
    /** where each batch's lines end in `stored` */
    const ends: number[] = [];
    const unprepared: Unprepared = { lines: 0, error: '' };
    try {
      for (const m of round) {
        prepareBatch(m.batch, prepare, stored, unprepared);
        ends.push(stored.length);
      }
      if (unprepared.lines > 0) post({ type: 'unprepared', ...unprepared });
      const shards = set.append(stored);
      // idle after this round (nothing queued): relations are written before the acknowledgement
      const relationFailed = !writeRelations(stored, queue.length === 0);
      post(relationFailed ? { type: 'ack', ids, shards, relationFailed } : { type: 'ack', ids, shards });
    } catch (e) {
      if (!(e instanceof AppendFailure) || e.committed.size === 0 || ends.length < round.length) {
        post({ type: 'nack', ids, error: errorData(e instanceof AppendFailure ? e.cause : e) });
        return;
      }
      failedPart(round, stored, ends, e);
    }
  };

  // Part of the round was committed: a batch whose lines all lie in committed slots is acknowledged,
  // the rest refused, and a refused batch some of whose lines were stored is named as partial, so that
  // a sender is not told that nothing of it was kept.
  const failedPart = (round: typeof queue, stored: StoredLine[], ends: number[], e: AppendFailure): void => {
    const done: number[] = [];
    const refused: number[] = [];
    const partial: number[] = [];
    let start = 0;
    round.forEach((m, i) => {
      let inCommitted = 0;
      for (let k = start; k < ends[i]!; k++) if (e.committed.has(set.slotKey(stored[k]!.time, e.now))) inCommitted++;
      const n = ends[i]! - start;
      if (inCommitted === n) done.push(m.id);
      else {
        refused.push(m.id);
        if (inCommitted > 0) partial.push(m.id);
      }
      start = ends[i]!;
    });
    const kept = stored.filter((l) => e.committed.has(set.slotKey(l.time, e.now)));
    const relationFailed = !writeRelations(kept, queue.length === 0);
    if (done.length > 0) post(relationFailed ? { type: 'ack', ids: done, shards: e.events, relationFailed } : { type: 'ack', ids: done, shards: e.events });
    post({ type: 'nack', ids: refused, error: errorData(e.cause), ...(done.length > 0 ? {} : { shards: e.events }), ...(partial.length > 0 ? { partial } : {}) });
  };

  // the relation index is derived data: a failure there must not refuse lines already committed to shards
  const writeRelations = (stored: StoredLine[], idle: boolean): boolean => {
    if (relations === null) return true;
    try {
      relations.add(stored);
      if (idle || relations.due) relations.flush();
      return true;
    } catch {
      return false;
    }
  };

  const sealTimer = setInterval(() => {
    try {
      const shards = set.sealDue(Date.now());
      if (shards.length > 0) post({ type: 'shards', shards });
      if (relations?.due === true) relations.flush();
      relations?.closeIdle(Date.now(), data.shardSet.sealIdleMs);
    } catch {
      // a seal that fails is retried on the next tick; the shard stays readable
    }
  }, data.sealCheckMs);

  port.on('message', (m: ToLane) => {
    if (m.type === 'write') {
      queue.push(m);
      if (!scheduled) {
        scheduled = true;
        setImmediate(drain);
      }
      return;
    }
    drain();
    let shards: ShardEvent[] = [];
    if (m.type === 'flush') {
      try {
        shards = set.sealDue(Date.now(), true);
        writeRelations([], true);
        post({ type: 'ack', ids: [m.id], shards });
      } catch (e) {
        // a seal that fails: the flush says so, the lane goes on (the seal timer retries)
        post({ type: 'nack', ids: [m.id], error: errorData(e) });
      }
    } else {
      clearInterval(sealTimer);
      queue = [];
      try {
        shards = set.closeAll(Date.now());
        relations?.closeAll();
        post({ type: 'closed', id: m.id, shards });
      } catch (e) {
        post({ type: 'nack', ids: [m.id], error: errorData(e) });
      }
      port.close();
    }
  });
}

/** Lines of a round whose preparer threw, and the first error's text. */
interface Unprepared {
  lines: number;
  error: string;
}

// A preparer that throws for one line (a parser bug) must not refuse the round, other clients' batches
// with it: the line is kept raw instead, and counted.
function prepareBatch(batch: RecordColumns, prepare: LinePreparer, out: StoredLine[], unprepared: Unprepared): void {
  const single = typeof batch.sources === 'string' ? batch.sources : null;
  for (let i = 0; i < batch.lines.length; i++) {
    const source = single ?? (batch.sources as string[])[i]!;
    try {
      out.push(prepare(batch.lines[i]!, batch.receivedAt[i]!, source));
    } catch (e) {
      if (unprepared.lines++ === 0) unprepared.error = e instanceof Error ? e.message : String(e);
      out.push(unpreparedLine(batch.lines[i]!, batch.receivedAt[i]!, source));
    }
  }
}

/** A line the preparer could not handle: stored as received, at its receive time, indexed as one that did not parse (`fmt_raw`). */
export function unpreparedLine(line: string, receivedAt: number, source: string): StoredLine {
  // isWellFormed/toWellFormed are Node 20's (ES2024, past this project's lib): a lone surrogate becomes U+FFFD, as the parser's path does
  const s = line as unknown as { isWellFormed(): boolean; toWellFormed(): string };
  const raw = s.isWellFormed() ? line : s.toWellFormed();
  // the host its source gives stays searchable (`host:`), as the parser's path would have made it
  const host = hostOf(source);
  return { time: receivedAt, receivedAt, source, raw, text: host === undefined ? rawIndexText(raw) : rawIndexText(raw) + ' ' + typedTerm('host', host) };
}
