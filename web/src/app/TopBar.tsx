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

function UserMenu({ current }: { current: string }) {
  const { user, logout } = useAuth();
  const [open, setOpen] = useState(false);
  const [logoutFailed, setLogoutFailed] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (ref.current !== null && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div className="menu" ref={ref}>
      <button type="button" className="btn ghost" aria-haspopup="menu" aria-expanded={open} aria-label={`User menu for ${user.name}`} onClick={() => setOpen(!open)}>
        <span className="avatar" aria-hidden="true">
          {user.name.slice(0, 1).toUpperCase()}
        </span>
        <span className="hide-narrow">{user.name}</span>
      </button>
      {open && (
        <div className="menu-pop" role="menu">
          <div className="who">
            <div>{user.name}</div>
            <div className="faint">{user.role}</div>
          </div>
          <button
            type="button"
            role="menuitem"
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
            role="menuitem"
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
