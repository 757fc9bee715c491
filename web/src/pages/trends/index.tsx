/** Attack-type trends: observed reports and predicted probabilities per type, and what drives tomorrow's prediction. */
import { lazy } from 'react';

export const path = '/trends';
export const title = 'Trends';
/** the page's code, fetched when it is first opened (PageBoundary imports it again after a failure) */
export const load = () => import('./TrendsPage.tsx');
export const Component = lazy(load);
