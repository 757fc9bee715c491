import { trimTerminators, type LineHandler } from './line-handler.js';
import { DEFAULT_MAX_LINE_BYTES } from './line-splitter.js';

const enum State {
  Start,
  Digits,
  Line,
  Octets,
  Discard,
}

/** A count longer than this many digits cannot be a length: the frame is read as a line. */
const MAX_COUNT_DIGITS = 20;

/**
 * RFC 6587 framing, detected per frame so both framings may share a connection:
 * - octet counting: `[1-9][0-9]* SP` then exactly that many bytes (trailing LF/CR/NUL trimmed);
 * - non-transparent: a line ended by LF or NUL, a CR before the terminator removed.
 * A line-framed message that happens to start with `<digits><space>` is read as octet-counted: the
 * ambiguity is RFC 6587's own (its non-transparent frames begin with `<PRI>`).
 * Policy for bad input (the server must survive anything, and bytes are never silently lost):
 * - a count above `maxLineBytes`: counted as `frame_error`, and the frame is read as a line instead;
 * - digits not followed by SP (`2024-01-01 ...`): an ordinary line, no error;
 * - a line above `maxLineBytes` (every byte before the terminator counts): its first `maxLineBytes`
 *   bytes are stored, the rest is skipped to the next terminator, counted as `oversize`;
 * - a frame cut by `end()` (disconnect): the bytes received are stored as a `partial` line; a count
 *   whose payload never started is a `frame_error`.
 * Output does not depend on how the stream was chunked.
 */
export class TcpFramer {
  private state = State.Start;
  private parts: Buffer[] = [];
  private held = 0;
  private count = 0;
  private digits = 0;

  constructor(
    private readonly out: LineHandler,
    private readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    const n = chunk.length;
    let p = 0;
    // Index of the next NUL at or after p, cached per chunk so a NUL-free chunk is scanned once.
    let nul = -2;
    while (p < n) {
      switch (this.state) {
        case State.Start: {
          const b = chunk[p]!;
          this.state = b >= 0x31 && b <= 0x39 ? State.Digits : State.Line;
          this.count = 0;
          this.digits = 0;
          break;
        }
        case State.Digits:
          p = this.pushDigits(chunk, p);
          break;
        case State.Octets:
          p = this.pushOctets(chunk, p);
          break;
        case State.Line:
        case State.Discard: {
          if (nul !== -1 && nul < p) nul = chunk.indexOf(0, p);
          const lf = chunk.indexOf(10, p);
          const t = lf === -1 ? nul : nul === -1 ? lf : Math.min(lf, nul);
          if (t === -1) {
            if (this.state === State.Line) this.hold(chunk.subarray(p));
            return;
          }
          if (this.state === State.Line) this.endLine(chunk, p, t);
          this.state = State.Start;
          p = t + 1;
          break;
        }
      }
    }
  }

  /** The stream ended: a frame in progress is stored as a partial line. */
  end(): void {
    if (this.state === State.Octets) {
      if (this.held === 0) this.out.frameError();
      else this.out.cut(this.decodeHeld(true), 'partial');
    } else if ((this.state === State.Line || this.state === State.Digits) && this.held > 0) {
      this.out.cut(this.decodeHeld(false), 'partial');
    }
    this.parts = [];
    this.held = 0;
    this.state = State.Start;
  }

  private pushDigits(chunk: Buffer, start: number): number {
    let p = start;
    while (p < chunk.length && this.digits < MAX_COUNT_DIGITS) {
      const b = chunk[p]!;
      if (b < 0x30 || b > 0x39) break;
      this.count = this.count * 10 + (b - 0x30);
      this.digits++;
      p++;
    }
    // The digits may turn out to be the start of an ordinary line, so they are kept.
    this.hold(chunk.subarray(start, p));
    if (p === chunk.length) return p;
    if (chunk[p] !== 0x20 || this.digits === MAX_COUNT_DIGITS) {
      if (chunk[p] === 0x20) this.out.frameError();
      this.state = State.Line;
      return p;
    }
    if (this.count > this.maxLineBytes) {
      this.out.frameError();
      this.state = State.Line;
      return p;
    }
    this.parts = [];
    this.held = 0;
    this.state = State.Octets;
    return p + 1;
  }

  private pushOctets(chunk: Buffer, p: number): number {
    const take = Math.min(this.count - this.held, chunk.length - p);
    this.hold(chunk.subarray(p, p + take));
    if (this.held === this.count) {
      this.out.line(this.decodeHeld(true));
      this.parts = [];
      this.held = 0;
      this.state = State.Start;
    }
    return p + take;
  }

  private endLine(chunk: Buffer, p: number, t: number): void {
    if (this.held + (t - p) > this.maxLineBytes) {
      this.hold(chunk.subarray(p, t));
      return;
    }
    let line: string;
    if (this.held === 0) {
      line = chunk.toString('utf8', p, t > p && chunk[t - 1] === 13 ? t - 1 : t);
    } else {
      this.parts.push(chunk.subarray(p, t));
      const all = Buffer.concat(this.parts);
      line = all.toString('utf8', 0, all.length > 0 && all[all.length - 1] === 13 ? all.length - 1 : all.length);
      this.parts = [];
      this.held = 0;
    }
    this.out.line(line);
  }

  /**
   * Keeps bytes of the frame in progress. A line that outgrows the limit is stored as its head; digits
   * and octet payloads are exempt here (their sizes are bounded by the count rules above).
   */
  private hold(piece: Buffer): void {
    if (piece.length > 0) {
      this.parts.push(Buffer.from(piece));
      this.held += piece.length;
    }
    if (this.state !== State.Line || this.held <= this.maxLineBytes) return;
    const head = Buffer.concat(this.parts, this.maxLineBytes);
    this.parts = [];
    this.held = 0;
    this.state = State.Discard;
    this.out.cut(head.toString('utf8'), 'oversize');
  }

  private decodeHeld(trim: boolean): string {
    const all = Buffer.concat(this.parts);
    return all.toString('utf8', 0, trim ? trimTerminators(all, 0, all.length) : all.length);
  }
}
