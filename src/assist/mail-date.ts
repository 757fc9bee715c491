/**
 * A message's `Date:` header read here, not by mailparser: mailparser puts the current time in place of a
 * date it cannot read, so a SIEM's non-RFC date sorted its alert after the replies and today's date was
 * recorded as a time the mail gave. Unreadable here means no date.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Zone names in minutes east of UTC: RFC 5322's, and JST/KST for the Japanese mail this reads. */
const ZONES: Record<string, number> = { ut: 0, utc: 0, gmt: 0, z: 0, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420, jst: 540, kst: 540 };

/** RFC 5322 date-time, obsolete forms included: `[Day,] 20 Nov 2026 03:15[:00] +0900|GMT|…`. */
const RFC = /^(?:[a-z]{3,9}\s*,?\s*)?(\d{1,2})\s*-?\s*([a-z]{3})[a-z]*\.?\s*-?\s*(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[a-z]{1,5})?$/i;
/** A numeric date with an explicit zone, as SIEMs write: `2026-11-20T03:15:00+09:00`, `2026/11/20 03:15:00 JST`. */
const NUMERIC = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*(z|[+-]\d{2}:?\d{2}|[a-z]{2,5})$/i;

/** Minutes east of UTC for a zone as written; a missing or unknown name is UTC (RFC 5322 §4.3: treated as -0000). */
function zoneMinutes(zone: string | undefined): number | null {
  if (zone === undefined) return 0;
  const num = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (num === null) return ZONES[zone.toLowerCase()] ?? 0;
  const h = Number(num[2]);
  const m = Number(num[3]);
  if (h > 23 || m > 59) return null;
  return (num[1] === '-' ? -1 : 1) * (h * 60 + m);
}

/** Epoch milliseconds of the parts, or null when one is out of range (day 32, hour 99, year 100000). */
function epoch(year: number, month: number, day: number, h: number, min: number, sec: number, zone: number | null): number | null {
  if (zone === null || year < 1900 || year > 9999 || month < 0 || month > 11 || h > 23 || min > 59 || sec > 60) return null;
  const t = Date.UTC(year, month, day, h, min, Math.min(sec, 59)); // a leap second is the second before
  if (new Date(t).getUTCDate() !== day) return null; // 31 Feb rolled over into March
  return t - zone * 60_000;
}

/** The header's moment in epoch milliseconds, or null when it is not a date this can read. */
export function parseMailDate(header: string): number | null {
  // comments `(CET)` and folding are not part of the value
  const s = header.replace(/\([^()]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  const r = RFC.exec(s);
  if (r !== null) {
    const month = MONTHS.indexOf((r[2] as string).toLowerCase());
    let year = Number(r[3]);
    // RFC 5322 §4.3: two digits are 1950–2049, three are added to 1900
    if ((r[3] as string).length === 2) year += year < 50 ? 2000 : 1900;
    else if ((r[3] as string).length === 3) year += 1900;
    return epoch(year, month, Number(r[1]), Number(r[4]), Number(r[5]), Number(r[6] ?? 0), zoneMinutes(r[7]));
  }
  const n = NUMERIC.exec(s);
  if (n === null) return null;
  const zone = n[7] as string;
  if (/^[a-z]+$/i.test(zone) && ZONES[zone.toLowerCase()] === undefined) return null; // a zone this does not know: no date rather than a guess
  return epoch(Number(n[1]), Number(n[2]) - 1, Number(n[3]), Number(n[4]), Number(n[5]), Number(n[6] ?? 0), zoneMinutes(zone));
}

/** The value of the first `Date:` header among mailparser's raw header lines, unfolded; null when there is none. */
export function rawDateHeader(lines: readonly { key: string; line: string }[]): string | null {
  const h = lines.find((l) => l.key.toLowerCase() === 'date');
  return h === undefined ? null : h.line.replace(/^[^:]*:/, '').replace(/\r?\n[ \t]/g, ' ').trim();
}

/**
 * A forwarded message's `Date:` line as mail clients write it above the original: Gmail `Sat, Nov 21, 2026 at 3:14 AM`,
 * Apple Mail `November 21, 2026 at 3:14:05 AM GMT+9`, Outlook `Saturday, November 21, 2026 3:14 AM`, Japanese Gmail
 * `2026年11月21日(土) 3:14`, or any form `parseMailDate` reads. Gmail and Outlook write no zone: the time is the
 * forwarder's clock, so it is read in `zone` (minutes east of UTC), the forwarding message's own `Date:` zone.
 */
export function parseForwardedDate(value: string, zone: number): number | null {
  const rfc = parseMailDate(value);
  if (rfc !== null) return rfc;
  const s = value.replace(/\s+/g, ' ').trim();
  const en = /^(?:[a-z]+,? )?([a-z]{3,9})\.? (\d{1,2}),? (\d{4}),? (?:at )?(\d{1,2}):(\d{2})(?::(\d{2}))? ?([ap])?\.?m?\.?(?: ?(?:GMT|UTC) ?([+-])(\d{1,2})(?::?(\d{2}))?)?$/i.exec(s);
  if (en !== null) {
    const month = MONTHS.indexOf((en[1] as string).slice(0, 3).toLowerCase());
    const offset = en[8] === undefined ? zone : (en[8] === '-' ? -1 : 1) * (Number(en[9]) * 60 + Number(en[10] ?? 0));
    return epoch(Number(en[3]), month, Number(en[2]), hour24(Number(en[4]), en[7]), Number(en[5]), Number(en[6] ?? 0), offset);
  }
  const ja = /^(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*\([^)]*\))?\s*(?:(午前|午後)\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?$/u.exec(s);
  if (ja === null) return null;
  const h = Number(ja[5]) + (ja[4] === '午後' && Number(ja[5]) < 12 ? 12 : 0);
  return epoch(Number(ja[1]), Number(ja[2]) - 1, Number(ja[3]), h, Number(ja[6]), Number(ja[7] ?? 0), zone);
}

/** A 12-hour clock's hour in 24 (`12 AM` is 0, `3 PM` 15); an hour written without AM/PM as it is. */
function hour24(h: number, ampm: string | undefined): number {
  if (ampm === undefined) return h;
  if (h < 1 || h > 12) return 99; // out of range: no date
  return (h % 12) + (ampm.toLowerCase() === 'p' ? 12 : 0);
}

/** The zone of a `Date:` header as written (`+0900`, `-05:00`, `GMT`), in minutes east of UTC; 0 when none is read. */
export function headerZone(header: string | null): number {
  if (header === null) return 0;
  const m = /([+-])(\d{2}):?(\d{2})\s*(?:\([^)]*\))?\s*$/.exec(header.trim());
  if (m === null) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}
