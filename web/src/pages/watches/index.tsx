/** Watches: saved searches the server counts on a schedule, each raising an alert when it reaches its threshold. */
import { lazy } from 'react';

export const path = '/watches';
export const title = 'Watches';
/** the page's code, fetched when it is first opened (PageBoundary imports it again after a failure) */
export const load = () => import('./WatchesPage.tsx');
export const Component = lazy(load);
