/**
 * A tiny History-API router: the path and the query string are the page's state. `navigate` pushes or
 * replaces an entry and tells every `useLocation` hook; the back button works through popstate.
 */
import { useCallback, useSyncExternalStore } from 'react';

const CHANGE = 'nml:navigate';

function subscribe(cb: () => void): () => void {
  window.addEventListener('popstate', cb);
  window.addEventListener(CHANGE, cb);
  return () => {
    window.removeEventListener('popstate', cb);
    window.removeEventListener(CHANGE, cb);
  };
}

const snapshot = (): string => window.location.pathname + window.location.search;

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (opts.replace === true) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
}

export interface Location {
  path: string;
  params: URLSearchParams;
}

/** The current path and query; re-renders on every navigation. */
export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  const q = href.indexOf('?');
  return { path: q < 0 ? href : href.slice(0, q), params: new URLSearchParams(q < 0 ? '' : href.slice(q)) };
}

export type ParamPatch = Record<string, string | null | undefined>;

export function hrefWith(path: string, params: URLSearchParams, patch: ParamPatch): string {
  const next = new URLSearchParams(params);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined || v === '') next.delete(k);
    else next.set(k, v);
  }
  const qs = next.toString();
  return qs === '' ? path : `${path}?${qs}`;
}

/** URL query parameters as state: `[params, set(patch, {replace})]`. */
export function useUrlParams(): [URLSearchParams, (patch: ParamPatch, opts?: { replace?: boolean }) => void] {
  const { path, params } = useLocation();
  const set = useCallback(
    (patch: ParamPatch, opts: { replace?: boolean } = {}) => {
      const cur = new URLSearchParams(window.location.search);
      navigate(hrefWith(path, cur, patch), opts);
    },
    [path],
  );
  return [params, set];
}
