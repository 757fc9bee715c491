/** What a page folder exports from its index.tsx. */
import type { ComponentType } from 'react';

export interface PageModule {
  /** the page's URL path, e.g. `/search` */
  path: string;
  /** its name in the top bar */
  title: string;
  /** usually `lazy(() => import('./XPage.tsx'))`, so each page is its own chunk */
  Component: ComponentType;
  /** `false`: not in the top bar's page links (reached another way, e.g. Account from the user menu) */
  nav?: false;
}
