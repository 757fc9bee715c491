import { trimTerminators, type LineHandler } from './line-handler.js';
import { DEFAULT_MAX_LINE_BYTES } from './line-splitter.js';

const enum State {
  Start,
  Digits,
  Line,
  Octets,
  /** an octet count above `maxLineBytes` read: trusted if the payload starts as syslog does (`<`) */
  OversizeCheck,
  /** an octet count above `maxLineBytes`: its first `maxLineBytes` bytes are kept */
  OversizeHead,
  /** the rest of an oversize octet-counted payload, skipped to its last byte */
  OversizeSkip,
  Discard,
}

/** Digits read at most for a count; more end the attempt and the frame is read as a line. */
const MAX_COUNT_DIGITS = 20;

/**
 * An oversize count is trusted up to this: a syslog message of a gigabyte or more does not exist, and a
 * count of ten digits is what a line that starts with epoch seconds (`1700000000 ...`) looks like, so
 * such a frame is read as a line rather than having up to that many bytes of the stream skipped.
 */
const MAX_TRUSTED_COUNT = 999_999_999;

/**
 * RFC 6587 framing, detected per frame so both framings may share a connection:
 * - octet counting: `[1-9][0-9]* SP` then exactly that many bytes (trailing LF/CR/NUL trimmed);
 * - non-transparent: a line ended by LF or NUL, a CR before the terminator removed.
 * A line-framed message that happens to start with `<digits><space>` is read as octet-counted: the
 * ambiguity is RFC 6587's own (its non-transparent frames begin with `<PRI>`).
 * Policy for bad input (the server must survive anything, and bytes are never silently lost):
 * - a count above `maxLineBytes` whose payload starts with `<` (a syslog message's PRI): the count is
 *   trusted (octet-counting senders never send LF, so there is no other frame boundary to find); the
 *   payload's first `maxLineBytes` bytes are stored and its rest skipped, counted as `oversize`. Any
 *   other payload (`20241201 10:00:00 …`, a date at the start of a plain line) is `frame_error` and the
 *   frame is read as a line: trusting it would skip megabytes of the lines after it;
 * - a count of a gigabyte or more (ten digits or more) above `maxLineBytes`: no message is that long,
 *   so it is counted as `frame_error` and the frame is read as a line instead;
 * - digits not followed by SP (`2024-01-01 ...`): an ordinary line, no error;
 * - a line above `maxLineBytes` (every byte before the terminator counts): its first `maxLineBytes`
 *   bytes are stored, the rest is skipped to the next terminator, counted as `oversize`;
 * - a frame cut by `end()` (disconnect): the bytes received are stored as a `partial` line (a line
 *   without the CR that would have preceded its LF); a count whose payload never started is a
 *   `frame_error`; an oversize payload whose head was stored is not stored again.
 * Output does not depend on how the stream was chunked.
 */
export class TcpFramer {
  private state = State.Start;
  private parts: Buffer[] = [];
  private held = 0;
  private count = 0;
  private digits = 0;
  /** bytes of an oversize payload still to skip */
  private skip = 0;

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
        case State.OversizeCheck:
          if (chunk[p] === 0x3c) {
            this.parts = [];
            this.held = 0;
            this.state = State.OversizeHead;
          } else {
            this.out.frameError();
            this.state = State.Line;
          }
          break;
        case State.OversizeHead:
          p = this.pushOversizeHead(chunk, p);
          break;
        case State.OversizeSkip: {
          const take = Math.min(this.skip, n - p);
          this.skip -= take;
          p += take;
          if (this.skip === 0) this.state = State.Start;
          break;
        }
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
    if (this.state === State.OversizeCheck) {
      this.out.frameError(); // a count whose payload never started
    } else if (this.state === State.Octets || this.state === State.OversizeHead) {
      if (this.held === 0) this.out.frameError();
      else this.out.cut(this.decodeHeld(this.state === State.Octets ? 'terminators' : 'none'), 'partial');
    } else if ((this.state === State.Line || this.state === State.Digits) && this.held > 0) {
      this.out.cut(this.decodeHeld('cr'), 'partial');
    }
    this.parts = [];
    this.held = 0;
    this.skip = 0;
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
    if (this.count > this.maxLineBytes && this.count > MAX_TRUSTED_COUNT) {
      this.out.frameError();
      this.state = State.Line;
      return p;
    }
    if (this.count > this.maxLineBytes) {
      // the digits and the space stay held: the payload's first byte says whether they are a count
      this.hold(chunk.subarray(p, p + 1));
      this.state = State.OversizeCheck;
      return p + 1;
    }
    // The count is trusted: its digits are framing, not message.
    this.parts = [];
    this.held = 0;
    this.state = State.Octets;
    return p + 1;
  }

  /** Keeps an oversize payload's first `maxLineBytes` bytes, stores them, then skips the rest. */
  private pushOversizeHead(chunk: Buffer, p: number): number {
    const take = Math.min(this.maxLineBytes - this.held, chunk.length - p);
    this.hold(chunk.subarray(p, p + take));
    if (this.held === this.maxLineBytes) {
      this.out.cut(this.decodeHeld('none'), 'oversize');
      this.parts = [];
      this.held = 0;
      this.skip = this.count - this.maxLineBytes;
      this.state = State.OversizeSkip;
    }
    return p + take;
  }

  private pushOctets(chunk: Buffer, p: number): number {
    const take = Math.min(this.count - this.held, chunk.length - p);
    this.hold(chunk.subarray(p, p + take));
    if (this.held === this.count) {
      this.out.line(this.decodeHeld('terminators'));
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
   * and octet payloads are exempt here (their sizes are bounded by the count and `maxLineBytes`).
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

  /** The held bytes decoded; `terminators` trims an octet payload's trailing LF/CR/NUL, `cr` a line's CR. */
  private decodeHeld(trim: 'terminators' | 'cr' | 'none'): string {
    const all = Buffer.concat(this.parts);
    let end = all.length;
    if (trim === 'terminators') end = trimTerminators(all, 0, end);
    else if (trim === 'cr' && end > 0 && all[end - 1] === 13) end--;
    return all.toString('utf8', 0, end);
  }
}
