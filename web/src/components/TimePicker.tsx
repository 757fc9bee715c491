/**
 * The time range: presets, absolute UTC from/to, and free text that the server reads (ISO, `-15m`,
 * `now`, epoch ms, Hayabusa's `2017/10/17/15/*`). `from`/`to` are strings as they go in the URL.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { formatTime, formatUtc, fromDateTimeLocal, toDateTimeLocal } from '../lib/format.ts';
// the query language's own reading of `-24h` (no imports: the bundle takes it as it is)
import { relativeMs } from '../../../src/core/relative-time.ts';
import './timepicker.css';

export interface TimeRange {
  from: string;
  to: string;
}

export const PRESETS: { from: string; label: string; short: string }[] = [
  { from: '-15m', label: 'Last 15 minutes', short: '15m' },
  { from: '-1h', label: 'Last hour', short: '1h' },
  { from: '-24h', label: 'Last 24 hours', short: '24h' },
  { from: '-7d', label: 'Last 7 days', short: '7d' },
  { from: 'all', label: 'All time', short: 'All' },
];

/** An ISO time without a zone is UTC, as the server reads it (`Date.parse` would take the browser's zone). */
const ZONED = /(?:Z|[+-]\d\d(?::?\d\d)?)$/i;
const asMs = (s: string): number | null => (/^\d{11,16}$/.test(s) ? Number(s) : /^\d{4}-\d\d-\d\dT/.test(s) ? Date.parse(ZONED.test(s) ? s : `${s}Z`) : null);

function show(s: string): string {
  const ms = asMs(s);
  return ms === null || Number.isNaN(ms) ? s : formatTime(ms, false);
}

export function rangeLabel(r: TimeRange): string {
  const p = PRESETS.find((x) => x.from === r.from);
  if (p !== undefined && (r.to === '' || r.to === 'now')) return p.label;
  if (r.to === '' || r.to === 'now') return `${show(r.from)} → now`;
  const from = show(r.from);
  const to = show(r.to);
  // one date written once: `2026-12-03 15:37:28 → 15:42:31 UTC` fits the button, where the end was cut to `15:42:…`
  const day = /^\d{4}-\d\d-\d\d /;
  const sameDay = day.test(from) && day.test(to) && from.slice(0, 11) === to.slice(0, 11);
  return `${from} → ${sameDay ? to.slice(11) : to} UTC`;
}

interface Props {
  value: TimeRange;
  onChange(r: TimeRange): void;
  /** the server refused this range: its message */
  error?: string | null;
  /** the moment a range ending now was read as for the answer shown (ms): said beside it, so it reads as a snapshot */
  until?: number | null;
}

/** `06:42:13 UTC` (with the date when it is not today's) */
function clockUtc(ms: number, now: number): string {
  const t = formatTime(ms, false);
  return `${t.slice(0, 10) === formatTime(now, false).slice(0, 10) ? t.slice(11) : t} UTC`;
}

export function TimePicker({ value, onChange, error, until }: Props) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  // focus in the dialog goes back to its button when the dialog closes: it fell to the page's body (an
  // operator walk's Escape left the keyboard at the top of the page, Tab starting over from the skip link)
  const inDialog = () => document.activeElement?.closest('.tp-pop') != null;
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current !== null && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      const back = inDialog();
      setOpen(false);
      if (back) trigger.current?.focus();
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const pick = (r: TimeRange) => {
    const back = inDialog();
    onChange(r);
    setOpen(false);
    if (back) trigger.current?.focus();
  };

  return (
    <div className="timepicker" ref={ref}>
      <div className="btn-group hide-narrow" role="group" aria-label="Quick ranges">
        {PRESETS.map((p) => (
          <button
            key={p.from}
            type="button"
            className="btn"
            aria-pressed={value.from === p.from && (value.to === '' || value.to === 'now')}
            aria-label={p.label}
            title={p.label}
            onClick={() => pick({ from: p.from, to: '' })}
          >
            {p.short}
          </button>
        ))}
      </div>
      <button
        ref={trigger}
        type="button"
        className={`btn tp-button${error ? ' invalid' : ''}`}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-label={`Time range: ${rangeLabel(value)}. Change`}
        title={rangeLabel(value)}
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true">◷</span>
        <span className="tp-label">{rangeLabel(value)}</span>
      </button>
      {until != null && (
        <span className="tp-until faint" title={`The answer covers lines up to ${formatUtc(until, true)}: it is a snapshot. Run the search again for newer lines.`}>
          until {clockUtc(until, Date.now())}
        </span>
      )}
      {open && <RangeDialog value={value} onApply={pick} />}
      {error && (
        <div className="tp-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

function RangeDialog({ value, onApply }: { value: TimeRange; onApply(r: TimeRange): void }) {
  // the absolute fields start at the range shown: "Last 24 hours" opened them at the last hour
  const rel = relativeMs(value.from);
  const fromMs = asMs(value.from) ?? (rel === null ? null : Date.now() - rel);
  const toMs = asMs(value.to);
  const [absFrom, setAbsFrom] = useState(fromMs === null ? toDateTimeLocal(Date.now() - 3_600_000) : toDateTimeLocal(fromMs));
  const [absTo, setAbsTo] = useState(toMs === null ? toDateTimeLocal(Date.now()) : toDateTimeLocal(toMs));
  const [textFrom, setTextFrom] = useState(value.from === 'all' ? '' : value.from);
  const [textTo, setTextTo] = useState(value.to);
  const ids = useId();

  // not <form>s: the picker sits inside the Search and Investigate forms, and a nested form's submit
  // is the outer one's (or a page reload); Enter in a field applies its own group instead
  const applyAbs = () => {
    const f = fromDateTimeLocal(absFrom);
    const t = fromDateTimeLocal(absTo);
    if (f !== null && t !== null) onApply({ from: f, to: t });
  };
  const applyText = () => {
    onApply({ from: textFrom.trim() === '' ? 'all' : textFrom.trim(), to: textTo.trim() });
  };

  const onEnter = (apply: () => void) => (e: ReactKeyboardEvent) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    e.stopPropagation();
    apply();
  };

  return (
    <div className="tp-pop" role="dialog" aria-label="Choose a time range">
      <div className="tp-presets">
        <h2>Quick</h2>
        {PRESETS.map((p) => (
          <button key={p.from} type="button" className="btn ghost small" onClick={() => onApply({ from: p.from, to: '' })}>
            {p.label}
          </button>
        ))}
      </div>
      <div className="tp-forms">
        <div role="group" aria-labelledby={`${ids}-abs`} onKeyDown={onEnter(applyAbs)}>
          <h2 id={`${ids}-abs`}>Absolute (UTC)</h2>
          <div className="tp-row">
            <label className="field">
              From
              <input className="input" type="datetime-local" aria-label="From (UTC)" value={absFrom} onChange={(e) => setAbsFrom(e.target.value)} />
            </label>
            <label className="field">
              To
              <input className="input" type="datetime-local" aria-label="To (UTC)" value={absTo} onChange={(e) => setAbsTo(e.target.value)} />
            </label>
          </div>
          <button type="button" className="btn small" onClick={applyAbs}>
            Apply
          </button>
        </div>
        <div role="group" aria-labelledby={`${ids}-text`} onKeyDown={onEnter(applyText)}>
          <h2 id={`${ids}-text`}>Expression</h2>
          <div className="tp-row">
            <label className="field">
              From
              <input
                className="input mono"
                aria-label="From expression"
                placeholder="2017/10/17/15/*"
                value={textFrom}
                onChange={(e) => setTextFrom(e.target.value)}
              />
            </label>
            <label className="field">
              To
              <input className="input mono" aria-label="To expression" placeholder="now" value={textTo} onChange={(e) => setTextTo(e.target.value)} />
            </label>
          </div>
          <p className="faint tp-hint">
            <code>-15m</code> <code>now</code> <code>2026-11-28T10:00Z</code> epoch ms, or a Hayabusa path <code>2017/10/17/15/*</code> (alone in
            From: its whole hour).
          </p>
          <button type="button" className="btn small" onClick={applyText}>
            Apply
          </button>
        </div>
      </div>
    </div>
  );
}
