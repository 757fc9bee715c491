/** The words and links of a watch as the page shows them: its rule in a line, its last count, where its lines and alerts are. */
import type { WatchInfo } from '../../lib/types.ts';
import { formatInt } from '../../lib/format.ts';

/** The lengths of time offered beside the fields (the server takes any `<n>s|m|h|d` in range). */
export const WINDOW_CHOICES = ['1m', '5m', '15m', '1h', '6h', '1d', '7d'];
export const EVERY_CHOICES = ['30s', '1m', '5m', '15m', '1h', '1d'];

/** `≥ 50 lines in 5m, counted every 1m` */
export function ruleText(w: Pick<WatchInfo, 'threshold' | 'window' | 'every'>): string {
  return `≥ ${formatInt(w.threshold)} ${w.threshold === 1 ? 'line' : 'lines'} in ${w.window}, counted every ${w.every}`;
}

/** The Search page on the watch's query over its window back from now: the lines it counts. */
export function searchHref(w: Pick<WatchInfo, 'query' | 'window'>): string {
  return `/search?${new URLSearchParams({ q: w.query, from: `-${w.window}` }).toString()}`;
}

/** The Alerts page on the findings of this watch (every status: a resolved one still tells when it fired). */
export function alertsHref(w: Pick<WatchInfo, 'name'>): string {
  return `/alerts?${new URLSearchParams({ detector: 'watch', entity: `watch:${w.name}`, status: 'all' }).toString()}`;
}

/** The Watches page with a new watch's form open on `query` (the Search page's "Watch…"). */
export function watchHref(query: string): string {
  return `/watches?${new URLSearchParams({ new: '1', q: query }).toString()}`;
}
