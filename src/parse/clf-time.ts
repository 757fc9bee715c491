/**
 * The time of an Apache or nginx access-log line (Common and Combined Log Format, and Apache's
 * vhost_combined with `vhost:port` first): `203.0.113.5 - alice [30/Nov/2026:10:00:00 +0000] "GET …`,
 * the bracketed time after the third (or fourth) space-separated field, with its own offset. Replayed web
 * logs were filed at their arrival (a review). A user field with a space in it is not read.
 */
import { msOfDay, wallClockToMs } from './calendar.js';
import { d2, d4 } from './digits.js';
import { monthAt } from './timestamp.js';

/** How far into the line the bracket may open (host names and users are short). */
const MAX_PREFIX = 512;

export function clfTimeAt(s: string, i: number): number {
  let j = i;
  for (let field = 1; field <= 4; field++) {
    const sp = s.indexOf(' ', j);
    if (sp <= j || sp - i > MAX_PREFIX) return NaN;
    j = sp + 1;
    if (field >= 3 && s.charCodeAt(j) === 91) return bracketed(s, j + 1);
  }
  return NaN;
}

/** `dd/Mon/yyyy:hh:mm:ss ±hhmm]` at j: its time, or NaN. */
function bracketed(s: string, j: number): number {
  const day = d2(s, j);
  const month = monthAt(s, j + 3);
  const year = d4(s, j + 7);
  const h = d2(s, j + 12);
  const mi = d2(s, j + 15);
  const sec = d2(s, j + 18);
  const sign = s.charCodeAt(j + 21);
  const oh = d2(s, j + 22);
  const om = d2(s, j + 24);
  if (day < 0 || month === 0 || year < 0 || h < 0 || mi < 0 || sec < 0 || oh < 0 || oh > 14 || om < 0 || om > 59) return NaN;
  if (s.charCodeAt(j + 2) !== 47 || s.charCodeAt(j + 6) !== 47 || s.charCodeAt(j + 11) !== 58 || s.charCodeAt(j + 14) !== 58 || s.charCodeAt(j + 17) !== 58) return NaN;
  if (s.charCodeAt(j + 20) !== 32 || (sign !== 43 && sign !== 45) || s.charCodeAt(j + 26) !== 93) return NaN;
  return wallClockToMs(year, month, day, msOfDay(h, mi, sec, 0), (sign === 45 ? -1 : 1) * (oh * 60 + om));
}
