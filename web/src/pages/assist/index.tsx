/** Incident assistant: paste or upload a report → normalized record, similar incidents, first action, chat. */
import { lazy } from 'react';

export const path = '/assist';
export const title = 'Assist';
export const Component = lazy(() => import('./AssistPage.tsx'));
