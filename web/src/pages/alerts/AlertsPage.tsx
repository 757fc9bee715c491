/**
 * Alerts: findings newest first, filtered by detector and score, each with its evidence search. The
 * first page is fetched again every REFRESH_MS (new and updated findings come to the top, new ones
 * marked) and the "last seen" times move on, so a page left open on a night shift stays true.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { request, isApiError } from '../../lib/api.ts';
import { useUrlParams } from '../../lib/router.ts';
import { formatAgo, formatInt, formatTime } from '../../lib/format.ts';
import type { Finding, FindingsResponse } from '../../lib/types.ts';
import { ScoreBar } from '../../components/ScoreBar.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Link } from '../../components/Link.tsx';
import { UrlWeights, charWeights } from './UrlWeights.tsx';
import { hasPage, pivotHref } from '../../lib/pages.ts';
import './alerts.css';

function splitEntity(entity: string): { kind: string; value: string } {
  const m = /^([a-z]+):(.*)$/s.exec(entity);
  return m === null ? { kind: '', value: entity } : { kind: m[1]!, value: m[2]! };
}

export function evidenceHref(f: Finding): string {
  const sp = new URLSearchParams({ q: f.evidence.query, from: new Date(f.evidence.from).toISOString(), to: new Date(f.evidence.to).toISOString() });
  return `/search?${sp.toString()}`;
}

/** How often the first page is fetched again, and how often relative times move on. */
const REFRESH_MS = 15_000;
const TICK_MS = 5_000;

/**
 * What the entity is to the finding: a flood's entity is its victim (often your own server), every
 * other detector's is the source or the suspect itself; said in words, since the detector column
 * hides on narrow screens.
 */
function entityRole(f: Finding): string | null {
  if (f.detector === 'syn-flood') return 'target';
  if (f.detector === 'syn-wave') return 'dst port';
  if (f.detector === 'syn') return 'source';
  return null;
}

function EntityCell({ f }: { f: Finding }) {
  const { kind, value } = splitEntity(f.entity);
  const weights = kind === 'url' ? charWeights(f.explanation.detail, value) : null;
  const role = entityRole(f);
  return (
    <div className="entity-cell">
      {role !== null && <span className={`chip-role role-${role.replace(' ', '-')}`}>{role}</span>}
      {kind !== '' && <span className="chip-kind">{kind}</span>}
      {weights !== null ? <UrlWeights url={value} weights={weights} /> : <span className="mono">{value}</span>}
    </div>
  );
}

/** A SYN finding's host on the Hosts board, where its packets, image and weights are (the evidence search finds only the detector's line). */
function BoardLink({ f }: { f: Finding }) {
  const { kind, value } = splitEntity(f.entity);
  if (f.detector !== 'syn' || kind !== 'ip' || !hasPage('/hosts')) return null;
  return (
    <Link className="btn small ghost" href={`/hosts?${new URLSearchParams({ ip: value }).toString()}`} aria-label={`${value} on the hosts board`}>
      board
    </Link>
  );
}

function PivotLink({ f }: { f: Finding }) {
  const { kind, value } = splitEntity(f.entity);
  const href = kind === '' ? null : pivotHref(kind, value, { from: new Date(f.evidence.from).toISOString(), to: new Date(f.evidence.to).toISOString() });
  if (href === null) return null;
  return (
    <Link className="btn small ghost" href={href} aria-label={`Investigate ${f.entity}`}>
      pivot
    </Link>
  );
}

export default function AlertsPage() {
  const [params, setParams] = useUrlParams();
  const detector = params.get('detector') ?? '';
  const minScore = params.get('minScore') ?? '';
  const [findings, setFindings] = useState<Finding[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [status, setStatus] = useState<'loading' | 'ok' | 'absent' | 'error'>('loading');
  const [error, setError] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const [fresh, setFresh] = useState<ReadonlySet<number>>(new Set());
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const shown = useRef<Finding[]>([]);
  shown.current = findings;

  const fetchPage = useCallback(
    (cursor: string | null, signal?: AbortSignal) =>
      request<FindingsResponse>('/api/findings', { params: { detector, minScore, limit: 50, cursor }, ...(signal === undefined ? {} : { signal }) }),
    [detector, minScore],
  );

  useEffect(() => {
    const ac = new AbortController();
    setStatus('loading');
    fetchPage(null, ac.signal)
      .then((r) => {
        setFindings(r.findings);
        setNext(r.next ?? null);
        setFresh(new Set());
        setUpdatedAt(Date.now());
        setStatus('ok');
      })
      .catch((e: unknown) => {
        if (ac.signal.aborted) return;
        if (isApiError(e) && e.status === 404) setStatus('absent');
        else {
          setStatus('error');
          setError(e instanceof Error ? e.message : String(e));
        }
      });
    return () => ac.abort();
  }, [fetchPage]);

  // the first page again: new and updated findings to the top, the pages loaded below kept
  useEffect(() => {
    if (status !== 'ok') return;
    const ac = new AbortController();
    const refresh = setInterval(() => {
      fetchPage(null, ac.signal)
        .then((r) => {
          const before = shown.current;
          const known = new Set(before.map((f) => f.id));
          const top = new Set(r.findings.map((f) => f.id));
          setFindings([...r.findings, ...before.filter((f) => !top.has(f.id))]);
          setFresh(new Set(r.findings.filter((f) => !known.has(f.id)).map((f) => f.id)));
          setUpdatedAt(Date.now());
        })
        .catch(() => undefined); // the next round tries again; a 401 goes to the login screen through request()
    }, REFRESH_MS);
    const tick = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => {
      ac.abort();
      clearInterval(refresh);
      clearInterval(tick);
    };
  }, [status, fetchPage]);

  const loadMore = () => {
    if (next === null) return;
    setMore(true);
    fetchPage(next)
      .then((r) => {
        // a finding updated since the first page moved up: it is not listed twice
        setFindings((p) => {
          const have = new Set(p.map((f) => f.id));
          return [...p, ...r.findings.filter((f) => !have.has(f.id))];
        });
        setNext(r.next ?? null);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setMore(false));
  };

  if (status === 'absent') {
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
      <div className="panel-head alerts-head">
        <h2 id="alerts-title">Findings</h2>
        {updatedAt !== null && (
          <span className="faint alerts-updated" title={`fetched again every ${REFRESH_MS / 1000} s; last at ${formatTime(updatedAt, false)}`}>
            live, checked {formatAgo(updatedAt, Math.max(now, updatedAt))}
          </span>
        )}
        <span className="spacer" />
        <label className="inline-field">
          Detector
          <select className="input" aria-label="Detector" value={detector} onChange={(e) => setParams({ detector: e.target.value }, { replace: true })}>
            <option value="">all</option>
            <option value="url">url</option>
            <option value="syn">syn</option>
            <option value="syn-flood">syn-flood</option>
            <option value="syn-wave">syn-wave</option>
          </select>
        </label>
        <label className="inline-field">
          Min score
          <select className="input" aria-label="Minimum score" value={minScore} onChange={(e) => setParams({ minScore: e.target.value }, { replace: true })}>
            <option value="">any</option>
            <option value="0.5">0.5</option>
            <option value="0.8">0.8</option>
            <option value="0.95">0.95</option>
          </select>
        </label>
      </div>
      {error !== null && <div className="notice error">{error}</div>}
      {status === 'loading' && (
        <div className="empty">
          <span className="spinner" />
        </div>
      )}
      {status === 'ok' && findings.length === 0 && <EmptyState title="No findings">Nothing scored above its threshold{detector === '' ? '' : ` for ${detector}`}.</EmptyState>}
      {findings.length > 0 && (
        <div className="table-wrap">
          <table className="grid alerts-table">
            <thead>
              <tr>
                <th scope="col" className="c-score">
                  Score
                </th>
                <th scope="col" className="hide-narrow">
                  Detector
                </th>
                <th scope="col">Entity</th>
                <th scope="col">Why</th>
                <th scope="col" className="hide-narrow">
                  First seen
                </th>
                <th scope="col">Last seen</th>
                <th scope="col" className="num hide-narrow">
                  Count
                </th>
                <th scope="col">
                  <span className="sr-only">Evidence</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {findings.map((f) => (
                <tr key={f.id} className={fresh.has(f.id) ? 'new-finding' : undefined}>
                  <td className="c-score">
                    <ScoreBar score={f.score} threshold={f.threshold} label={`score of finding ${f.id}`} />
                  </td>
                  <td className="hide-narrow mono">{f.detector}</td>
                  <td className="c-entity">
                    <EntityCell f={f} />
                  </td>
                  <td className="c-why" title={`threshold ${f.threshold} · model ${f.modelVersion}`}>
                    {f.explanation.summary}
                  </td>
                  <td className="hide-narrow nowrap">{formatTime(f.firstSeen, false)}</td>
                  <td className="nowrap" title={formatTime(f.lastSeen)}>
                    {formatAgo(f.lastSeen, now)}
                  </td>
                  <td className="num hide-narrow">{formatInt(f.count)}</td>
                  <td className="c-actions">
                    <Link className="btn small" href={evidenceHref(f)} aria-label={`Evidence of finding ${f.id} in the search page`}>
                      evidence
                    </Link>
                    <BoardLink f={f} />
                    <PivotLink f={f} />
                  </td>
                </tr>
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
