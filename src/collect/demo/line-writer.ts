/**
 * Writes ASCII lines straight into a growable byte buffer. The generator builds every line here
 * instead of concatenating strings: a line then costs no garbage (no rope of cons strings to
 * collect and flatten), a corpus is written from the bytes as they are, and a line that is wanted
 * as a string is decoded once, flat.
 */

/** No generated line comes near this; a needle's text is capped well below it. */
export const MAX_LINE_BYTES = 4096;

export class LineWriter {
  buf: Buffer;
  pos = 0;

  constructor(capacity = 1 << 20) {
    this.buf = Buffer.allocUnsafe(Math.max(capacity, MAX_LINE_BYTES * 2));
  }

  /** Makes room for one more line (call before each line). */
  reserveLine(): void {
    if (this.buf.length - this.pos >= MAX_LINE_BYTES) return;
    const bigger = Buffer.allocUnsafe(this.buf.length * 2);
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  /** Appends an ASCII string (every generated text is ASCII). */
  s(text: string): this {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < text.length; i++) b[p++] = text.charCodeAt(i);
    this.pos = p;
    return this;
  }

  /** Appends a non-negative integer in decimal. */
  n(value: number): this {
    const b = this.buf;
    if (value < 10) {
      b[this.pos++] = 48 + value;
      return this;
    }
    let digits = 1;
    for (let x = value; x >= 10; x = Math.floor(x / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    for (let x = value; x > 0; x = Math.floor(x / 10)) b[--p] = 48 + (x % 10);
    return this;
  }

  /** Appends a non-negative integer left-padded with spaces to `width`. */
  padded(value: number, width: number): this {
    let digits = 1;
    for (let x = value; x >= 10; x = Math.floor(x / 10)) digits++;
    for (; digits < width; digits++) this.buf[this.pos++] = 32;
    return this.n(value);
  }

  /** The text from `start` to the current position, as a flat string. */
  text(start: number): string {
    return this.buf.toString('latin1', start, this.pos);
  }
}

/**
 * The same text as one flat, sequential string. Strings built by `+` are ropes; copying a rope's
 * characters one by one takes the slow path on every character, so every string that is written
 * over and over (pools, per-second timestamps) is flattened once when it is built.
 */
export function flat(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}
