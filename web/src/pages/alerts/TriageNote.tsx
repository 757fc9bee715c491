/**
 * A finding's triage note in its status cell: the first two lines, and when that cuts it a "whole note"
 * button (Enter, a click or a tap) that shows all of it in place, and "less" that cuts it again. The whole
 * note was only in a hover title and the triage form, out of reach of keyboard and touch (a night-shift walk).
 */
import { useLayoutEffect, useRef, useState } from 'react';

export function TriageNote({ id, note }: { id: number; note: string }) {
  const ref = useRef<HTMLSpanElement>(null);
  const [open, setOpen] = useState(false);
  const [cut, setCut] = useState(false);
  // cut or not depends on the column's width: measured after each drawing and when the window resizes
  useLayoutEffect(() => {
    const el = ref.current;
    if (el === null || open) return;
    const measure = () => setCut(el.scrollHeight > el.clientHeight + 1);
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [note, open]);
  const noteId = `triage-note-${id}`;
  return (
    <>
      <span id={noteId} ref={ref} className={`triage-note${open ? ' whole' : ''}`} title={open ? undefined : note}>
        {note}
      </span>
      {(cut || open) && (
        <button type="button" className="triage-note-more" aria-expanded={open} aria-controls={noteId} aria-label={`${open ? 'Cut' : 'Show'} the whole note on finding ${id}`} onClick={() => setOpen(!open)}>
          {open ? 'less' : 'whole note'}
        </button>
      )}
    </>
  );
}
