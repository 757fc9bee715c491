/** The Alerts header's word on the list: live, not updating, loading, or not current (its load failed). */
import { formatAgo, formatUtc } from '../../lib/format.ts';

export function ListState({
  load,
  updatedAt,
  now,
  refreshError,
  refreshMs,
}: {
  load: 'loading' | 'ok' | 'absent' | 'error';
  /** when the rows shown were last read for this filter (null: none are) */
  updatedAt: number | null;
  now: number;
  refreshError: string | null;
  refreshMs: number;
}) {
  if (load === 'loading') return <span className="alerts-updated faint">loading…</span>;
  if (load === 'error') {
    return (
      <span className="alerts-updated not-live">
        not current: the list could not be loaded{updatedAt === null ? '' : `; last read ${formatAgo(updatedAt, Math.max(now, updatedAt))}`}
      </span>
    );
  }
  if (updatedAt === null) return null;
  return (
    <span className={`alerts-updated ${refreshError === null ? 'faint' : 'not-live'}`} title={`fetched again every ${refreshMs / 1000} s; last at ${formatUtc(updatedAt)}`}>
      {refreshError === null ? 'live, checked' : 'not updating; last read'} {formatAgo(updatedAt, Math.max(now, updatedAt))}
    </span>
  );
}
