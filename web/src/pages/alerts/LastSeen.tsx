/**
 * A finding's latest event, and, when NML raised or saw it again long after that (an old log loaded
 * late), when it did: the list is in that order (`sort=sighted`), which the event time alone did not
 * explain (a UX review saw "6d ago" second of seven, above findings of minutes ago).
 */
import { formatAgo, formatUtc } from '../../lib/format.ts';
import { serverNow } from '../../lib/server-clock.ts';
import type { Finding } from '../../lib/types.ts';

/** Raised this long after its latest event, a finding says so. */
const LATE_MS = 3_600_000;

/** `now`: the browser's clock; the finding's times are the server's, measured on its clock (server-clock.ts) */
export function LastSeenCell({ f, now: browserNow }: { f: Finding; now: number }) {
  const now = serverNow(browserNow);
  const sighted = f.sightedAt ?? 0;
  const late = sighted > 0 && sighted - f.lastSeen > LATE_MS;
  return (
    <td className="nowrap c-last" title={late ? `${formatUtc(f.lastSeen, true)}; raised by NML ${formatUtc(sighted, true)}` : formatUtc(f.lastSeen, true)}>
      {formatAgo(f.lastSeen, now)}
      {late && <div className="faint">raised {formatAgo(sighted, Math.max(now, sighted))}</div>}
    </td>
  );
}
