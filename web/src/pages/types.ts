/** What a page folder exports from its index.tsx. */
import type { ComponentType } from 'react';

export interface PageModule {
  /** the page's URL path, e.g. `/search` */
  path: string;
  /** its name in the top bar */
  title: string;
  /** usually `lazy(() => import('./XPage.tsx'))`, so each page is its own chunk */
  Component: ComponentType;
  /** imports the page's code (what `Component` is lazy() of): a failed fetch is tried again with it */
  load?: () => Promise<{ default: ComponentType }>;
  /** `false`: not in the top bar's page links (reached another way, e.g. Account from the user menu) */
  nav?: false;
}
