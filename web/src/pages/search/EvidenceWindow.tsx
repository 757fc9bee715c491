/**
 * A finding's evidence link (Alerts) opens the search on the range its events are in, and names the
 * server's evidence window, wider on purpose (a URL finding's reaches a day back: a line's own time may
 * be hours from when it came), as `wideFrom`/`wideTo`: this offers to widen to it while the range shown
 * is another.
 */
import { formatUtc } from '../../lib/format.ts';

interface Props {
  from: string;
  to: string;
  wideFrom: string | null;
  wideTo: string | null;
  /** matches in the range shown; null until counted */
  total: number | null;
  onWiden(from: string, to: string): void;
}

export function EvidenceWindow({ from, to, wideFrom, wideTo, total, onWiden }: Props) {
  if (wideFrom === null || wideTo === null || (from === wideFrom && to === wideTo)) return null;
  const a = Date.parse(wideFrom);
  const b = Date.parse(wideTo);
  if (!Number.isFinite(a) || !Number.isFinite(b) || a >= b) return null;
  return (
    <div className={`notice evidence-window${total === 0 ? ' warn' : ''}`} role="note">
      {total === 0 ? 'Nothing in the range of the finding\u2019s events: a line\u2019s own time may be hours from when it came. ' : 'Searching where the finding\u2019s events are. '}
      <button type="button" className="btn small" onClick={() => onWiden(wideFrom, wideTo)}>
        Widen to the evidence window
      </button>{' '}
      <span className="faint">
        {formatUtc(a)} to {formatUtc(b)}
      </span>
    </div>
  );
}
