/**
 * The server's clock as the browser can tell it. A search that ends "now" is pinned in the browser
 * (pages/search/pinned-range.ts), but lines are stamped by the server's clock: a workstation whose clock
 * runs two minutes slow left the newest two minutes out of "the last 15 minutes", the lines an operator
 * most wants. Every API answer says the server's clock in ms (`X-NML-Time`), read at some moment between
 * sending and receiving: that bounds the difference of the two clocks within the round trip, and the
 * answers together narrow it.
 */
export const SERVER_TIME_HEADER = 'x-nml-time';

/** server clock − browser clock, in ms: at least `low`, at most `high` */
let low = -Infinity;
let high = Infinity;

/** Notes an answer's server time: `sentAt` and `receivedAt` are the browser's clock around the request. */
export function noteServerTime(header: string | null, sentAt: number, receivedAt: number): void {
  const t = header === null ? NaN : Number(header);
  if (!Number.isFinite(t) || t <= 0) return;
  const lo = t - receivedAt;
  const hi = t - sentAt;
  // bounds that do not meet: a clock was stepped since; start again from this answer
  if (lo > high || hi < low) [low, high] = [lo, hi];
  else [low, high] = [Math.max(low, lo), Math.min(high, hi)];
}

/**
 * The server's now, never past it (the browser's own clock before any answer): a range pinned to it may
 * leave out the last round trip's worth of lines, which the next search finds, but it never reaches
 * past the server's now, where lines still arriving would be counted by one request and not another.
 */
export const serverNow = (now = Date.now()): number => (low === -Infinity ? now : now + low);
