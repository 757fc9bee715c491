/**
 * Fixed-width digit readers over a string: timestamps are read by position, never by regex or
 * slicing, because this runs on every ingested line. Out-of-range indexes read as "not a digit".
 */

export function digitAt(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** Two digits at i, or -1. */
export function d2(s: string, i: number): number {
  const a = digitAt(s, i);
  const b = digitAt(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** Four digits at i, or -1. */
export function d4(s: string, i: number): number {
  const a = d2(s, i);
  const b = d2(s, i + 2);
  return a < 0 || b < 0 ? -1 : a * 100 + b;
}

/** End of a run of digits starting at i (i itself when there is none). */
export function digitsEnd(s: string, i: number): number {
  let j = i;
  while (digitAt(s, j) >= 0) j++;
  return j;
}

/** Milliseconds from the fraction digits in [a, b): `5` is 500 ms, `123456` is 123 ms. */
export function fractionMs(s: string, a: number, b: number): number {
  let ms = 0;
  let scale = 100;
  for (let i = a; i < b && scale >= 1; i++) {
    ms += (s.charCodeAt(i) - 48) * scale;
    scale /= 10;
  }
  return ms;
}

export function isSpaceAt(s: string, i: number): boolean {
  return s.charCodeAt(i) === 32;
}
