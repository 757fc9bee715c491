/** Account: change your own password; admins also manage the users. Reached from the user menu, not the top bar. */
import { lazy } from 'react';

export const path = '/account';
export const title = 'Account';
export const nav = false;
export const Component = lazy(() => import('./AccountPage.tsx'));
