/** Product name, page navigation, theme toggle and the user menu. */
import { useEffect, useRef, useState } from 'react';
import { pages } from '../pages/index.ts';
import { Link } from '../components/Link.tsx';
import { useTheme } from '../lib/theme.ts';
import { navigate } from '../lib/router.ts';
import { useAuth } from './auth.ts';

export function TopBar({ current }: { current: string }) {
  const [theme, toggleTheme] = useTheme();
  return (
    <header className="topbar">
      <a className="brand" href="/" aria-label="NML home">
        <img src="/favicon.svg" alt="" />
        NML<small>Network Muscle Learning</small>
      </a>
      <nav className="nav" aria-label="Pages">
        {pages
          .filter((p) => p.nav !== false)
          .map((p) => (
            <Link key={p.path} href={p.path} aria-current={p.path === current ? 'page' : undefined}>
              {p.title}
            </Link>
          ))}
      </nav>
      <div className="topbar-right">
        <button
          type="button"
          className="btn ghost"
          onClick={toggleTheme}
          aria-label={theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
          title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
        >
          {theme === 'dark' ? '☀' : '☾'}
        </button>
        <UserMenu current={current} />
      </div>
    </header>
  );
}

/**
 * A disclosure, not an ARIA menu: the trigger shows and hides a panel of plain buttons that Tab reaches
 * next. Escape closes it and gives the focus back to the trigger; a click or the focus going elsewhere closes it,
 * out of the page too (Tab past its last stop, another window), which no focusin reports: a focusout from inside
 * with no new target, unless a press inside the panel is what took the focus.
 */
function UserMenu({ current }: { current: string }) {
  const { user, logout } = useAuth();
  const [open, setOpen] = useState(false);
  const [logoutFailed, setLogoutFailed] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const pressInside = useRef(false);
  useEffect(() => {
    if (!open) return;
    const outside = (t: EventTarget | null) => ref.current !== null && !(t instanceof Node && ref.current.contains(t));
    const onDown = (e: MouseEvent) => {
      if (outside(e.target)) setOpen(false);
      else pressInside.current = true;
    };
    const onUp = () => {
      pressInside.current = false;
    };
    const onFocus = (e: FocusEvent) => {
      if (outside(e.target)) setOpen(false);
    };
    const onFocusOut = (e: FocusEvent) => {
      if (e.relatedTarget === null && !outside(e.target) && !pressInside.current) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      const inside = !outside(document.activeElement);
      setOpen(false);
      if (inside) trigger.current?.focus();
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('mouseup', onUp);
    document.addEventListener('focusin', onFocus);
    document.addEventListener('focusout', onFocusOut);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('mouseup', onUp);
      document.removeEventListener('focusin', onFocus);
      document.removeEventListener('focusout', onFocusOut);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div className="menu" ref={ref}>
      <button
        type="button"
        ref={trigger}
        className="btn ghost"
        aria-expanded={open}
        aria-controls="user-menu"
        aria-label={`User menu for ${user.name}`}
        onClick={() => setOpen(!open)}
      >
        <span className="avatar" aria-hidden="true">
          {user.name.slice(0, 1).toUpperCase()}
        </span>
        <span className="hide-narrow">{user.name}</span>
      </button>
      {open && (
        <div className="menu-pop" id="user-menu">
          <div className="who">
            <div>{user.name}</div>
            <div className="faint">{user.role}</div>
          </div>
          <button
            type="button"
            className="btn ghost"
            aria-current={current === '/account' ? 'page' : undefined}
            onClick={() => {
              setOpen(false);
              navigate('/account');
            }}
          >
            Account
          </button>
          <button
            type="button"
            className="btn ghost"
            onClick={() => {
              setLogoutFailed(false);
              void logout().then((ok) => setLogoutFailed(!ok));
            }}
          >
            Log out
          </button>
          {logoutFailed && (
            <div className="logout-failed" role="alert">
              Logout failed — you are still logged in. Try again, or close the browser.
            </div>
          )}
        </div>
      )}
    </div>
  );
}
