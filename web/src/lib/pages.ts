/** Links between pages that exist only when the target page is registered (e.g. the investigation page). */
import { pages } from '../pages/index.ts';

export const hasPage = (path: string): boolean => pages.some((p) => p.path === path);

/** `/investigate?entity=ip:10.0.0.5…` when the investigation page exists, else null. */
export function pivotHref(kind: string, value: string, range: { from?: string; to?: string } = {}): string | null {
  if (!hasPage('/investigate')) return null;
  const sp = new URLSearchParams({ entity: `${kind}:${value}` });
  if (range.from !== undefined && range.from !== '') sp.set('from', range.from);
  if (range.to !== undefined && range.to !== '') sp.set('to', range.to);
  return `/investigate?${sp.toString()}`;
}
