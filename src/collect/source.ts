import type { DropReason, RecordSink } from '../core/index.js';
import { DROP_REASONS } from '../core/index.js';

/** Counters a source keeps; `stats()` hands out a copy. */
export interface SourceStats {
  /** lines (messages) that arrived, whether stored or dropped; empty lines are not counted here */
  received: number;
  /** bytes read from the medium, terminators and framing included */
  bytes: number;
  /** batches handed to `sink.write` */
  batches: number;
  /** records whose batch the sink acknowledged */
  committed: number;
  /** records stored shorter than the sender framed them: oversize heads and frames cut by a disconnect */
  truncated: number;
  /** empty lines skipped: they carry nothing to search */
  empty: number;
  /** a log file's format headers skipped (Zeek TSV's `#fields`, `#types` …, W3C's `#Fields:` …, format-header.ts): they describe the file, not an event */
  headers: number;
  /** lines stored with U+FFFD in place of bytes that are not UTF-8 (a device sending Latin-1, a binary fragment) */
  notUtf8: number;
  /** every record (or frame) not stored, by reason */
  drops: Record<DropReason, number>;
  /** open connections (tcp, tls) */
  connections?: number;
  /** connections refused because `maxConnections` were open (tcp, tls) */
  refusedConnections?: number;
}

/** A producer of raw records: owns its sockets or files, hands batches to a sink. */
export interface Source {
  /** e.g. `udp:0.0.0.0:514`, `tcp:127.0.0.1:6514`, `tls:...`, `file:/var/log/syslog`, `stdin` */
  readonly name: string;
  /** Resolves once the source is receiving (bound, opened); rejects with an AppError when it cannot. */
  start(sink: RecordSink): Promise<void>;
  /** Stops receiving, hands buffered records to the sink, waits for their commits, releases handles. */
  stop(): Promise<void>;
  stats(): SourceStats;
}

/** When a source hands a batch to the sink. */
export interface BatchOptions {
  /** flush at this many records (default 1000) */
  maxRecords?: number;
  /** flush a partial batch this long after its first record (default 5 ms) */
  lingerMs?: number;
  /** batches awaiting commit before a pausable source stops reading (default 4) */
  maxInFlight?: number;
}

export function newStats(): SourceStats {
  const drops = {} as Record<DropReason, number>;
  for (const reason of DROP_REASONS) drops[reason] = 0;
  return { received: 0, bytes: 0, batches: 0, committed: 0, truncated: 0, empty: 0, headers: 0, notUtf8: 0, drops };
}

export function copyStats(s: SourceStats): SourceStats {
  return { ...s, drops: { ...s.drops } };
}
