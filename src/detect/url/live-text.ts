/** Words and entities of the live URL scorer's summed findings (live.ts). */
import { parseIp } from '../../core/index.js';

/** A host's summed finding: `domain:<host>`, or `ip:<addr>` for an address (IPv6 without brackets). */
export function hostEntity(host: string): string {
  const bare = host.replace(/^\[|\]$/g, '');
  return parseIp(bare) === null ? `domain:${host}` : `ip:${bare}`;
}

/** `2023-11-14 22:13:20 UTC` */
export const utcText = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** `1 h`, `30 min`, `45 s` */
export const quiet = (ms: number): string => (ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`);
