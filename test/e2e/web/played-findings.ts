/** The Alerts page on findings the test plays: /api/findings, its counts and its clients answered, then the page opened from the search page. */
import type { Page } from 'playwright-core';
import { untilInPage } from './browser.js';

export async function openAlertsOn(page: Page, findings: readonly { id: number; triage: { status: string } }[]): Promise<void> {
  const counts: Record<string, number> = { open: 0, acknowledged: 0, resolved: 0, 'false-positive': 0 };
  for (const f of findings) counts[f.triage.status] = (counts[f.triage.status] ?? 0) + 1;
  await page.route((u) => u.pathname === '/api/findings' && u.search.includes('status'), (r) => r.fulfill({ json: { findings, readAt: Date.now() } }));
  await openAlertsAt(page, counts, '', findings[findings.length - 1]!.id);
}

/**
 * The Alerts page opened from the search page at `query` (`?status=all`, or ''), its counts answered with
 * `counts` (or what it gives for the request's address: counts by the filters asked) and its clients with
 * none, once finding `first` is drawn; /api/findings is the caller's to play.
 */
export async function openAlertsAt(page: Page, counts: Record<string, number> | ((asked: URL) => Record<string, number>), query: string, first: number): Promise<void> {
  await page.route((u) => u.pathname === '/api/findings/counts', (r) => r.fulfill({ json: { counts: typeof counts === 'function' ? counts(new URL(r.request().url())) : counts } }));
  await page.route((u) => u.pathname === '/api/findings/clients', (r) => r.fulfill({ json: { who: {}, missing: [] } }));
  await page.getByLabel('Search query').waitFor();
  await page.goto(page.url().replace(/\/search.*$/, `/alerts${query}`));
  await page.locator(`table.alerts-table tr[data-finding="${first}"]`).waitFor();
}

/** A night shift's long triage note: more than two lines of a status cell at any width. */
export const LONG_NOTE =
  'blocked 203.0.113.9 at the edge firewall (change CHG-20931), the host reimaged by the desk at 02:10; the user says the mail came from a supplier we know, so ask purchasing in the morning whether they were breached too, and keep the ticket INC-4411 open until then';

/** Waits until the Alerts table's rows, top to bottom, are the findings `want`. */
export async function alertRowsBecome(page: Page, want: number[]): Promise<void> {
  await untilInPage(page, `[...document.querySelectorAll('table.alerts-table tr[data-finding]')].map((tr) => tr.dataset.finding).join() === ${JSON.stringify(want.join())}`);
}

/** A played finding's triage, as GET /api/findings gives it (a finding from before assignment has no assignee fields). */
export interface PlayedTriage {
  status: string;
  note: string;
  by: string | null;
  at: number | null;
  reopenedAt?: null;
  assignee?: string | null;
  assignedAt?: number | null;
}

/** A played SYN finding of 192.0.2.ID, raised a minute before `sightedAt` and last seen then, with this triage and summary. */
export function playedSynFinding(id: number, sightedAt: number, triage: PlayedTriage, summary = `finding ${id}`) {
  return {
    id,
    detector: 'syn',
    entity: `ip:192.0.2.${id}`,
    score: 0.95,
    threshold: 0.9,
    modelVersion: 't',
    time: sightedAt,
    firstSeen: sightedAt - 60_000,
    lastSeen: sightedAt,
    count: 3,
    sightedAt,
    explanation: { summary, detail: null },
    evidence: { query: `ip:192.0.2.${id}`, from: sightedAt - 60_000, to: sightedAt },
    triage: { reopenedAt: null, ...triage },
  };
}
