/**
 * The page links on a narrow screen (CSS shows it in place of the top bar's row of links below
 * --nav-collapse): a button naming the current page that shows and hides the list of pages. At 420 px the
 * row scrolled sideways with its scroll bar hidden: "Alerts" was cut to "Ale" and three pages could not be seen.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from '../components/Link.tsx';
import type { PageModule } from '../pages/types.ts';
import { useDisclosureClose } from './disclosure.ts';

export function PagesMenu({ pages, current }: { pages: readonly PageModule[]; current: string }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDisclosureClose(open, close, box, trigger);
  // a link followed: the page changed, the list has done its work
  useEffect(() => setOpen(false), [current]);
  const here = pages.find((p) => p.path === current)?.title;
  return (
    <div className="menu pages-menu" ref={box}>
      <button
        type="button"
        ref={trigger}
        className="btn ghost"
        aria-expanded={open}
        aria-controls="pages-menu"
        aria-label={here === undefined ? 'Pages' : `Pages (now ${here})`}
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true">☰</span>
        {here !== undefined && <span className="pages-menu-here">{here}</span>}
      </button>
      {open && (
        <nav className="menu-pop pages-pop" id="pages-menu" aria-label="Pages">
          {pages.map((p) => (
            <Link key={p.path} className="btn ghost" href={p.path} aria-current={p.path === current ? 'page' : undefined} onClick={close}>
              {p.title}
            </Link>
          ))}
        </nav>
      )}
    </div>
  );
}
