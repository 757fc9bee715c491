import type { Batcher } from './batcher.js';
import type { SourceStats } from './source.js';
import { isFormatHeader } from './format-header.js';

/**
 * What a splitter or framer hands on: decoded lines, without their terminators. `notUtf8`: the line's
 * bytes were not all UTF-8, so its text holds U+FFFD in their place (utf8.ts `replacedBytes`).
 */
export interface LineHandler {
  /** a whole line */
  line(text: string, notUtf8?: boolean): void;
  /** a stored line shorter than its frame: the head of an oversize frame, or a frame cut by a disconnect */
  cut(text: string, why: 'oversize' | 'partial', notUtf8?: boolean): void;
  /** a frame whose framing could not be honoured (its bytes are handled as described by the framer) */
  frameError(): void;
}

/**
 * Turns lines into records for one origin and applies the counting policy in one place:
 * empty lines are skipped (counted in `empty`), cut lines are stored and counted in `truncated`,
 * oversize frames also count a drop of their tail under `oversize`, lines stored with U+FFFD for bytes that
 * were not UTF-8 are counted in `notUtf8`. A file's format headers (Zeek TSV's
 * `#fields` …, W3C's `#Fields:` …, format-header.ts) are skipped and counted in `headers` where the owner asks for it.
 */
export class RecordEmitter implements LineHandler {
  /** receive time stamped on every record; the owner sets it once per chunk or datagram */
  receivedAt = 0;
  /** lines and frames handed on so far, empty ones included (so the next one's number is `frames + 1`) */
  frames = 0;
  /** oversize lines of this emitter, and the number of the first (1-based; a file's line number) */
  oversize = { count: 0, first: 0 };
  /** stored lines of this emitter whose bytes were not UTF-8, and the number of the first */
  notUtf8 = { count: 0, first: 0 };

  constructor(
    private readonly batcher: Batcher,
    private readonly stats: SourceStats,
    /** origin stamped on every record; a datagram source sets it per sender */
    public source: string,
    /** skip file format header lines (Zeek TSV, W3C) (files and stdin: a network sender's lines are all stored) */
    private readonly skipHeaders = false,
    /** host stamped on every record (RawRecord.host: for lines whose header names none); a datagram source sets it per sender */
    public host: string | undefined = undefined,
  ) {}

  line(text: string, notUtf8 = false): void {
    this.frames++;
    if (this.skipHeaders && isFormatHeader(text)) {
      this.stats.headers++;
      return;
    }
    this.emit(text, notUtf8);
  }

  private emit(text: string, notUtf8: boolean): void {
    if (text.length === 0) {
      this.stats.empty++;
      return;
    }
    this.stats.received++;
    if (notUtf8) {
      this.stats.notUtf8++;
      if (this.notUtf8.count++ === 0) this.notUtf8.first = this.frames;
    }
    const host = this.host;
    this.batcher.add(host === undefined ? { line: text, receivedAt: this.receivedAt, source: this.source } : { line: text, receivedAt: this.receivedAt, source: this.source, host });
  }

  cut(text: string, why: 'oversize' | 'partial', notUtf8 = false): void {
    this.frames++;
    if (why === 'oversize') {
      this.stats.drops.oversize++;
      if (this.oversize.count++ === 0) this.oversize.first = this.frames;
    }
    if (text.length === 0) return;
    this.stats.truncated++;
    this.emit(text, notUtf8);
  }

  frameError(): void {
    this.frames++;
    this.stats.drops.frame_error++;
  }
}

/** End of `buf[start..end)` with trailing LF, CR and NUL bytes removed. */
export function trimTerminators(buf: Uint8Array, start: number, end: number): number {
  let e = end;
  while (e > start) {
    const b = buf[e - 1];
    if (b !== 10 && b !== 13 && b !== 0) break;
    e--;
  }
  return e;
}
