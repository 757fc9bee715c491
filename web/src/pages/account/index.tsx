/** Account: change your own password; admins also manage the users. Reached from the user menu, not the top bar. */
import { lazy } from 'react';

export const path = '/account';
export const title = 'Account';
export const nav = false;
/** the page's code, fetched when it is first opened (PageBoundary imports it again after a failure) */
export const load = () => import('./AccountPage.tsx');
export const Component = lazy(load);
