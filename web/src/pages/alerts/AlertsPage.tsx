/**
 * Alerts: findings most recently raised or seen again first (`sort=sighted`), or the one a person triaged
 * last first (`sort=triaged`: a shift's handover) or the highest score first (`sort=score`), the order kept
 * in the URL; filtered by triage status (the work queue, open + acknowledged, by default), detector, score, when triaged and who it is
 * assigned to (Assignee.tsx), each with its status, who it is assigned to, its evidence search and the triage form (Triage.tsx). Every row loaded (up to 1,000) is fetched again every REFRESH_MS (new and updated
 * findings come to the top, new ones marked; a status another person set shows on any row) and the
 * "last seen" times move on, so a page left open on a night shift stays true. A finding whose status a
 * person changes is updated in place; one that no longer matches the status filter is dimmed and leaves
 * the list at the next refresh.
 */
import { Fragment, useCallback, useEffect, useRef, useState } from 'react';
import { request, isApiError } from '../../lib/api.ts';
import { useUrlParams } from '../../lib/router.ts';
import { formatTime } from '../../lib/format.ts';
import type { Finding, FindingCountsResponse, FindingStatus, FindingsResponse } from '../../lib/types.ts';
import { ScoreBar } from '../../components/ScoreBar.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { BulkTriage, type AllMatching } from './BulkTriage.tsx';
import { useFindingWho, WhoLine } from './Who.tsx';
import { STATUS_FILTERS, TriageCell, TriageForm, inFilter, statusFilter } from './Triage.tsx';
import { CountCell, EntityCell, RowLinks, SourceLine } from './cells.tsx';
import { FloodBursts } from './FloodBursts.tsx';
import { mergeRefresh } from './refresh-merge.ts';
import { useListPointer } from './use-list-pointer.ts';
import { useNow } from '../../lib/use-now.ts';
import { useAuth } from '../../app/auth.ts';
import { AssigneeLine, assignedText, inAssigned } from './Assignee.tsx';
import { LastSeenCell } from './LastSeen.tsx';
import { ListColumns, ListHead } from './ListHead.tsx';
import { triagedSinceText } from './TriagedSince.tsx';
import { COLUMNS, PAGE, REFRESH_MAX, REFRESH_MS, RETRY_MS, SORTS, TICK_MS, emptyText, focusAfterBulk, focusChip, loadFailure, refreshFailure, sortOf } from './list-text.ts';
import './alerts.css';
import './alerts-narrow.css';

export default function AlertsPage() {
  const [params, setParams] = useUrlParams();
  const detector = params.get('detector') ?? '';
  /** one entity's findings only (`ip:…`): the links from Investigate and the Hosts board set it */
  const entity = params.get('entity') ?? '';
  const minScore = params.get('minScore') ?? '';
  /** only findings whose status a person set since this (`-12h`, an ISO time): a shift's handover */
  const triagedSince = params.get('triagedSince') ?? '';
  /** only findings assigned to `me` (the user logged in), `none` (nobody) or a user named in the address */
  const assignee = params.get('assignee') ?? '';
  // a sort the address names that is none of the choices (a hand-edited link): the default, said so
  const { sort, unknown: unknownSort } = sortOf(params.get('sort'));
  const filter = statusFilter(params.get('status'));
  // a status the address names that is none of the filters (a hand-edited link): the work queue, said so
  const statusParam = params.get('status');
  const unknownStatus = statusParam !== null && statusParam !== '' && statusParam !== 'todo' && filter.key !== statusParam ? statusParam : null;
  const statuses = filter.statuses?.join(',') ?? '';
  const [findings, setFindings] = useState<Finding[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [load, setLoad] = useState<'loading' | 'ok' | 'absent' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  // relative times move on every TICK_MS
  const now = useNow(TICK_MS);
  // a viewer reads only: no ticks to triage many at once (the chips are not buttons either, Triage.tsx)
  const { user } = useAuth();
  const readOnly = user.role === 'viewer';
  /** whether a finding as it now stands belongs in this list (its status and assignee; the others are the server's to judge) */
  const fits = useCallback((f: Finding) => inFilter(f, filter) && inAssigned(f, assignee, user.name), [filter, assignee, user.name]);
  const [fresh, setFresh] = useState<ReadonlySet<number>>(new Set());
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  /** why the last background refresh failed (null: it answered); the next round tries again */
  const [refreshError, setRefreshError] = useState<string | null>(null);
  /** the finding whose triage form is open */
  const [triaging, setTriaging] = useState<number | null>(null);
  /** the last triage change, said to screen readers */
  const [said, setSaid] = useState('');
  /** findings ticked for triage at once */
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  /** every finding the filter matches chosen, not only the rows ticked */
  const [allChosen, setAllChosen] = useState(false);
  /** bumped to read the first page afresh (after a change by filter) */
  const [reload, setReload] = useState(0);
  /** the server's clock when the rows shown were last read: "all that match" changes nothing that changed after it */
  const [readAt, setReadAt] = useState(0);
  const shown = useRef<Finding[]>([]);
  shown.current = findings;
  /** the filter the rows shown were read for: a failed load for another one does not show them as its results */
  const [rowsOf, setRowsOf] = useState<string | null>(null);
  const filterKey = JSON.stringify([statuses, detector, entity, minScore, sort.key, triagedSince, assignee]);
  /**
   * The rows keep their order while the pointer is on the list or a triage form is open: a refresh then
   * updates them in place and `held` says how many new findings wait (null: nothing waits). A UX review
   * saw rows re-sort under the cursor as it went for a button.
   */
  const triagingNow = useRef<number | null>(null);
  triagingNow.current = triaging;
  const [held, setHeld] = useState<number | null>(null);
  const heldNow = useRef(held);
  heldNow.current = held;
  const refreshNow = useRef<() => void>(() => undefined);
  const { listRef, pointing } = useListPointer(() => {
    if (heldNow.current !== null && triagingNow.current === null) refreshNow.current();
  });
  /** when this page last changed a finding's status (ms, by id): a refresh that started earlier does not undo it */
  const patchedAt = useRef(new Map<number, number>());
  /** findings in each status (the filter's numbers), for the other filters; null until known */
  const [counts, setCounts] = useState<Record<FindingStatus, number> | null>(null);
  const fetchCounts = useCallback(
    (signal?: AbortSignal, background = false) =>
      request<FindingCountsResponse>('/api/findings/counts', { params: { detector, entity, minScore, triagedSince, assignee }, background, ...(signal === undefined ? {} : { signal }) })
        .then((r) => setCounts(r.counts))
        .catch(() => undefined), // the numbers are a help, not the list: without them the buttons show none
    [detector, entity, minScore, triagedSince, assignee],
  );

  const fetchPage = useCallback(
    (cursor: string | null, signal?: AbortSignal, limit = PAGE, background = false) =>
      request<FindingsResponse>('/api/findings', { params: { status: statuses, detector, entity, minScore, triagedSince, assignee, sort: sort.api, limit, cursor }, background, ...(signal === undefined ? {} : { signal }) }),
    [statuses, detector, entity, minScore, triagedSince, assignee, sort.api],
  );

  // a "Load more" still out belongs to the filter it was asked for: a new filter aborts it
  const moreAc = useRef<AbortController | null>(null);

  useEffect(() => {
    const ac = new AbortController();
    moreAc.current?.abort();
    moreAc.current = null;
    setMore(false);
    setLoad('loading');
    setError(null);
    setTriaging(null);
    setSelected(new Set());
    setAllChosen(false);
    setCounts(null);
    setRefreshError(null);
    let retry: ReturnType<typeof setTimeout> | undefined;
    // tried again every RETRY_MS until it loads: a failed load is not left standing after the server is back
    const attempt = () => {
      void fetchCounts(ac.signal);
      fetchPage(null, ac.signal)
        .then((r) => {
          setRowsOf(filterKey);
          setFindings(r.findings);
          setReadAt(r.readAt);
          setNext(r.next ?? null);
          setFresh(new Set());
          setUpdatedAt(Date.now());
          setError(null);
          setLoad('ok');
        })
        .catch((e: unknown) => {
          if (ac.signal.aborted) return;
          if (isApiError(e) && e.status === 404) {
            setLoad('absent');
            return;
          }
          // rowsOf as this load began: the filter before, or this one when the list is read again after a change
          if (rowsOf !== filterKey) {
            // the rows were another filter's: not shown as this one's
            setRowsOf(null);
            setFindings([]);
            setNext(null);
            setFresh(new Set());
            setHeld(null);
          }
          setLoad('error');
          // a filter the server refuses (a hand-edited address) is refused again: said once, not retried
          if (isApiError(e) && e.status === 400) {
            setError(`The findings could not be loaded: the server does not accept this filter (${e.message}). Pick another with the controls above.`);
            return;
          }
          setError(loadFailure(e, rowsOf === filterKey));
          retry = setTimeout(attempt, RETRY_MS);
        });
    };
    attempt();
    return () => {
      ac.abort();
      clearTimeout(retry);
      moreAc.current?.abort();
    };
    // rowsOf is read as it was when the filter changed, not a reason to load again
  }, [fetchPage, fetchCounts, filterKey, reload]);

  // the rows loaded, again (mergeRefresh)
  useEffect(() => {
    if (load !== 'ok') return;
    const ac = new AbortController();
    const tick = () => {
      const asked = Date.now();
      // background: the page's own refresh does not keep the session from idling out
      void fetchCounts(ac.signal, true);
      // as many rows as are loaded: a later page's finding that someone else triaged is not left stale
      fetchPage(null, ac.signal, Math.min(REFRESH_MAX, Math.max(PAGE, shown.current.length)), true)
        .then((r) => {
          const before = shown.current;
          const mine = new Map(before.filter((f) => (patchedAt.current.get(f.id) ?? 0) >= asked).map((f) => [f.id, f]));
          const m = mergeRefresh(before, r.findings, mine, fits, pointing.current || triagingNow.current !== null);
          setFindings(m.findings);
          setHeld(m.held);
          if (m.held === null) setFresh(m.fresh);
          setReadAt(r.readAt);
          setUpdatedAt(Date.now());
          setRefreshError(null);
        })
        .catch((e: unknown) => {
          // the next round tries again; a 401 goes to the login screen through request()
          if (ac.signal.aborted || (isApiError(e) && e.status === 401)) return;
          setRefreshError(refreshFailure(e));
        });
    };
    refreshNow.current = tick;
    const refresh = setInterval(tick, REFRESH_MS);
    return () => {
      ac.abort();
      clearInterval(refresh);
      refreshNow.current = () => undefined;
    };
  }, [load, fetchPage, fetchCounts, fits]);

  const loadMore = () => {
    if (next === null) return;
    moreAc.current?.abort();
    const ac = new AbortController();
    moreAc.current = ac;
    setMore(true);
    fetchPage(next, ac.signal)
      .then((r) => {
        if (ac.signal.aborted) return;
        // a finding updated since the first page moved up: it is not listed twice
        setFindings((p) => {
          const have = new Set(p.map((f) => f.id));
          return [...p, ...r.findings.filter((f) => !have.has(f.id))];
        });
        setNext(r.next ?? null);
      })
      .catch((e: unknown) => {
        if (!ac.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        if (moreAc.current !== ac) return;
        moreAc.current = null;
        setMore(false);
      });
  };

  /** Findings this page just changed: in place, kept over a refresh already under way; the counts read again. */
  const applyChanged = (changed: readonly Finding[]) => {
    const byId = new Map(changed.map((f) => [f.id, f]));
    const t = Date.now();
    for (const f of changed) patchedAt.current.set(f.id, t);
    setFindings((p) => p.map((x) => byId.get(x.id) ?? x));
    void fetchCounts();
  };
  const triaged = (f: Finding, text: string) => {
    applyChanged([f]);
    setTriaging(null);
    setSaid(fits(f) ? text : `${text} It leaves this list at the next refresh.`);
    focusChip(f.id);
  };
  /** a row's assignee picker: in place, the focus given back to its chip */
  const assigned = (f: Finding, text: string) => {
    applyChanged([f]);
    setSaid(fits(f) ? text : `${text} It leaves this list at the next refresh.`);
  };
  /** set when the selection is cleared from its bar: once the bar has gone, focusAfterBulk */
  const bulkClosed = useRef(false);
  const clearSelection = () => {
    setSelected(new Set());
    setAllChosen(false);
    bulkClosed.current = true;
  };
  const bulkDone = (changed: Finding[], text: string) => {
    applyChanged(changed);
    clearSelection();
    setSaid(changed.some((f) => !fits(f)) ? `${text} Those that no longer match leave this list at the next refresh.` : text);
  };
  const doneMatching = (text: string) => {
    clearSelection();
    setReload((r) => r + 1);
    setSaid(text);
  };
  const toggle = (id: number) => {
    setAllChosen(false);
    setSelected((p) => {
      const n = new Set(p);
      if (!n.delete(id)) n.add(id);
      return n;
    });
  };
  // after the render that took the bar away (the focus it held is on the body by then)
  const noneTicked = findings.every((f) => !selected.has(f.id));
  useEffect(() => {
    if (!bulkClosed.current || !noneTicked) return;
    bulkClosed.current = false;
    focusAfterBulk();
  });
  const allShown = findings.length > 0 && findings.every((f) => selected.has(f.id));
  /** the ticked findings still listed (a refresh may have taken some away) */
  const ticked = findings.filter((f) => selected.has(f.id)).map((f) => f.id);
  /** every row shown ticked and more match: the rest can be chosen too, as they were when the rows were last read */
  const matchTotal = counts === null ? 0 : (filter.statuses ?? (Object.keys(counts) as FindingStatus[])).reduce((n, st) => n + counts[st], 0);
  // the counts and PATCH /api/findings/matching take every filter of the list but entity and sort, so
  // "all that match" changes what the list holds, Triaged and Assigned on too
  const all: AllMatching | null =
    // one entity's findings are a handful (one per detector), all listed: "every one that matches" has no more to add
    allShown && entity === '' && matchTotal > findings.length
      ? {
          total: matchTotal,
          match: {
            ...(statuses === '' ? {} : { status: statuses }),
            ...(detector === '' ? {} : { detector }),
            ...(minScore === '' ? {} : { minScore: Number(minScore) }),
            ...(triagedSince === '' ? {} : { triagedSince }),
            ...(assignee === '' ? {} : { assignee }),
            readAt,
          },
        }
      : null;
  const closeTriage = (id: number) => {
    setTriaging(null);
    focusChip(id);
  };
  const empty = emptyText(filter, detector, entity, triagedSince === '' ? '' : triagedSinceText(triagedSince, readAt || now), assignedText(assignee));
  const who = useFindingWho(findings);

  if (load === 'absent') {
    return (
      <div className="panel">
        <EmptyState title="No detectors are recording findings">
          <p>
            The server has no findings store (<code>/api/findings</code> answered 404). Findings appear here once a detector (URL or SYN) runs in
            the server; see <code>nml serve --help</code>.
          </p>
        </EmptyState>
      </div>
    );
  }

  return (
    <section className="panel alerts" aria-labelledby="alerts-title">
      <ListHead
        load={load}
        updatedAt={rowsOf === filterKey ? updatedAt : null}
        now={now}
        refreshError={refreshError}
        held={held}
        entity={entity}
        filter={filter}
        counts={counts}
        detector={detector}
        minScore={minScore}
        sortKey={sort.key}
        triagedSince={triagedSince}
        assignee={assignee}
        set={(patch) => setParams(patch, { replace: true })}
      />
      {triagedSince !== '' && (
        <div className="notice alerts-triaged-since" role="status">
          <span>
            Only findings whose status a person set <strong>{triagedSinceText(triagedSince, readAt || now)}</strong> are listed (whatever else the filters say), and the status buttons
            count those.
          </span>
          <button type="button" className="btn small ghost" onClick={() => setParams({ triagedSince: null }, { replace: true })}>
            Show every finding
          </button>
        </div>
      )}
      <p className="sr-only" role="status">
        {said}
      </p>
      {unknownStatus !== null && (
        <div className="notice warn" role="status">
          The address asks for status “{unknownStatus}”, which is none of {STATUS_FILTERS.filter((f) => f.key !== '').map((f) => f.key).join(', ')}: the list shows {filter.label}.
        </div>
      )}
      {unknownSort !== null && (
        <div className="notice warn" role="status">
          The address asks for sort “{unknownSort}”, which is none of {SORTS.map((s) => s.api).join(', ')}: the list is sorted by {sort.label}.
        </div>
      )}
      {error !== null && (
        <div className="notice error" role="alert">
          {error}
        </div>
      )}
      {refreshError !== null && (
        <div className="notice error alerts-refresh-error" role="alert">
          {refreshError}
        </div>
      )}
      {ticked.length > 0 && (
        <BulkTriage ids={ticked} all={all} me={user.name} chosen={allChosen && all !== null} onChoose={setAllChosen} onDone={bulkDone} onDoneMatching={doneMatching} onClear={clearSelection} />
      )}
      {load === 'loading' && (
        <div className="empty">
          <span className="spinner" />
        </div>
      )}
      {load === 'ok' && findings.length === 0 && <EmptyState title={empty.title}>{empty.body}</EmptyState>}
      {findings.length > 0 && (
        // rows of the filter before, while this one's load: dimmed, not taken for its results
        <div className={`table-wrap${rowsOf === filterKey ? '' : ' alerts-stale'}`} ref={listRef} aria-busy={rowsOf === filterKey ? undefined : true}>
          <table className={`grid alerts-table${readOnly ? ' read-only' : ''}`}>
            <ListColumns
              allShown={allShown}
              someTicked={ticked.length > 0}
              onToggleAll={() => {
                setAllChosen(false);
                setSelected(allShown ? new Set() : new Set(findings.map((f) => f.id)));
              }}
            />
            <tbody>
              {findings.map((f) => (
                <Fragment key={f.id}>
                  <tr
                    data-finding={f.id}
                    className={[fresh.has(f.id) ? 'new-finding' : '', fits(f) ? '' : 'settled', triaging === f.id ? 'is-open' : ''].filter(Boolean).join(' ') || undefined}
                    title={fits(f) ? undefined : `No longer matches the ${inFilter(f, filter) ? 'Assigned' : 'status'} filter: it leaves the list at the next refresh`}
                  >
                    <td className="c-select">
                      <input type="checkbox" aria-label={`Select finding ${f.id}`} checked={selected.has(f.id)} onChange={() => toggle(f.id)} />
                    </td>
                    <td className="c-score">
                      <ScoreBar score={f.score} threshold={f.threshold} label={`score of finding ${f.id}`} />
                    </td>
                    <td className="c-status">
                      <TriageCell f={f} now={now} open={triaging === f.id} onToggle={() => setTriaging(triaging === f.id ? null : f.id)} assignee={<AssigneeLine f={f} onDone={assigned} />} />
                    </td>
                    <td className="hide-narrow mono">{f.detector}</td>
                    <td className="c-entity">
                      <EntityCell f={f} />
                    </td>
                    <td className="c-why" title={`threshold ${f.threshold} · model ${f.modelVersion}`}>
                      {f.explanation.summary}
                      <FloodBursts f={f} />
                      <SourceLine f={f} />
                      <WhoLine f={f} who={who.get(f.id)} />
                    </td>
                    <td className="hide-narrow hide-medium nowrap">{formatTime(f.firstSeen, false)}</td>
                    <LastSeenCell f={f} now={now} />
                    <CountCell f={f} />
                    <td className="c-actions">
                      <RowLinks f={f} />
                    </td>
                  </tr>
                  {triaging === f.id && <TriageForm f={f} colSpan={COLUMNS} onDone={triaged} onCancel={() => closeTriage(f.id)} />}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next !== null && (
        <div className="results-foot">
          <button type="button" className="btn" disabled={more} onClick={loadMore} aria-label="Load more findings">
            {more ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </section>
  );
}
