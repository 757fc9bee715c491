/**
 * Under a `syn-flood` or `syn-wave` row's Why: its bursts (when, how many sources, a few of them) and the
 * earlier floods (waves) against the same victim (port), which its text tells in one long sentence. Up
 * to INLINE_MAX items show as they are; more wait behind a toggle that says how many (`3 bursts · 1
 * earlier flood`), so that a row stays short on a night's list. A flood that went on across a server
 * restart says so in one line above them, always shown: its sources before and since add up to an upper
 * bound, which the row's count alone does not tell. A wave whose every source sent 1–2 SYNs says so
 * above them too, in its Why's words. A row without any of these (one burst, nothing
 * before, a server before the fields, a malformed detail) shows nothing more.
 */
import { Fragment, useId, useMemo, useState } from 'react';
import type { Finding } from '../../lib/types.ts';
import { formatTime } from '../../lib/format.ts';
import { allFewText, floodDetailLabel, floodDetailOf, burstsNotKeptText, earlierNotKeptText, restartLineText, spanSourcesText, spanTimeText, type FloodSpanView } from '../../../../src/detect/syn/flood-detail.ts';
import './flood-bursts.css';

/** The most items (bursts and earlier floods together) shown without the toggle. */
const INLINE_MAX = 2;

const time = (ms: number): string => formatTime(ms, false);

function Span({ s }: { s: FloodSpanView }) {
  return (
    <li>
      <span className="flood-when mono">{spanTimeText(s.from, s.to, time)}</span>
      <span className="flood-sources">{spanSourcesText(s)}</span>
      {s.examples.length > 0 && (
        <span className="flood-examples">
          e.g. <span className="mono">{s.examples.join(', ')}</span>
        </span>
      )}
    </li>
  );
}

/**
 * One list and what its detail did not keep, said where those were: bursts after the first item (the
 * server keeps the first and the latest), earlier floods at the top (it keeps the latest).
 */
function SpanList({ title, items, notKept, gapAfterFirst, label }: { title: string; items: FloodSpanView[]; notKept: string; gapAfterFirst: boolean; label: string }) {
  if (items.length === 0) return null;
  const note = notKept === '' ? null : <li className="flood-more faint">{notKept}</li>;
  return (
    <div className="flood-list" role="group" aria-label={label}>
      <div className="flood-list-head">{title}</div>
      <ul>
        {!gapAfterFirst && note}
        {items.map((s, i) => (
          <Fragment key={i}>
            <Span s={s} />
            {gapAfterFirst && i === 0 && note}
          </Fragment>
        ))}
      </ul>
    </div>
  );
}

export function FloodBursts({ f }: { f: Finding }) {
  const v = useMemo(() => floodDetailOf(f.detector, f.explanation.detail), [f.detector, f.explanation.detail]);
  const [open, setOpen] = useState(false);
  const id = useId();
  if (v === null) return null;
  const of = v.kind === 'flood' ? 'floods against it' : 'waves to the port';
  const few = allFewText(v);
  const head = (
    <>
      {few !== '' && <p className="flood-few">{few}</p>}
      {v.beforeRestart !== null && <p className="flood-restart">{restartLineText(v.beforeRestart, time)}</p>}
    </>
  );
  if (v.episodes.length + v.earlier.length === 0) return <div className="flood-bursts">{head}</div>;
  const inline = v.episodes.length + v.earlier.length <= INLINE_MAX;
  const lists = (
    <div className="flood-lists" id={id} hidden={!inline && !open}>
      <SpanList title="Bursts" items={v.episodes} notKept={burstsNotKeptText(v.episodeCount, v.episodes.length, v.droppedSources)} gapAfterFirst label={`Bursts of finding ${f.id}`} />
      <SpanList
        title={v.kind === 'flood' ? 'Earlier floods' : 'Earlier waves'}
        items={v.earlier}
        notKept={earlierNotKeptText(v.earlierCount, v.earlier.length, v.kind)}
        gapAfterFirst={false}
        label={`Earlier ${of} of finding ${f.id}`}
      />
    </div>
  );
  if (inline) {
    return (
      <div className="flood-bursts">
        {head}
        {lists}
      </div>
    );
  }
  const label = floodDetailLabel(v);
  return (
    <div className="flood-bursts">
      {head}
      <button type="button" className="flood-toggle" aria-expanded={open} aria-controls={id} aria-label={`${open ? 'Hide' : 'Show'} ${label} of finding ${f.id}`} onClick={() => setOpen(!open)}>
        <span aria-hidden="true">{open ? '▾' : '▸'}</span> {label}
      </button>
      {lists}
    </div>
  );
}
