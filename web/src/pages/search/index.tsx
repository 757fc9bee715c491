/** The search page: query, time range, histogram, facets and results. */
import { lazy } from 'react';

export const path = '/search';
export const title = 'Search';
export const Component = lazy(() => import('./SearchPage.tsx'));
