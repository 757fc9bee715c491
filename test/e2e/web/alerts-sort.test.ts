/**
 * The Alerts page's Sort: raised or seen again (the default), triaged (newest first: a morning shift reads
 * what the night changed) and score (highest first, as `nml findings list --sort score`), kept in the
 * address so a link or a reload keeps it. Resolved and All were only in the order of sightings, and the
 * page had no order by score (a night-shift walk).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi } from './browser.js';
import { alertRowsBecome, openAlertsAt, playedSynFinding } from './played-findings.js';

const skip = skipReason();
const problems: string[] = [];

const NOW = Date.now();
const H = 3_600_000;
const finding = (id: number, score: number, sightedAt: number, triage: { status: string; by: string | null; at: number | null }) => ({ ...playedSynFinding(id, sightedAt, { ...triage, note: '' }), score });
const FINDINGS = [
  finding(1, 0.95, NOW - 10 * H, { status: 'resolved', by: 'night', at: NOW - H }),
  finding(2, 0.99, NOW - 2 * H, { status: 'resolved', by: 'day', at: NOW - 30 * H }),
  finding(3, 0.91, NOW - 5 * H, { status: 'false-positive', by: 'night', at: NOW - 3 * H }),
  finding(4, 0.97, NOW - 60_000, { status: 'open', by: null, at: null }),
];
/** the server's orders, as store.ts gives them */
const ORDERS: Record<string, (a: (typeof FINDINGS)[number], b: (typeof FINDINGS)[number]) => number> = {
  sighted: (a, b) => b.sightedAt - a.sightedAt,
  triaged: (a, b) => (b.triage.at ?? -1) - (a.triage.at ?? -1) || b.id - a.id,
  score: (a, b) => b.score - a.score,
};
/** the `sort` of each /api/findings request */
const asked: string[] = [];

const ui = loggedInUi(skip, problems, '/search', async (page) => {
  await page.route(
    (u) => u.pathname === '/api/findings',
    (r) => {
      const sp = new URL(r.request().url()).searchParams;
      const sort = sp.get('sort') ?? 'lastSeen';
      asked.push(sort);
      const statuses = sp.get('status')?.split(',');
      const shown = FINDINGS.filter((f) => statuses === undefined || statuses.includes(f.triage.status)).sort(ORDERS[sort]);
      return r.fulfill({ json: { findings: shown, readAt: NOW } });
    },
  );
  await openAlertsAt(page, { open: 1, acknowledged: 0, resolved: 2, 'false-positive': 1 }, '?status=all', 1);
});

test('All lists the most recently raised or seen again first; Sort triaged the night\'s changes first, then score; the address keeps it', { skip }, async () => {
  const page = ui.page;
  const sortMenu = page.getByLabel('Sort', { exact: true });
  assert.equal(await sortMenu.inputValue(), '', 'raised or seen again by default');
  await alertRowsBecome(ui.page, [4, 2, 3, 1]);
  assert.equal(asked.at(-1), 'sighted');
  assert.doesNotMatch(page.url(), /sort=/, 'the default is left out of the address');

  await sortMenu.selectOption({ label: 'triaged (newest first)' });
  // the night's resolved 1 (1 h ago), its false positive 3 (3 h ago), the day's 2 (yesterday), then nobody's 4
  await alertRowsBecome(ui.page, [1, 3, 2, 4]);
  assert.equal(asked.at(-1), 'triaged');
  assert.match(page.url(), /[?&]sort=triaged(&|$)/);
  await page.screenshot({ path: join(ARTIFACTS, 'alerts-sort-triaged.png') });

  await sortMenu.selectOption({ label: 'score (highest first)' });
  await alertRowsBecome(ui.page, [2, 4, 1, 3]);
  assert.equal(asked.at(-1), 'score');
  assert.match(page.url(), /[?&]sort=score(&|$)/);

  // a reload, or the link passed on, keeps the order
  await page.reload();
  await alertRowsBecome(ui.page, [2, 4, 1, 3]);
  assert.equal(await sortMenu.inputValue(), 'score');
  assert.equal(asked.at(-1), 'score');
  // one the page does not know (a hand-edited link): the default, said so (it was silent, where an unknown status is named)
  await page.goto(page.url().replace(/sort=score/, 'sort=newest'));
  await alertRowsBecome(ui.page, [4, 2, 3, 1]);
  assert.equal(await sortMenu.inputValue(), '');
  assert.equal(asked.at(-1), 'sighted');
  const note = page.locator('.notice.warn', { hasText: 'asks for sort' });
  assert.equal((await note.textContent())?.trim(), 'The address asks for sort “newest”, which is none of sighted, triaged, score: the list is sorted by raised or seen again.');
  // the API's name of a sort (a hand-made link's `sort=sighted`) is that sort, with no note
  await page.goto(page.url().replace(/sort=newest/, 'sort=triaged'));
  await alertRowsBecome(ui.page, [1, 3, 2, 4]);
  await page.goto(page.url().replace(/sort=triaged/, 'sort=sighted'));
  await alertRowsBecome(ui.page, [4, 2, 3, 1]);
  assert.equal(await sortMenu.inputValue(), '');
  assert.equal(await note.count(), 0);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});
