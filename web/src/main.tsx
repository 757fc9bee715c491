/** Entry point: theme first (no flash of the wrong one), then the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { applyTheme, storedTheme } from './lib/theme.ts';
import { App } from './app/App.tsx';
import './styles/tokens.css';
import './styles/base.css';

applyTheme(storedTheme());
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
