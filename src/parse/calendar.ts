/**
 * Calendar arithmetic on plain numbers: Date.UTC maps years 0..99 to 19xx and allocates nothing we
 * need, so civil dates are converted with Howard Hinnant's days-from-civil algorithm instead.
 */

const MS_PER_DAY = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** month is 1..12 */
export function daysInMonth(y: number, month: number): number {
  if (month === 2) return isLeapYear(y) ? 29 : 28;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date; month 1..12. */
export function daysFromCivil(y: number, month: number, day: number): number {
  const yy = month <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Year of the civil date that contains `ms` (UTC). */
export function yearOfMs(ms: number): number {
  const z = Math.floor(ms / MS_PER_DAY) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return yoe + era * 400 + (month <= 2 ? 1 : 0);
}

/** Milliseconds into the day of a clock time, or NaN when out of range (a 60th second is accepted: leap seconds are real on the wire). */
export function msOfDay(hour: number, minute: number, second: number, ms: number): number {
  if (hour > 23 || minute > 59 || second > 60) return NaN;
  return ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

/** Milliseconds since the epoch of a date and time of day at `offsetMin` minutes east of UTC; NaN for a date that does not exist. */
export function wallClockToMs(y: number, month: number, day: number, dayMs: number, offsetMin: number): number {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(y, month)) return NaN;
  return daysFromCivil(y, month, day) * MS_PER_DAY + dayMs - offsetMin * 60_000;
}
