/**
 * Whether what a page shows has gone stale: the one test the Live page's figures and the Hosts board
 * share. A server that hangs (stopped, or a proxy holding the connection) sends no error, only silence.
 */

/** How long ago `at` was (ms) when that is more than `limitMs` at `now`, or null while it is not (or nothing came yet). */
export function staleAge(at: number | null, now: number, limitMs: number): number | null {
  if (at === null) return null;
  const age = now - at;
  return age > limitMs ? age : null;
}
