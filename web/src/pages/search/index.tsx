/** The search page: query, time range, histogram, facets and results. */
import { lazy } from 'react';

export const path = '/search';
export const title = 'Search';
/** the page's code, fetched when it is first opened (PageBoundary imports it again after a failure) */
export const load = () => import('./SearchPage.tsx');
export const Component = lazy(load);
