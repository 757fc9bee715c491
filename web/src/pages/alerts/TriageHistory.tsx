/**
 * A finding's status changes in its triage form: who set what, when, with which note, the sightings
 * that opened it again after it was resolved, who assigned it to whom, and an unassignment when its user was removed or made a viewer (`GET /api/findings/:id/history`), newest first.
 */
import { useEffect, useState } from 'react';
import { request } from '../../lib/api.ts';
import { formatUtc } from '../../lib/format.ts';
import type { FindingHistoryResponse, FindingTriageEvent } from '../../lib/types.ts';

/** Who set a status as the page names them (the API token is not a person's name). */
const by = (name: string | null): string => (name === null ? 'someone' : name === 'api-token' ? 'the API token' : name);

export function TriageHistory({ id, label }: { id: number; label: (status: FindingTriageEvent['status']) => string }) {
  const [events, setEvents] = useState<FindingTriageEvent[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const ac = new AbortController();
    request<FindingHistoryResponse>(`/api/findings/${id}/history`, { signal: ac.signal })
      .then((r) => setEvents(r.history))
      .catch(() => {
        if (!ac.signal.aborted) setFailed(true);
      });
    return () => ac.abort();
  }, [id]);
  if (failed) return <p className="triage-log-empty faint">The history of this finding could not be read.</p>;
  if (events === null || events.length === 0) return null;
  return (
    <ul className="triage-log" aria-label={`Status history of finding ${id}`}>
      {[...events].reverse().map((e, i) => (
        <li key={i}>
          <time className="mono">{formatUtc(e.at)}</time>{' '}
          {e.cause === 'sighting' ? (
            <>opened again by a new sighting</>
          ) : e.cause === 'assignment' ? (
            <>{e.assignee === null || e.assignee === undefined ? 'unassigned' : `assigned to ${e.assignee}`} by {by(e.by)}</>
          ) : e.cause === 'user-removed' ? (
            <>
              unassigned: user {e.removedUser ?? 'unknown'} removed by {by(e.by)}
            </>
          ) : e.cause === 'user-demoted' ? (
            <>
              unassigned: user {e.demotedUser ?? 'unknown'} made a viewer by {by(e.by)}
            </>
          ) : (
            <>
              {e.status === 'open' ? 'reopened' : label(e.status)} by {by(e.by)}
            </>
          )}
          {e.cause === 'person' && e.note !== '' && <span className="triage-log-note">: {e.note}</span>}
        </li>
      ))}
    </ul>
  );
}
