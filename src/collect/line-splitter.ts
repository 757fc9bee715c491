import type { LineHandler } from './line-handler.js';
import { decodeCut, decodeLine, replacedBytes } from './utf8.js';

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

/**
 * Splits a byte stream on LF (a CR before the LF is removed), for files and stdin.
 * A line longer than `maxLineBytes` (every byte before its LF counts) is stored as its first
 * `maxLineBytes` bytes and its tail is skipped up to the next LF. Output does not depend on how the
 * stream was chunked: the fuzz test holds it to that.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private held = 0;
  private discarding = false;

  constructor(
    private readonly out: LineHandler,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    if (this.discarding) {
      const lf = chunk.indexOf(10);
      if (lf === -1) return;
      this.discarding = false;
      start = lf + 1;
    }
    const lastLf = chunk.lastIndexOf(10);
    if (lastLf < start) {
      this.hold(chunk.subarray(start));
      return;
    }
    if (this.held > 0) {
      // Only the carried line is joined; copying the whole chunk onto it would double the work.
      const firstLf = chunk.indexOf(10, start);
      this.endHeldLine(chunk.subarray(start, firstLf));
      start = firstLf + 1;
    }
    if (start <= lastLf) {
      const region = chunk.subarray(start, lastLf);
      // Decoding a whole region at once is the fast path; it is exact because LF never occurs
      // inside a UTF-8 sequence. Only a region that may hold an oversize line needs byte offsets.
      if (region.length <= this.maxLineBytes) this.splitDecoded(region);
      else this.splitByBytes(region);
    }
    if (lastLf + 1 < chunk.length) this.hold(chunk.subarray(lastLf + 1));
  }

  /** Emits the last line when it had no LF. */
  end(): void {
    if (this.held > 0) this.emitLine(Buffer.concat(this.parts));
    this.parts = [];
    this.held = 0;
    this.discarding = false;
  }

  private endHeldLine(piece: Buffer): void {
    this.parts.push(piece);
    const length = this.held + piece.length;
    const line = Buffer.concat(this.parts, Math.min(length, this.maxLineBytes));
    this.parts = [];
    this.held = 0;
    if (length > this.maxLineBytes) decodeCut(this.out, line, 0, line.length, 'oversize');
    else this.emitLine(line);
  }

  /** A line's bytes, a CR before its end removed. */
  private emitLine(bytes: Buffer, from = 0, end = bytes.length): void {
    decodeLine(this.out, bytes, from, end > from && bytes[end - 1] === 13 ? end - 1 : end);
  }

  private hold(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.held + piece.length <= this.maxLineBytes) {
      // Copied: a reader may reuse its buffer for the next chunk.
      this.parts.push(Buffer.from(piece));
      this.held += piece.length;
      return;
    }
    this.parts.push(piece);
    const head = Buffer.concat(this.parts, this.maxLineBytes);
    this.parts = [];
    this.held = 0;
    this.discarding = true;
    decodeCut(this.out, head, 0, head.length, 'oversize');
  }

  private splitDecoded(region: Buffer): void {
    const text = region.toString('utf8');
    // rare: some line's bytes may not be UTF-8, and which one is told by its own bytes
    if (replacedBytes(text, region, 0, region.length)) return this.splitByBytes(region);
    let from = 0;
    for (;;) {
      const lf = text.indexOf('\n', from);
      if (lf === -1) break;
      this.out.line(stripCr(text.slice(from, lf)));
      from = lf + 1;
    }
    this.out.line(stripCr(text.slice(from)));
  }

  private splitByBytes(region: Buffer): void {
    let from = 0;
    for (;;) {
      const lf = region.indexOf(10, from);
      const end = lf === -1 ? region.length : lf;
      if (end - from > this.maxLineBytes) decodeCut(this.out, region, from, from + this.maxLineBytes, 'oversize');
      else this.emitLine(region, from, end);
      if (lf === -1) return;
      from = lf + 1;
    }
  }
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}
