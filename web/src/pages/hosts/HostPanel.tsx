/**
 * The side panel of one host: its image (or saliency), score, counters and the detector's explanation.
 * It follows the live board: the score and counters are the board's latest row of the host, and the
 * explanation and image are asked for again when the row has moved on (at most every REFRESH_MS); while
 * they are being asked for, or while the server is not answering, the panel says as of when they are.
 */
import { useEffect, useRef, useState } from 'react';
import { isApiError, request } from '../../lib/api.ts';
import { formatAgo, formatInt, formatUtc } from '../../lib/format.ts';
import type { SynHost, SynHostDetail } from '../../lib/types.ts';
import { ScoreBar } from '../../components/ScoreBar.tsx';
import { Link } from '../../components/Link.tsx';
import { HostImage } from './HostImage.tsx';
import { HostTargets } from './HostTargets.tsx';
import { hasPage, pivotHref } from '../../lib/pages.ts';
import { synAlertsHref } from './BoardTriage.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { notOnBoard } from './not-on-board.ts';
import { idleFor } from './board-rows.ts';

interface Weighted {
  name: string;
  weight: number;
}

/** The explanation and image are asked for again at most this often while the live row moves on. */
const REFRESH_MS = 3000;

/** Whether the board's row of the host says more than the detail the panel holds (it has seen more SYNs, or scored again). */
const movedOn = (live: SynHost | undefined, h: SynHost | undefined): boolean =>
  live !== undefined && h !== undefined && live.ip === h.ip && (live.packets > h.packets || (live.packets === h.packets && live.score !== h.score));

const isWeighted = (v: unknown): v is Weighted[] =>
  Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'object' && x !== null && typeof (x as Weighted).name === 'string' && typeof (x as Weighted).weight === 'number');
const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number');

/** Named weights as bars, strongest first (positive: towards malicious). */
function WeightBars({ items }: { items: Weighted[] }) {
  const top = [...items].sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)).slice(0, 8);
  const max = Math.max(1e-9, ...top.map((w) => Math.abs(w.weight)));
  // fingerprint tokens ("dport used by none of the training benign hosts") get a line of their own above the bar
  const wide = top.some((w) => w.name.length > 16);
  return (
    <ul className={wide ? 'weights wide' : 'weights'}>
      {top.map((w) => (
        <li key={w.name}>
          <span className="mono" title={w.name}>
            {w.name}
          </span>
          <span className={`wbar ${w.weight >= 0 ? 'pos' : 'neg'}`} aria-hidden="true">
            <span style={{ width: `${(Math.abs(w.weight) / max) * 100}%` }} />
          </span>
          <span className="num mono">{w.weight.toFixed(3)}</span>
        </li>
      ))}
    </ul>
  );
}

/** A row of numbers as tiny columns (e.g. the weight of each packet row). */
function MiniBars({ values, label }: { values: number[]; label: string }) {
  const max = Math.max(1e-9, ...values.map(Math.abs));
  return (
    <div className="minibars" role="img" aria-label={label}>
      {values.map((v, i) => (
        <span key={i} style={{ height: `${Math.max(1, (Math.abs(v) / max) * 100)}%` }} title={`${i}: ${v.toFixed(3)}`} />
      ))}
    </div>
  );
}

/** A detail value in words: the deciding window as the SYNs it covers, other objects as `key value` pairs. */
function plainValue(key: string, v: unknown): string {
  if (typeof v !== 'object' || v === null) return String(v);
  const o = v as Record<string, unknown>;
  if (key === 'window' && typeof o.from === 'number' && typeof o.to === 'number') {
    return o.to - o.from === 1 ? `SYN ${o.to} of the host` : `SYNs ${o.from + 1}–${o.to} of the host`;
  }
  return Object.entries(o).map(([k, x]) => `${k} ${typeof x === 'object' ? JSON.stringify(x) : String(x)}`).join(', ');
}

function Detail({ value }: { value: unknown }) {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return <p>{String(value)}</p>;
  if (Array.isArray(value)) return <pre className="detail-json">{JSON.stringify(value)}</pre>;
  return (
    <dl className="kv detail">
      {/* `pixels` (one weight per pixel) is drawn as the "What mattered" image above, not as bars */}
      {Object.entries(value as Record<string, unknown>).filter(([k]) => k !== 'pixels').map(([k, v]) => (
        <div key={k} className={isWeighted(v) || isNumbers(v) ? 'block' : undefined}>
          <dt>{k}</dt>
          <dd className="mono">
            {isWeighted(v) ? <WeightBars items={v} /> : isNumbers(v) && v.length > 3 ? <MiniBars values={v} label={k} /> : plainValue(k, v)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The panel of an address the board does not hold (opened by its URL, or from an old link): what happened and where to go. */
function NotOnBoard({ ip, why, onClose }: { ip: string; why: { title: string; why: string }; onClose(): void }) {
  return (
    <EmptyState title={why.title}>
      <p>{why.why}</p>
      <p>Its lines stay in the logs{hasPage('/alerts') ? ', and a finding on it stays on the Alerts page' : ''}.</p>
      <p className="not-on-board-actions">
        <button type="button" className="btn small" onClick={onClose}>
          Back to the host list
        </button>
        <Link className="btn small" href={`/search?q=${encodeURIComponent(ip)}`}>
          Search its logs
        </Link>
        {hasPage('/alerts') && (
          <Link className="btn small" href={synAlertsHref(ip)}>
            Its alerts
          </Link>
        )}
      </p>
    </EmptyState>
  );
}

/**
 * `live`: the board's latest row of the host (undefined while the board has not named it);
 * `answeredAt`: when the server last answered the board (browser clock, ms); `down`: it is not answering now;
 * `stopped`: and its last close said it was stopping (a stop or a restart, said as such, as the board's notes say it);
 * `keptSpan`: how long a finding stays listed, in words (BoardNotes.keptSpan); `seenNow`: the board's clock
 * as the page measures its rows' ages by (board-rows.ts `boardNow`), so the panel's idle age is the row's.
 */
export function HostPanel({ ip, onClose, live, answeredAt, down, stopped, keptSpan, seenNow }: { ip: string; onClose(): void; live?: SynHost | undefined; answeredAt?: number | null; down?: boolean; stopped?: boolean; keptSpan: string; seenNow: number }) {
  const [detail, setDetail] = useState<SynHostDetail | null>(null);
  const [fetchedAt, setFetchedAt] = useState(0);
  const [reloads, setReloads] = useState(0);
  const [error, setError] = useState<string | null>(null);
  // the board holds no such host (the server's 404 message): the page says so in its own words, not as a failure
  const [absent, setAbsent] = useState<string | null>(null);
  const [view, setView] = useState<'image' | 'saliency'>('image');
  const panel = useRef<HTMLElement>(null);
  // on narrow screens the panel sits above the table: bring it into view, with the keyboard focus
  useEffect(() => {
    // (newer browsers return a promise from scrollIntoView; an effect must return nothing or a cleanup)
    void panel.current?.scrollIntoView({ block: 'nearest' });
    panel.current?.focus({ preventScroll: true });
  }, [ip]);

  useEffect(() => {
    const ac = new AbortController();
    request<SynHostDetail>(`/api/detect/syn/hosts/${encodeURIComponent(ip)}`, { signal: ac.signal, background: reloads > 0 })
      .then((d) => {
        setDetail(d);
        setError(null);
        setFetchedAt(Date.now());
      })
      .catch((e: unknown) => {
        if (ac.signal.aborted) return;
        setFetchedAt(Date.now());
        // a failed refresh keeps what the panel shows, said as old
        if (reloads > 0) return;
        if (isApiError(e) && e.status === 404 && e.code === 'SYN_HOST_NOT_FOUND') setAbsent(e.message);
        else setError(`Loading host ${ip} from the SYN board failed: ${e instanceof Error ? e.message : String(e)}. Try again by opening it from the list.`);
      });
    return () => ac.abort();
  }, [ip, reloads]);

  const h = detail?.host;
  const behind = movedOn(live, h);
  // the row moved on: the explanation and image again, once REFRESH_MS has passed since the last ask
  useEffect(() => {
    if (!behind || down === true) return;
    const t = setTimeout(() => setReloads((n) => n + 1), Math.max(0, fetchedAt + REFRESH_MS - Date.now()));
    return () => clearTimeout(t);
  }, [behind, fetchedAt, down]);
  // the figures: the board's row when it is as new as the detail or newer
  const row = live !== undefined && h !== undefined && live.ip === h.ip && live.packets >= h.packets ? live : h;
  const sal = detail?.saliency;
  return (
    <aside
      ref={panel}
      className="host-panel panel"
      aria-label={`Host ${ip}`}
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        e.preventDefault();
        onClose();
      }}
    >
      <div className="panel-head">
        <h2 className="mono host-ip">{ip}</h2>
        {/* a long IPv6 address puts the actions on a line of their own rather than past the panel's edge */}
        <span className="host-actions">
          <Link className="btn small" href={`/search?q=${encodeURIComponent(ip)}`} aria-label={`Search logs for ${ip}`}>
            Search logs
          </Link>
          {pivotHref('ip', ip) !== null && (
            <Link className="btn small" href={pivotHref('ip', ip)!} aria-label={`Investigate ${ip}`}>
              Investigate
            </Link>
          )}
          <button type="button" className="btn ghost small" onClick={onClose} aria-label="Close host details">
            ✕
          </button>
        </span>
      </div>
      <div className="panel-body">
        {absent !== null && <NotOnBoard ip={ip} why={notOnBoard(ip, absent, keptSpan)} onClose={onClose} />}
        {error !== null && (
          <div className="notice error" role="alert">
            {error}
          </div>
        )}
        {detail === null && error === null && absent === null && <span className="spinner" />}
        {h !== undefined && row !== undefined && detail !== null && (
          <>
            {down === true && (
              <p className="notice warn panel-asof" role="status">
                {stopped === true ? 'The server stopped or is restarting' : 'The server is not answering'}: these figures are as of its last answer{answeredAt != null && <>, {formatAgo(answeredAt)} ({formatUtc(answeredAt)})</>}.
              </p>
            )}
            <ScoreBar score={row.score} label="malicious probability" />
            <p className="summary">{h.explanation.summary}</p>
            {behind && (
              <p className="faint panel-asof" role="status">
                Explanation, image and destinations as of {formatInt(h.packets)} SYNs (score {h.score.toFixed(3)}){down === true ? '' : '; updating…'}
              </p>
            )}
            <dl className="kv compact">
              <div>
                <dt>packets</dt>
                <dd>{formatInt(row.packets)}</dd>
              </div>
              <div>
                <dt>distinct ports</dt>
                <dd>{formatInt(row.distinctPorts)}</dd>
              </div>
              <div>
                <dt>first seen</dt>
                <dd>{formatUtc(h.firstSeen)}</dd>
              </div>
              <div>
                <dt>last seen</dt>
                <dd>{formatUtc(row.lastSeen)}</dd>
              </div>
              {row.idle === true && (
                <div>
                  <dt>idle for</dt>
                  <dd className="panel-idle">{idleFor(row.lastSeen, seenNow)}</dd>
                </div>
              )}
            </dl>
            <HostTargets targets={detail.targets} ip={ip} />
            {sal !== undefined && (
              <div className="btn-group" role="group" aria-label="Image view">
                <button type="button" className="btn small" aria-pressed={view === 'image'} onClick={() => setView('image')}>
                  Image
                </button>
                <button type="button" className="btn small" aria-pressed={view === 'saliency'} onClick={() => setView('saliency')}>
                  What mattered
                </button>
              </div>
            )}
            <HostImage
              image={detail.image}
              values={view === 'saliency' && sal !== undefined ? sal : detail.image.pixels}
              width={390}
              signed={view === 'saliency' && sal !== undefined}
              label={`${view === 'saliency' ? 'Saliency' : 'Traffic image'} of ${ip}`}
            />
            <h2>Explanation</h2>
            <Detail value={h.explanation.detail} />
          </>
        )}
      </div>
    </aside>
  );
}
