/** Product name, page navigation, theme toggle and the user menu. */
import { useCallback, useRef, useState } from 'react';
import { pages } from '../pages/index.ts';
import { Link } from '../components/Link.tsx';
import { useTheme } from '../lib/theme.ts';
import { navigate } from '../lib/router.ts';
import { useAuth } from './auth.ts';
import { useDisclosureClose } from './disclosure.ts';
import { PagesMenu } from './PagesMenu.tsx';

export function TopBar({ current }: { current: string }) {
  const [theme, toggleTheme] = useTheme();
  const listed = pages.filter((p) => p.nav !== false);
  return (
    <header className="topbar">
      <a className="brand" href="/" aria-label="NML home">
        <img src="/favicon.svg" alt="" />
        NML<small>Network Muscle Learning</small>
      </a>
      {/* one of the two shows, by the screen's width (base.css): a row of links, or a menu of them */}
      <nav className="nav" aria-label="Pages">
        {listed.map((p) => (
          <Link key={p.path} href={p.path} aria-current={p.path === current ? 'page' : undefined}>
            {p.title}
          </Link>
        ))}
      </nav>
      <PagesMenu pages={listed} current={current} />
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

/** A disclosure, not an ARIA menu: the trigger shows and hides a panel of plain buttons that Tab reaches next (closing: disclosure.ts). */
function UserMenu({ current }: { current: string }) {
  const { user, logout } = useAuth();
  const [open, setOpen] = useState(false);
  const [logoutFailed, setLogoutFailed] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDisclosureClose(open, close, ref, trigger);
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
          {/* the OpenAPI docs (the server's page, not one of the app's): nothing in the UI led there, only the README */}
          <a className="btn ghost" href="/docs" target="_blank" rel="noopener" onClick={() => setOpen(false)}>
            API docs
          </a>
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
