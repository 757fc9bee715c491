import { trimTerminators, type LineHandler } from './line-handler.js';
import { DEFAULT_MAX_LINE_BYTES } from './line-splitter.js';
import { decodeCut, decodeLine } from './utf8.js';

const enum State {
  Start,
  Digits,
  /** digits and a space read: the payload's first byte says whether they are an octet count (`<`) */
  CountCheck,
  Line,
  Octets,
  /** an octet count above `maxLineBytes`: its first `maxLineBytes` bytes are kept */
  OversizeHead,
  /** the rest of an oversize octet-counted payload, skipped to its last byte */
  OversizeSkip,
  Discard,
}

/** Digits read at most for a count; more end the attempt and the frame is read as a line. */
const MAX_COUNT_DIGITS = 20;

/**
 * A count is trusted up to this: a syslog message of a gigabyte or more does not exist, so ten digits or
 * more are read as the start of a line (`1700000000 <13>...`) rather than skip that many bytes.
 */
const MAX_TRUSTED_COUNT = 999_999_999;

/** `<`: the first byte of a syslog message (its PRI), so of every octet-counted payload */
const PRI_OPEN = 0x3c;

/**
 * RFC 6587 framing, detected per frame so both framings may share a connection:
 * - octet counting: `[1-9][0-9]* SP` then exactly that many bytes (trailing LF/CR/NUL trimmed). The
 *   payload is a syslog message, so it starts with `<` (its PRI, RFC 6587 3.4.1 / RFC 5424): the digits
 *   and the space are held until the payload's first byte arrives, and only a `<` makes them a count;
 * - non-transparent: a line ended by LF or NUL, a CR before the terminator removed.
 * Plain lines that start with a number and a space (`3 workers started`, `64 bytes from ...`, epoch
 * seconds or milliseconds) are therefore lines, stored whole, with no error counted. A line-framed
 * message that starts with `<digits> <` is still read as octet-counted: that ambiguity is RFC 6587's own.
 * Policy for bad input (the server must survive anything, and bytes are never silently lost):
 * - a count above `maxLineBytes` before a `<`: the count is trusted (octet-counting senders never send
 *   LF, so there is no other frame boundary to find); the payload's first `maxLineBytes` bytes are
 *   stored and its rest skipped, counted as `oversize`;
 * - a count of a gigabyte or more (ten digits or more): no message is that long, so the frame is read
 *   as a line, whatever follows (trusting it would skip that many bytes of the lines after it);
 * - digits not followed by SP (`2024-01-01 ...`), or by SP and anything but `<`: an ordinary line;
 * - a line above `maxLineBytes` (every byte before the terminator counts): its first `maxLineBytes`
 *   bytes are stored, the rest is skipped to the next terminator, counted as `oversize`;
 * - a frame cut by `end()` (disconnect): the bytes received are stored as a `partial` line (a line
 *   without the CR that would have preceded its LF); digits and a space with nothing after them are a
 *   `frame_error` (nothing stored); an oversize payload whose head was stored is not stored again.
 * `frame_error` is counted only when nothing is stored: bytes re-read as a line are no loss.
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
        case State.CountCheck:
          this.checkCount(chunk[p]!);
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
    if (this.state === State.CountCheck) {
      this.out.frameError(); // a count whose payload never started
    } else if (this.state === State.Octets || this.state === State.OversizeHead) {
      // never empty here: a payload is entered on its first byte, and a stored head leaves OversizeHead
      this.cutHeld(this.state === State.Octets ? 'terminators' : 'none', 'partial');
    } else if ((this.state === State.Line || this.state === State.Digits) && this.held > 0) {
      this.cutHeld('cr', 'partial');
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
    if (chunk[p] !== 0x20 || this.digits === MAX_COUNT_DIGITS || this.count > MAX_TRUSTED_COUNT) {
      this.state = State.Line;
      return p;
    }
    // the space stays held too: the payload's first byte says whether they are a count
    this.hold(chunk.subarray(p, p + 1));
    this.state = State.CountCheck;
    return p + 1;
  }

  /**
   * `b`, the first byte after `<digits> `, is not consumed: a `<` starts the counted payload (the held
   * digits and space were framing), anything else continues a line that began with them.
   */
  private checkCount(b: number): void {
    if (b !== PRI_OPEN) {
      this.state = State.Line;
      return;
    }
    this.parts = [];
    this.held = 0;
    this.state = this.count > this.maxLineBytes ? State.OversizeHead : State.Octets;
  }

  /** Keeps an oversize payload's first `maxLineBytes` bytes, stores them, then skips the rest. */
  private pushOversizeHead(chunk: Buffer, p: number): number {
    const take = Math.min(this.maxLineBytes - this.held, chunk.length - p);
    this.hold(chunk.subarray(p, p + take));
    if (this.held === this.maxLineBytes) {
      this.cutHeld('none', 'oversize');
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
      const all = Buffer.concat(this.parts);
      decodeLine(this.out, all, 0, trimTerminators(all, 0, all.length));
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
    if (this.held === 0) {
      decodeLine(this.out, chunk, p, t > p && chunk[t - 1] === 13 ? t - 1 : t);
    } else {
      this.parts.push(chunk.subarray(p, t));
      const all = Buffer.concat(this.parts);
      this.parts = [];
      this.held = 0;
      decodeLine(this.out, all, 0, all.length > 0 && all[all.length - 1] === 13 ? all.length - 1 : all.length);
    }
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
    decodeCut(this.out, head, 0, head.length, 'oversize');
  }

  /** The held bytes stored as a cut line; `terminators` trims an octet payload's trailing LF/CR/NUL, `cr` a line's CR. */
  private cutHeld(trim: 'terminators' | 'cr' | 'none', why: 'oversize' | 'partial'): void {
    const all = Buffer.concat(this.parts);
    let end = all.length;
    if (trim === 'terminators') end = trimTerminators(all, 0, end);
    else if (trim === 'cr' && end > 0 && all[end - 1] === 13) end--;
    decodeCut(this.out, all, 0, end, why);
  }
}
