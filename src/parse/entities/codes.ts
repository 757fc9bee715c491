/**
 * The UTF-16 code units of the text being scanned, in a typed array. The word scan reads every
 * character of every line, and a message is nearly always a slice of its line (a V8 SlicedString),
 * where each charCodeAt costs an indirection: copying the text once with a native call and reading
 * the array is two to three times faster. codes[i] === text.charCodeAt(i) for i < text.length.
 *
 * Past the end the array holds zeros (PAD of them), so the few reads just past a word that may hit
 * the end of the text see a NUL, which every check treats like the NaN a string returns there: not
 * a digit, letter, separator or bracket.
 */
import { Buffer } from 'node:buffer';
import { endianness } from 'node:os';

const PAD = 4;
/** Longer texts get an array of their own rather than growing the shared one for good. */
const MAX_SHARED = 1 << 16;
const LITTLE_ENDIAN = endianness() === 'LE';

let shared = new Uint16Array(1024);
let sharedBytes = Buffer.from(shared.buffer);

function fill(text: string, codes: Uint16Array, bytes: Buffer): Uint16Array {
  const n = text.length;
  // The caller made room for the text and PAD, so write() copies all of it.
  if (LITTLE_ENDIAN) bytes.write(text, 0, 'utf16le');
  else for (let i = 0; i < n; i++) codes[i] = text.charCodeAt(i);
  for (let i = n; i < n + PAD; i++) codes[i] = 0;
  return codes;
}

/** The code units of `text` (valid until the next call): a shared array, reused from line to line. */
export function codesOf(text: string): Uint16Array {
  const need = text.length + PAD;
  if (need > shared.length) {
    if (need > MAX_SHARED) {
      const own = new Uint16Array(need);
      return fill(text, own, Buffer.from(own.buffer));
    }
    let size = shared.length;
    while (size < need) size *= 2;
    shared = new Uint16Array(size);
    sharedBytes = Buffer.from(shared.buffer);
  }
  return fill(text, shared, sharedBytes);
}
