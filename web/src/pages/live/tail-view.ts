/**
 * The live tail's list, outside React: the newest MAX_ROWS events in a buffer, newest first, and only
 * the rows in view in the DOM (fixed row height, a pool of row elements reused). A flush or a scroll
 * rewrites a screenful of text and nothing else, so the cost per frame does not grow with the rate.
 * While the user has scrolled down to read, new lines do not move what they are reading. From the
 * keyboard the list is one tab stop: arrows, Page Up/Down, Home and End move a highlighted line (which
 * stays on its line as new ones arrive), Enter or Space opens it as a click does.
 */
import { formatTime } from '../../lib/format.ts';

/** live.css's narrow layout, whose time column is 96 px */
const NARROW = window.matchMedia('(max-width: 900px)');
import type { TailEvent } from '../../lib/types.ts';

export const MAX_ROWS = 2000;
export const ROW_H = 21;
const OVERSCAN = 6;

let views = 0;

function makeRow(id: string): HTMLDivElement {
  const row = document.createElement('div');
  row.className = 'tail-row';
  row.id = id;
  row.setAttribute('role', 'row');
  for (const cls of ['tail-time', 'tail-src', 'tail-line']) {
    const c = document.createElement('span');
    c.className = cls;
    c.setAttribute('role', 'gridcell');
    row.appendChild(c);
  }
  return row;
}

export class TailView {
  private buffer: TailEvent[] = [];
  private readonly pool: HTMLDivElement[] = [];
  private readonly spacer: HTMLDivElement;
  private readonly window: HTMLDivElement;
  private scheduled = 0;
  /** the line the keyboard is on (an event, not an index: new lines shift the indices) */
  private active: TailEvent | null = null;
  private readonly idPrefix = `tail-${++views}-row-`;

  constructor(
    private readonly scroller: HTMLElement,
    host: HTMLElement,
    private readonly onPick: (ev: TailEvent) => void,
  ) {
    this.spacer = document.createElement('div');
    this.spacer.className = 'tail-spacer';
    this.window = document.createElement('div');
    this.window.className = 'tail-window';
    this.spacer.appendChild(this.window);
    host.replaceChildren(this.spacer);
    scroller.addEventListener('scroll', this.onScroll, { passive: true });
    this.window.addEventListener('click', this.onClick);
    scroller.addEventListener('keydown', this.onKey);
  }

  get size(): number {
    return this.buffer.length;
  }

  /** Adds events given oldest first; returns how many of them were shown (the rest: over the cap). */
  add(oldestFirst: readonly TailEvent[]): void {
    if (oldestFirst.length === 0) return;
    const fresh = oldestFirst.slice(-MAX_ROWS).reverse();
    this.buffer = fresh.concat(this.buffer);
    if (this.buffer.length > MAX_ROWS) this.buffer.length = MAX_ROWS;
    if (this.active !== null && this.buffer.length === MAX_ROWS && !this.buffer.includes(this.active)) this.active = null;
    // reading further down: keep the same lines under the eyes
    if (this.scroller.scrollTop > 0) this.scroller.scrollTop += fresh.length * ROW_H;
    this.render();
  }

  clear(): void {
    this.buffer = [];
    this.active = null;
    this.render();
  }

  destroy(): void {
    this.scroller.removeEventListener('scroll', this.onScroll);
    this.window.removeEventListener('click', this.onClick);
    this.scroller.removeEventListener('keydown', this.onKey);
    if (this.scheduled !== 0) cancelAnimationFrame(this.scheduled);
  }

  private readonly onScroll = (): void => {
    if (this.scheduled !== 0) return;
    this.scheduled = requestAnimationFrame(() => {
      this.scheduled = 0;
      this.render();
    });
  };

  private readonly onClick = (e: MouseEvent): void => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('.tail-row');
    const i = row === null ? NaN : Number(row.dataset.index);
    const ev = this.buffer[i];
    if (ev === undefined) return;
    this.active = ev;
    this.render();
    this.onPick(ev);
  };

  private readonly onKey = (e: KeyboardEvent): void => {
    const n = this.buffer.length;
    if (n === 0) return;
    const at = this.active === null ? -1 : this.buffer.indexOf(this.active);
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_H) - 1);
    let next: number;
    switch (e.key) {
      case 'ArrowDown':
        next = at + 1;
        break;
      case 'ArrowUp':
        next = at < 0 ? 0 : at - 1;
        break;
      case 'PageDown':
        next = Math.max(at, 0) + page;
        break;
      case 'PageUp':
        next = Math.max(at, 0) - page;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = n - 1;
        break;
      case 'Enter':
      case ' ':
        if (at < 0) return;
        e.preventDefault();
        this.onPick(this.buffer[at]!);
        return;
      default:
        return;
    }
    e.preventDefault();
    next = Math.min(n - 1, Math.max(0, next));
    this.active = this.buffer[next]!;
    // the line into view, then drawn
    const top = next * ROW_H;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + ROW_H > this.scroller.scrollTop + this.scroller.clientHeight) this.scroller.scrollTop = top + ROW_H - this.scroller.clientHeight;
    this.render();
  };

  render(): void {
    const n = this.buffer.length;
    this.spacer.style.height = `${n * ROW_H}px`;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / ROW_H) - OVERSCAN);
    const count = Math.min(n - first, Math.ceil(this.scroller.clientHeight / ROW_H) + 2 * OVERSCAN);
    this.window.style.transform = `translateY(${first * ROW_H}px)`;
    while (this.pool.length < count) this.pool.push(makeRow(this.idPrefix + this.pool.length));
    const narrow = NARROW.matches;
    let activeId: string | null = null;
    for (let k = 0; k < Math.max(count, 0); k++) {
      const row = this.pool[k]!;
      const ev = this.buffer[first + k]!;
      row.dataset.index = String(first + k);
      const [t, s, l] = row.children as unknown as [HTMLElement, HTMLElement, HTMLElement];
      const when = formatTime(ev.time);
      // the narrow layout's time column holds the time of day, not a cut-off date; the date is in the title
      t.textContent = narrow ? when.slice(11) : when;
      t.title = narrow ? when : '';
      // the line's own host says more than the source it came in by (often the same "demo" on every row);
      // events from a server before `host` have none
      const host = ev.host ?? null;
      s.textContent = host ?? ev.source;
      // the whole value too, as the column cuts it with an ellipsis
      s.title = host === null ? `source ${ev.source}` : `host ${host} · source ${ev.source}`;
      l.textContent = ev.truncated === true ? `${ev.line} … [cut: ${ev.fullLength ?? '?'} characters]` : ev.line;
      l.title = ev.line.length > 200 ? '' : ev.line;
      const on = ev === this.active;
      row.classList.toggle('active', on);
      row.setAttribute('aria-selected', String(on));
      if (on) activeId = row.id;
      if (row.parentNode !== this.window) this.window.appendChild(row);
    }
    for (let k = Math.max(count, 0); k < this.pool.length; k++) this.pool[k]!.remove();
    if (activeId === null) this.scroller.removeAttribute('aria-activedescendant');
    else this.scroller.setAttribute('aria-activedescendant', activeId);
  }
}
