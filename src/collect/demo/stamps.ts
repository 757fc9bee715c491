/**
 * Timestamp texts for every format a line carries, rebuilt only when the second changes: at
 * benchmark rates thousands of lines share one second, so formatting is paid once per second.
 * All in UTC so a seed gives the same bytes on every machine.
 */

import { flat } from './line-writer.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** '000' .. '999' */
export const MILLIS: string[] = Array.from({ length: 1000 }, (_, i) => flat(String(i).padStart(3, '0')));

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

export class Stamps {
  private second = -1;
  /** RFC 3164: `Jan  6 08:00:00` */
  rfc3164 = '';
  /** RFC 5424 up to the dot: `2025-01-06T08:00:00.` (append `millis()` and `Z`) */
  isoSecond = '';
  /** common log format: `06/Jan/2025:08:00:00 +0000` */
  clf = '';
  /** PAN-OS: `2025/01/06 08:00:00` */
  pan = '';
  /** the current ms-of-second, as three digits */
  ms = '000';

  /** Moves to time `t` (ms since epoch). */
  set(t: number): void {
    this.ms = MILLIS[((t % 1000) + 1000) % 1000]!;
    const second = Math.floor(t / 1000);
    if (second === this.second) return;
    this.second = second;
    const d = new Date(second * 1000);
    const mon = MONTHS[d.getUTCMonth()]!;
    const day = d.getUTCDate();
    const hms = two(d.getUTCHours()) + ':' + two(d.getUTCMinutes()) + ':' + two(d.getUTCSeconds());
    const year = d.getUTCFullYear();
    const mm = two(d.getUTCMonth() + 1);
    this.rfc3164 = flat(mon + (day < 10 ? '  ' : ' ') + day + ' ' + hms);
    this.isoSecond = flat(year + '-' + mm + '-' + two(day) + 'T' + hms + '.');
    this.clf = flat(two(day) + '/' + mon + '/' + year + ':' + hms + ' +0000');
    this.pan = flat(year + '/' + mm + '/' + two(day) + ' ' + hms);
  }
}
