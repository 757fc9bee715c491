import { isUtf8 } from 'node:buffer';
import type { LineHandler } from './line-handler.js';

/**
 * Whether decoding `bytes[start, end)` as UTF-8 gave `text` with U+FFFD in place of bytes that are not
 * UTF-8 (a device sending Latin-1, a binary fragment). A valid line pays one search of its text, which
 * V8 answers at once for a string of Latin-1 range characters; only text holding U+FFFD has its bytes
 * checked, since they may have held a real U+FFFD (EF BF BD).
 */
export function replacedBytes(text: string, bytes: Uint8Array, start: number, end: number): boolean {
  return text.indexOf('\uFFFD') !== -1 && !isUtf8(bytes.subarray(start, end));
}

/**
 * `end` moved back (at most 3 bytes) so that `bytes[start, end)` does not end inside a UTF-8 sequence:
 * a line cut at a byte limit keeps whole characters, rather than a U+FFFD that the sender never sent.
 */
export function charBoundary(bytes: Uint8Array, start: number, end: number): number {
  for (let back = 1; back <= 3 && end - back >= start; back++) {
    const b = bytes[end - back]!;
    if (b < 0x80) return end; // ASCII: nothing is cut
    if (b >= 0xc2 && b <= 0xf4) {
      // a lead byte: the sequence it starts is cut when it needs more bytes than follow it
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return length > back ? end - back : end;
    }
    if (b >= 0xc0) return end; // never in UTF-8: nothing to keep whole
  }
  return end;
}

/** Hands `bytes[start, end)` to `out` as a whole line, saying whether its bytes were not all UTF-8. */
export function decodeLine(out: LineHandler, bytes: Buffer, start: number, end: number): void {
  const text = bytes.toString('utf8', start, end);
  out.line(text, replacedBytes(text, bytes, start, end));
}

/** Hands `bytes[start, end)`, a line cut at a byte limit or by a disconnect, to `out` as a cut line of whole characters. */
export function decodeCut(out: LineHandler, bytes: Buffer, start: number, end: number, why: 'oversize' | 'partial'): void {
  const cut = charBoundary(bytes, start, end);
  const text = bytes.toString('utf8', start, cut);
  out.cut(text, why, replacedBytes(text, bytes, start, cut));
}

/**
 * Lines of `bytes` (split on LF), decoded whole into `text`, whose bytes are not UTF-8 and so hold
 * U+FFFD in `text` (an HTTP body decoded at once). A valid body pays `replacedBytes`'s search alone.
 */
export function notUtf8Lines(bytes: Buffer, text: string): number {
  if (!replacedBytes(text, bytes, 0, bytes.length)) return 0;
  let count = 0;
  for (let from = 0; from <= bytes.length; ) {
    const lf = bytes.indexOf(10, from);
    const end = lf === -1 ? bytes.length : lf;
    if (!isUtf8(bytes.subarray(from, end))) count++;
    from = end + 1;
  }
  return count;
}
