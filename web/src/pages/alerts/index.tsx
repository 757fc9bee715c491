/** Findings of the detectors, with their explanation and a link to the evidence. */
import { lazy } from 'react';

export const path = '/alerts';
export const title = 'Alerts';
export const Component = lazy(() => import('./AlertsPage.tsx'));
