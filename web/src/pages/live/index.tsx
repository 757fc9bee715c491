/** The live page: ingest rate, drops, store size, and a live tail of new lines. */
import { lazy } from 'react';

export const path = '/live';
export const title = 'Live';
/** the page's code, fetched when it is first opened (PageBoundary imports it again after a failure) */
export const load = () => import('./LivePage.tsx');
export const Component = lazy(load);
