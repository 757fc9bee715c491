/** Incident assistant: paste or upload a report → normalized record, similar incidents, first action, chat. */
import { lazy } from 'react';

export const path = '/assist';
export const title = 'Assist';
/** the page's code, fetched when it is first opened (PageBoundary imports it again after a failure) */
export const load = () => import('./AssistPage.tsx');
export const Component = lazy(load);
