/** Investigation: a pivot graph from an entity (flows, DNS, DHCP, logons, IDS) and the scope of impact of a host. */
import { lazy } from 'react';

export const path = '/investigate';
export const title = 'Investigate';
/** the page's code, fetched when it is first opened (PageBoundary imports it again after a failure) */
export const load = () => import('./InvestigatePage.tsx');
export const Component = lazy(load);
