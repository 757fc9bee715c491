/** Small draws shared by the message families. */
import { intIn, type Rng } from '../prng.js';

/** A client's ephemeral source port. */
export function ephemeralPort(rng: Rng): number {
  return intIn(rng, 32768, 61000);
}

/** A process id for a short-lived process (an ssh session, a cron job). */
export function freshPid(rng: Rng): string {
  return String(intIn(rng, 1200, 99999));
}

/** Syslog PRI values used below (facility * 8 + severity). */
export const PRI = {
  kernWarning: 4,
  userInfo: 14,
  daemonNotice: 29,
  daemonInfo: 30,
  authNotice: 37,
  authInfo: 38,
  cronInfo: 78,
  authprivNotice: 85,
  authprivInfo: 86,
  local6Info: 182,
  local7Info: 190,
} as const;
