export interface ParseOptions {
  /**
   * Zone of timestamps that carry no offset (BSD syslog, most app logs): 'UTC' (default) or a fixed
   * offset in minutes east of UTC (120 for UTC+2, -300 for UTC-5). Explicit offsets always win.
   * Out-of-range values (beyond ±18 h, not finite) fall back to UTC.
   */
  timeZone?: 'UTC' | number;
  /** Year for BSD timestamps that carry none; when absent it is inferred from receivedAt. */
  defaultYear?: number;
  /** Set false to skip entity extraction (entities: []), e.g. to measure the header parser alone. */
  entities?: boolean;
}

/** What the timestamp readers need to know about the record and the options. */
export interface Clock {
  receivedAt: number;
  /** minutes east of UTC for timestamps without an offset */
  offsetMin: number;
  /** NaN when the year of BSD timestamps should be inferred */
  defaultYear: number;
}

const MAX_OFFSET_MIN = 18 * 60;

export function makeClock(receivedAt: number, opts: ParseOptions | undefined): Clock {
  let offsetMin = 0;
  let defaultYear = NaN;
  if (opts !== undefined) {
    const tz = opts.timeZone;
    if (typeof tz === 'number' && Number.isFinite(tz) && Math.abs(tz) <= MAX_OFFSET_MIN) offsetMin = Math.trunc(tz);
    const y = opts.defaultYear;
    if (typeof y === 'number' && Number.isInteger(y) && y >= 0 && y <= 9999) defaultYear = y;
  }
  return { receivedAt, offsetMin, defaultYear };
}
