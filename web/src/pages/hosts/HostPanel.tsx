/** The side panel of one host: its image (or saliency), score, counters and the detector's explanation. */
import { useEffect, useRef, useState } from 'react';
import { request } from '../../lib/api.ts';
import { formatInt, formatUtc } from '../../lib/format.ts';
import type { SynHostDetail } from '../../lib/types.ts';
import { ScoreBar } from '../../components/ScoreBar.tsx';
import { Link } from '../../components/Link.tsx';
import { HostImage } from './HostImage.tsx';
import { pivotHref } from '../../lib/pages.ts';

interface Weighted {
  name: string;
  weight: number;
}

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

export function HostPanel({ ip, onClose }: { ip: string; onClose(): void }) {
  const [detail, setDetail] = useState<SynHostDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
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
    setDetail(null);
    setError(null);
    request<SynHostDetail>(`/api/detect/syn/hosts/${encodeURIComponent(ip)}`, { signal: ac.signal })
      .then(setDetail)
      .catch((e: unknown) => {
        if (ac.signal.aborted) return;
        setError(e instanceof Error ? e.message : String(e)); // a 404 says why: never seen, dropped, or on syn.ignore
      });
    return () => ac.abort();
  }, [ip]);

  const h = detail?.host;
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
        <span className="spacer" />
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
      </div>
      <div className="panel-body">
        {error !== null && <div className="notice error">{error}</div>}
        {detail === null && error === null && <span className="spinner" />}
        {h !== undefined && detail !== null && (
          <>
            <ScoreBar score={h.score} label="malicious probability" />
            <p className="summary">{h.explanation.summary}</p>
            <dl className="kv compact">
              <div>
                <dt>packets</dt>
                <dd>{formatInt(h.packets)}</dd>
              </div>
              <div>
                <dt>distinct ports</dt>
                <dd>{formatInt(h.distinctPorts)}</dd>
              </div>
              <div>
                <dt>first seen</dt>
                <dd>{formatUtc(h.firstSeen)}</dd>
              </div>
              <div>
                <dt>last seen</dt>
                <dd>{formatUtc(h.lastSeen)}</dd>
              </div>
            </dl>
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
              width={340}
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
