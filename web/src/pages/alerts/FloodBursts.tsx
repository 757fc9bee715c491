/**
 * Under a `syn-flood` or `syn-wave` row's Why: its bursts (when, how many sources, a few of them) and the
 * earlier floods (waves) against the same victim (port), which its text tells in one long sentence. Up
 * to INLINE_MAX items show as they are; more wait behind a toggle that says how many (`3 bursts · 1
 * earlier flood`), so that a row stays short on a night's list. A row without them (one burst, nothing
 * before, a server before the fields, a malformed detail) shows nothing more.
 */
import { useId, useMemo, useState } from 'react';
import type { Finding } from '../../lib/types.ts';
import { formatTime } from '../../lib/format.ts';
import { floodDetailLabel, floodDetailOf, notKeptText, spanSourcesText, spanTimeText, type FloodSpanView } from '../../../../src/detect/syn/flood-detail.ts';
import './flood-bursts.css';

/** The most items (bursts and earlier floods together) shown without the toggle. */
const INLINE_MAX = 2;

const time = (ms: number): string => formatTime(ms, false);

function SpanList({ title, items, count, label }: { title: string; items: FloodSpanView[]; count: number; label: string }) {
  if (items.length === 0) return null;
  const more = notKeptText(count, items.length);
  return (
    <div className="flood-list" role="group" aria-label={label}>
      <div className="flood-list-head">{title}</div>
      <ul>
        {items.map((s, i) => (
          <li key={i}>
            <span className="flood-when mono">{spanTimeText(s.from, s.to, time)}</span>
            <span className="flood-sources">{spanSourcesText(s)}</span>
            {s.examples.length > 0 && (
              <span className="flood-examples">
                e.g. <span className="mono">{s.examples.join(', ')}</span>
              </span>
            )}
          </li>
        ))}
      </ul>
      {more !== '' && <div className="flood-more faint">{more}</div>}
    </div>
  );
}

export function FloodBursts({ f }: { f: Finding }) {
  const v = useMemo(() => floodDetailOf(f.detector, f.explanation.detail), [f.detector, f.explanation.detail]);
  const [open, setOpen] = useState(false);
  const id = useId();
  if (v === null) return null;
  const of = v.kind === 'flood' ? 'floods against it' : 'waves to the port';
  const inline = v.episodes.length + v.earlier.length <= INLINE_MAX;
  const lists = (
    <div className="flood-lists" id={id} hidden={!inline && !open}>
      <SpanList title="Bursts" items={v.episodes} count={v.episodeCount} label={`Bursts of finding ${f.id}`} />
      <SpanList title={v.kind === 'flood' ? 'Earlier floods' : 'Earlier waves'} items={v.earlier} count={v.earlierCount} label={`Earlier ${of} of finding ${f.id}`} />
    </div>
  );
  if (inline) return <div className="flood-bursts">{lists}</div>;
  const label = floodDetailLabel(v);
  return (
    <div className="flood-bursts">
      <button type="button" className="flood-toggle" aria-expanded={open} aria-controls={id} aria-label={`${open ? 'Hide' : 'Show'} ${label} of finding ${f.id}`} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> {label}
      </button>
      {lists}
    </div>
  );
}
