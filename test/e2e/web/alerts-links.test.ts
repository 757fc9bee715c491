/**
 * The Alerts page against played findings: a SYN finding's evidence and pivot links search from its first
 * to its last sighting (its `evidence` window is the latest sighting's only, often a single instant, and
 * found nothing), and a triage note over the server's limit is said to be so, not cut without a word.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi } from './browser.js';
import { openAlertsOn } from './played-findings.js';

const skip = skipReason();
const problems: string[] = [];

const FIRST = Date.UTC(2026, 10, 28, 10, 0, 0, 0);
const LAST = Date.UTC(2026, 10, 28, 10, 20, 7, 0);
const finding = {
  id: 41,
  detector: 'syn',
  entity: 'ip:198.51.100.9',
  score: 0.97,
  threshold: 0.5,
  modelVersion: 'test',
  time: LAST,
  firstSeen: FIRST,
  lastSeen: LAST,
  count: 12,
  explanation: { summary: 'SYN scan of 300 ports' },
  // the latest sighting's instant: from == to
  evidence: { query: 'app:nml-syn 198.51.100.9', from: LAST, to: LAST },
  triage: { status: 'open', note: '', by: null, at: null, reopenedAt: null },
};

// a watch's finding: its entity names the watch, no entity of the logs, so no pivot (the investigator refuses `watch:`)
const watchFinding = {
  ...finding,
  id: 42,
  detector: 'watch',
  entity: 'watch:failed logins',
  score: 1,
  threshold: 50,
  modelVersion: 'watch',
  count: 3,
  explanation: { summary: '412 lines matched `failed password` in the 5 min to 10:20 UTC (threshold 50)' },
  evidence: { query: '(failed password) -app:nml-detect', from: LAST - 300_000, to: LAST },
};

const ui = loggedInUi(skip, problems, '/search', (page) => openAlertsOn(page, [finding, watchFinding]));

test('a SYN finding\'s evidence and pivot links cover its first to its last sighting, a second past the last', { skip }, async () => {
  const row = ui.page.locator('table.alerts-table tr[data-finding="41"]');
  const evidence = new URL((await row.getByRole('link', { name: /^Evidence of finding 41/ }).getAttribute('href'))!, ui.srv.base);
  assert.equal(evidence.searchParams.get('q'), finding.evidence.query);
  assert.equal(evidence.searchParams.get('from'), new Date(FIRST).toISOString());
  assert.equal(evidence.searchParams.get('to'), new Date(LAST + 1000).toISOString(), 'to is exclusive and times may be cut to the second');
  const pivot = new URL((await row.getByRole('link', { name: 'Investigate ip:198.51.100.9' }).getAttribute('href'))!, ui.srv.base);
  assert.equal(pivot.searchParams.get('from'), new Date(FIRST).toISOString());
  assert.equal(pivot.searchParams.get('to'), new Date(LAST + 1000).toISOString());
});

test("a watch's finding links its evidence search, and offers no pivot", { skip }, async () => {
  const row = ui.page.locator('table.alerts-table tr[data-finding="42"]');
  const evidence = new URL((await row.getByRole('link', { name: /^Evidence of finding 42/ }).getAttribute('href'))!, ui.srv.base);
  assert.equal(evidence.searchParams.get('q'), watchFinding.evidence.query);
  assert.equal(await row.getByRole('link', { name: /^Investigate / }).count(), 0);
  assert.match((await row.textContent()) ?? '', /failed logins/);
});

test('a pasted note over 2,000 characters is kept whole and said to be too long; saving waits until it fits', { skip }, async () => {
  const page = ui.page;
  await page.getByRole('button', { name: /^Status of finding 41: / }).click();
  const note = page.getByLabel('Note on finding 41');
  await note.waitFor();
  const long = 'checked the firewall logs; '.repeat(80); // 2,160 characters
  await note.fill(long);
  assert.equal((await note.inputValue()).length, long.length, 'nothing cut');
  const said = page.locator('.note-count.over');
  await said.waitFor();
  assert.match((await said.textContent()) ?? '', /2,159 characters; a note takes up to 2,000/);
  assert.equal(await note.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByRole('button', { name: 'Acknowledge finding 41' }).isDisabled(), true, 'not sent to be refused');
  await page.locator('tr.triage-row').screenshot({ path: join(ARTIFACTS, 'alerts-note-too-long.png') });
  await note.fill(long.slice(0, 1990));
  await said.waitFor({ state: 'detached' });
  assert.match((await page.locator('.note-count').textContent()) ?? '', /of 2,000 characters/);
  assert.equal(await page.getByRole('button', { name: 'Acknowledge finding 41' }).isDisabled(), false);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});
