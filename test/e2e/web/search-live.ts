/** What the search tests under live ingest share: sending lines, reading the page's requests and answers, loading every row, the host facets' counts. */
import assert from 'node:assert/strict';
import type { Page, Request, Response } from 'playwright-core';
import { until, type UiServer } from './browser.js';

/** POST /api/ingest of `lines`, acknowledged once committed. */
export async function ingestLines(srv: UiServer, lines: string[]): Promise<void> {
  const r = await fetch(`${srv.base}/api/ingest`, { method: 'POST', headers: { authorization: `Bearer ${srv.token}`, 'content-type': 'text/plain' }, body: lines.join('\n') });
  assert.equal(r.status, 200, await r.text());
}

export const params = (r: Request): URLSearchParams => new URL(r.url()).searchParams;

/** The histogram and both facet lists of the search for a query that contains `q`, once answered (the histogram's body). */
export async function answersOf(page: Page, q: string): Promise<{ total: number }> {
  const of = (path: string) => (r: Response) => new URL(r.url()).pathname === path && (params(r.request()).get('q') ?? '').includes(q);
  const [hist] = await Promise.all([page.waitForResponse(of('/api/histogram')), page.waitForResponse(of('/api/facets')), page.waitForResponse(of('/api/facets'))]);
  return (await hist.json()) as { total: number };
}

/** Clicks "Load more results" until the results end; returns the rows shown. */
export async function loadEveryRow(page: Page): Promise<number> {
  const more = page.getByRole('button', { name: 'Load more results' });
  const end = page.locator('.results-foot', { hasText: 'End of results' });
  await until(async () => {
    if ((await end.count()) > 0) return true;
    // the button goes once the last page is in: a short try, again next round, not 30 s on a button
    // that went between a look and a wait (isEnabled after count() waited the whole 30 s in CI)
    await more.click({ timeout: 1000 }).catch(() => undefined);
    return false;
  }, 'every page loaded');
  return page.locator('table.results-table tbody tr.hit').count();
}

/** The count the host facet gives each of `hosts` (its button's label ends "(1,234)"). */
export async function hostFacetCounts(page: Page, hosts: readonly string[]): Promise<number[]> {
  const facets = page.locator('aside[aria-label="Facets"]');
  const counts: number[] = [];
  for (const host of hosts) {
    const label = (await facets.getByRole('button', { name: new RegExp(`^Add host:${host} to the query`) }).getAttribute('aria-label')) ?? '';
    counts.push(Number(/\(([\d,]+)\)$/.exec(label)![1]!.replace(/,/g, '')));
  }
  return counts;
}

/** Holds the page's requests that `match` for `ms` before they go on to the server: lines come meanwhile. */
export async function delayed(page: Page, match: (u: URL) => boolean, ms: number): Promise<void> {
  await page.route(match, async (r) => {
    await new Promise((res) => setTimeout(res, ms));
    await r.continue();
  });
}
