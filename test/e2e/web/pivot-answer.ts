/** Played `/api/pivot` answers for the Investigate tests: neighbours seen three times in the minute before `now`. */
import type { Page } from 'playwright-core';

export function pivotNeighbour(entity: string, now: number) {
  return { entity, count: 3, first: now - 60_000, last: now, blocklist: [], articles: 0, evidence: { q: entity, from: now - 60_000, to: now } };
}

export function pivotGroup(relation: string, direction: 'in' | 'out', entities: readonly string[], now: number) {
  return { relation, direction, total: entities.length, neighbours: entities.map((e) => pivotNeighbour(e, now)) };
}

export function pivotAnswer<G>(entity: string, groups: G[]) {
  return { entity, from: null, to: null, blocklist: [], articles: [], identity: null, periods: 1, tookMs: 1, groups };
}

/**
 * Plays the Investigate page's calls (`/api/pivot` as `answer` gives it for the URL asked, an empty scope, no findings)
 * and opens the page, logged in at /search, on `hub`.
 */
export async function openPlayedPivot(page: Page, hub: string, now: number, answer: (url: URL) => unknown): Promise<void> {
  await page.route((u) => u.pathname === '/api/pivot', (r) => r.fulfill({ json: answer(new URL(r.request().url())) }));
  await page.route((u) => u.pathname === '/api/pivot/scope', (r) => r.fulfill({ json: { entity: hub, from: null, to: null, destinations: 0, common: 0, skipped: 0, unexamined: 0, totalHosts: 0, hosts: [], tookMs: 1 } }));
  await page.route((u) => u.pathname === '/api/findings', (r) => r.fulfill({ json: { readAt: now, findings: [] } }));
  await page.goto(page.url().replace(/\/search.*$/, `/investigate?entity=${encodeURIComponent(hub)}`));
}
