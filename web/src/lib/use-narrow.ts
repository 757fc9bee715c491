/**
 * Whether the window is at most 900 px wide, where base.css's `.hide-narrow` hides table columns: a cell
 * that spans a row must then count only the columns shown, or the hidden ones come back as empty
 * columns that take width from the rest.
 */
import { useSyncExternalStore } from 'react';

const NARROW = window.matchMedia('(max-width: 900px)');

const subscribe = (onChange: () => void): (() => void) => {
  NARROW.addEventListener('change', onChange);
  return () => NARROW.removeEventListener('change', onChange);
};

export const useNarrow = (): boolean => useSyncExternalStore(subscribe, () => NARROW.matches);
