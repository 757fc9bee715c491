/**
 * Which time a line is filed and found under: its own (parsed) time, unless it has none, is before the
 * epoch, or is more than a day ahead of when it arrived (a wrong clock or year), when it is the receive
 * time. The writer lanes, the live tail and the URL detector's findings all use this one rule, so that a
 * finding's evidence window is where the store put its line (a capture or log replayed days later too).
 * The year of a year-less syslog date is inferred within the same bound (year.ts), so it is never discarded here.
 */
export const MAX_FUTURE_MS = 24 * 3600_000;
/** The first instant of year 10000: the store's shard paths hold a four-digit year. */
export const TIME_LIMIT = Date.UTC(10000, 0, 1);

export function trustedTime(parsed: number, receivedAt: number): number {
  return Number.isFinite(parsed) && parsed <= receivedAt + MAX_FUTURE_MS && parsed >= 0 && parsed < TIME_LIMIT ? parsed : receivedAt;
}
