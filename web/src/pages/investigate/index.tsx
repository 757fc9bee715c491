/** Investigation: a pivot graph from an entity (flows, DNS, DHCP, logons, IDS) and the scope of impact of a host. */
import { lazy } from 'react';

export const path = '/investigate';
export const title = 'Investigate';
export const Component = lazy(() => import('./InvestigatePage.tsx'));
