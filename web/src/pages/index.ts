/**
 * The pages of the UI, in top-bar order. Adding a page: create `pages/<name>/index.tsx` exporting
 * `path`, `title` and `Component` (see pages/types.ts), then add its name to this list. A page that
 * exports `nav = false` is routed but left out of the top bar's links. The server must know the page
 * too (`SPA_PAGES` in src/serve/routes/static.ts; a test compares the two), or a reload is a 404.
 */
import type { PageModule } from './types.ts';

const ORDER = [
  'search',
  'live',
  'hosts',
  'alerts',
  'watches',
  'assist',
  'investigate',
  'trends',
  'account',
];

const modules = import.meta.glob<PageModule>('./*/index.tsx', { eager: true });

function load(): PageModule[] {
  const byName = new Map<string, PageModule>();
  for (const [file, mod] of Object.entries(modules)) byName.set(file.split('/')[1]!, mod);
  const listed = ORDER.flatMap((name) => {
    const m = byName.get(name);
    return m === undefined ? [] : [m];
  });
  // a folder someone forgot to list still works, at the end of the bar
  const rest = [...byName.entries()].filter(([name]) => !ORDER.includes(name)).map(([, m]) => m);
  return [...listed, ...rest];
}

export const pages: readonly PageModule[] = load();
export const DEFAULT_PATH = pages[0]?.path ?? '/search';
