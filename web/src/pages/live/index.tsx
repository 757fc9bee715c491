/** The live page: ingest rate, drops, store size, and a live tail of new lines. */
import { lazy } from 'react';

export const path = '/live';
export const title = 'Live';
export const Component = lazy(() => import('./LivePage.tsx'));
