/** Attack-type trends: observed reports and predicted probabilities per type, and what drives tomorrow's prediction. */
import { lazy } from 'react';

export const path = '/trends';
export const title = 'Trends';
export const Component = lazy(() => import('./TrendsPage.tsx'));
