/**
 * The query input: monospace, Enter (or Ctrl/Cmd+Enter) runs, `/` anywhere focuses it, Esc leaves it.
 * A query error that names a column is drawn under that character, with the message below.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import './querybox.css';

export interface QueryError {
  message: string;
  /** 1-based character column, when the server named one */
  column: number | null;
}

interface Props {
  value: string;
  onChange(v: string): void;
  onSubmit(): void;
  error: QueryError | null;
  placeholder?: string;
  label?: string;
}

/** `/` focuses the query box unless the user is typing somewhere else. */
function useSlashFocus(ref: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t !== null && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
      e.preventDefault();
      ref.current?.focus();
      ref.current?.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [ref]);
}

export function QueryBox({ value, onChange, onSubmit, error, placeholder, label = 'Search query' }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [scroll, setScroll] = useState(0);
  useSlashFocus(input);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      onSubmit();
    } else if (e.key === 'Escape') {
      e.currentTarget.blur();
    }
  };

  const col = error?.column ?? null;
  const at = col === null ? -1 : Math.max(0, Math.min(col - 1, value.length));
  return (
    <div className={`querybox${error !== null ? ' has-error' : ''}`}>
      <div className="qb-field">
        {at >= 0 && (
          <div className="qb-mirror" aria-hidden="true">
            <div style={{ transform: `translateX(${-scroll}px)` }}>
              <span className="qb-pre">{value.slice(0, at)}</span>
              <span className="qb-err">{value.slice(at, at + 1) || ' '}</span>
            </div>
          </div>
        )}
        <input
          ref={input}
          className="qb-input"
          type="text"
          spellCheck={false}
          autoComplete="off"
          autoCapitalize="off"
          aria-label={label}
          aria-invalid={error !== null}
          aria-describedby={error !== null ? 'qb-error' : 'qb-hint'}
          placeholder={placeholder ?? 'Search: sshd "failed password" host:web* -cron 10.0.0.0/8'}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
          onScroll={(e) => setScroll(e.currentTarget.scrollLeft)}
        />
        <kbd className="qb-kbd hide-narrow" aria-hidden="true">
          /
        </kbd>
      </div>
      {error !== null ? (
        <div id="qb-error" className="qb-message" role="alert">
          {col !== null && <span className="qb-col">col {col}</span>}
          {error.message}
        </div>
      ) : (
        <span id="qb-hint" className="sr-only">
          Press Enter to search, slash to focus, Escape to leave the box.
        </span>
      )}
    </div>
  );
}
