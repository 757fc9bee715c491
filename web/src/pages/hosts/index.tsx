/** The malicious-host board of the SYN detector. */
import { lazy } from 'react';

export const path = '/hosts';
export const title = 'Hosts';
export const Component = lazy(() => import('./HostsPage.tsx'));
