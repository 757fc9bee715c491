/** Findings of the detectors, with their explanation and a link to the evidence. */
import { lazy } from 'react';

export const path = '/alerts';
export const title = 'Alerts';
/** the page's code, fetched when it is first opened (PageBoundary imports it again after a failure) */
export const load = () => import('./AlertsPage.tsx');
export const Component = lazy(load);
