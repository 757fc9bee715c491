/**
 * What people have said of the board's hosts: the SYN detector's findings that someone acknowledged,
 * resolved or marked a false positive, read every REFRESH_MS, shown as a mark beside the host's address so
 * that whoever watches the board does not chase a host already handled (the Alerts page sets them); the
 * mark opens the Alerts page on that host's finding. An open finding is marked too when the host's
 * score is now below the board's threshold: the finding was raised when it crossed the threshold (or
 * updated as the host's SYNs grew), and the board shows the latest score, which may have fallen since;
 * without the mark an amber row would contradict the open alert.
 */
import { useEffect, useState } from 'react';
import { request } from '../../lib/api.ts';
import { formatAgo } from '../../lib/format.ts';
import { serverNow } from '../../lib/server-clock.ts';
import { hasPage } from '../../lib/pages.ts';
import { Link } from '../../components/Link.tsx';
import { STATUS_LABEL } from '../alerts/Triage.tsx';
import type { Finding, FindingsResponse, FindingTriage } from '../../lib/types.ts';

const REFRESH_MS = 15_000;
/** the statuses a person sets (an open finding is what the board's colour already says) */
const SET_BY_PEOPLE = 'acknowledged,resolved,false-positive';

/** A host's `syn` finding as the board marks it: its triage, its highest score and the threshold it was raised at. */
export type BoardMark = Pick<Finding, 'triage' | 'score' | 'threshold' | 'count'>;

/** Source address → its `syn` finding, for those a person has set and those still open. */
export function useSynTriage(): ReadonlyMap<string, BoardMark> {
  const [marks, setMarks] = useState<ReadonlyMap<string, BoardMark>>(new Map());
  useEffect(() => {
    const ac = new AbortController();
    const ask = (status: string, background: boolean) =>
      request<FindingsResponse>('/api/findings', { params: { detector: 'syn', status, limit: 1000 }, signal: ac.signal, background });
    const read = (background = false) =>
      Promise.all([ask(SET_BY_PEOPLE, background), ask('open', background)])
        .then(([set, open]) => {
          const m = new Map<string, BoardMark>();
          for (const f of [...open.findings, ...set.findings]) if (f.entity.startsWith('ip:')) m.set(f.entity.slice(3), { triage: f.triage, score: f.score, threshold: f.threshold, count: f.count });
          setMarks(m);
        })
        .catch(() => undefined); // without findings (no store, or a failed read) the board is the board
    void read();
    const t = setInterval(() => void read(true), REFRESH_MS);
    return () => {
      ac.abort();
      clearInterval(t);
    };
  }, []);
  return marks;
}

/** What an open alert's mark says of a host now below the line. */
function openTitle(mark: BoardMark, score: number, threshold: number): string {
  const other = mark.threshold === threshold ? '' : ` (the alert was raised at threshold ${mark.threshold}, the board's is ${threshold})`;
  return `Alert open: this host's score reached ${mark.score.toFixed(3)}, at or above the threshold, and raised an alert; its current score, ${score.toFixed(3)}, is below the board's threshold ${threshold}${other}. The board shows the latest score, the alert the highest; the alert stays open until someone handles it.`;
}

/**
 * The mark beside a host's address: its finding's status when a person set one, or "alert open" when a
 * finding is open while the host's current `score` is below the board's `threshold` (above it, the red bar says it).
 */
/** The Alerts page on the SYN detector's findings of one address, whatever their status. */
export const synAlertsHref = (ip: string): string => `/alerts?${new URLSearchParams({ status: 'all', detector: 'syn', entity: `ip:${ip}` }).toString()}`;

export function TriageMark({ ip, mark, now, score, threshold }: { ip: string; mark: BoardMark | undefined; now: number; score: number; threshold: number }) {
  if (mark === undefined) return null;
  const triage: FindingTriage = mark.triage;
  if (triage.status === 'open' && score >= threshold) return null;
  const label = triage.status === 'open' ? 'alert open' : STATUS_LABEL[triage.status];
  const title =
    triage.status === 'open'
      ? openTitle(mark, score, threshold)
      : `${label}${triage.by === null ? '' : ` by ${triage.by}`}${triage.at === null ? '' : ` ${formatAgo(triage.at, Math.max(serverNow(now), triage.at))}`}${triage.note === '' ? '' : `: ${triage.note}`}`;
  const text = <span className={`board-triage st-${triage.status}`}>{label}</span>;
  return hasPage('/alerts') ? (
    <Link href={synAlertsHref(ip)} className="board-triage-link" aria-label={`${ip}: ${title}; open the alerts`} title={title}>
      {text}
    </Link>
  ) : (
    <span title={title}>{text}</span>
  );
}
