/**
 * What people have said of the board's hosts: the SYN detector's findings that someone acknowledged,
 * resolved or marked a false positive, read every REFRESH_MS, shown as a mark beside the host's address so
 * that whoever watches the board does not chase a host already handled (the Alerts page sets them); the
 * mark opens the Alerts page on that host's finding.
 */
import { useEffect, useState } from 'react';
import { request } from '../../lib/api.ts';
import { formatAgo } from '../../lib/format.ts';
import { hasPage } from '../../lib/pages.ts';
import { Link } from '../../components/Link.tsx';
import { STATUS_LABEL } from '../alerts/Triage.tsx';
import type { FindingsResponse, FindingTriage } from '../../lib/types.ts';

const REFRESH_MS = 15_000;
/** the statuses a person sets (an open finding is what the board's colour already says) */
const SET_BY_PEOPLE = 'acknowledged,resolved,false-positive';

/** Source address → its `syn` finding's triage, for those a person has set. */
export function useSynTriage(): ReadonlyMap<string, FindingTriage> {
  const [marks, setMarks] = useState<ReadonlyMap<string, FindingTriage>>(new Map());
  useEffect(() => {
    const ac = new AbortController();
    const read = (background = false) =>
      request<FindingsResponse>('/api/findings', { params: { detector: 'syn', status: SET_BY_PEOPLE, limit: 1000 }, signal: ac.signal, background })
        .then((r) => setMarks(new Map(r.findings.filter((f) => f.entity.startsWith('ip:')).map((f) => [f.entity.slice(3), f.triage]))))
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

export function TriageMark({ ip, triage, now }: { ip: string; triage: FindingTriage | undefined; now: number }) {
  if (triage === undefined) return null;
  const label = STATUS_LABEL[triage.status];
  const title = `${label}${triage.by === null ? '' : ` by ${triage.by}`}${triage.at === null ? '' : ` ${formatAgo(triage.at, Math.max(now, triage.at))}`}${triage.note === '' ? '' : `: ${triage.note}`}`;
  const text = <span className={`board-triage st-${triage.status}`}>{label}</span>;
  return hasPage('/alerts') ? (
    <Link href={`/alerts?${new URLSearchParams({ status: 'all', detector: 'syn', entity: `ip:${ip}` }).toString()}`} className="board-triage-link" aria-label={`${ip}: ${title}; open the alerts`} title={title}>
      {text}
    </Link>
  ) : (
    <span title={title}>{text}</span>
  );
}
