/** The malicious-host board of the SYN detector. */
import { lazy } from 'react';

export const path = '/hosts';
export const title = 'Hosts';
/** the page's code, fetched when it is first opened (PageBoundary imports it again after a failure) */
export const load = () => import('./HostsPage.tsx');
export const Component = lazy(load);
