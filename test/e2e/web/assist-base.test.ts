/**
 * The Assist page with no report in hand shows the incident base: how many incidents by source, the latest
 * saved (title, source, when saved), one opened with its normalized record, similar incidents and the chat, and a
 * Delete with a confirm step that takes it out of the base and of similar-incident search; a viewer sees no Delete.
 * Screenshots: test-artifacts/web/assist-base-1440.png, assist-base-768.png, assist-base-opened.png, assist-base-confirm.png.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, apiGet, pageScrollsSideways, skipReason, until, untilInPage, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];
const ui = loggedInUi(skip, problems, '/assist', (p) => p.getByLabel('Report text').waitFor());

const REPORTS = [
  'Event Summary: SSH Brute Force Attempt on bastion-01\nThreat Name: SSH2 Login Attempt\nSource IP: 203.0.113.45\nDestination Port: 22\nProtocol: TCP\nFirst Action: blocked 203.0.113.45 at the firewall',
  'Event Summary: SSH Brute Force Attempt on web-01\nThreat Name: SSH2 Login Attempt\nSource IP: 198.51.100.7\nDestination Port: 22\nProtocol: TCP\nFirst Action: isolated web-01',
  'Event Summary: Customer data pasted by mistake (Jane Customer, card 4111-1111-1111-1111)\nThreat Name: none\nDestination Port: 443',
];

interface Listed {
  incidents: { id: string; title: string; source: string }[];
  total: number;
  sources: Record<string, number>;
}

async function save(text: string): Promise<string> {
  const r = await fetch(`${ui.srv.base}/api/assist/normalize`, { method: 'POST', headers: { authorization: `Bearer ${ui.srv.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ text, save: true }) });
  assert.equal(r.status, 200, await r.clone().text());
  return ((await r.json()) as { id: string }).id;
}

test('no report in hand: the base by source and the latest saved; one opens with its record and similar incidents; Delete asks first, then removes it for good', { skip }, async () => {
  const page = ui.page;
  const ids: string[] = [];
  for (const text of REPORTS) ids.push(await save(text));
  await page.reload();
  const panel = page.locator('section.assist-base');
  await panel.waitFor();
  const items = panel.locator('.assist-base-list > li');
  await until(async () => (await items.count()) >= 3, 'the three saved reports listed');
  // newest saved first, each with its source
  assert.match((await items.nth(0).textContent()) ?? '', /Customer data pasted by mistake.*report/);
  assert.match((await items.nth(2).textContent()) ?? '', /SSH Brute Force Attempt on bastion-01.*report/);
  const byReport = panel.getByRole('button', { name: /^report \d+$/ });
  const counted = Number(/\d+$/.exec((await byReport.textContent()) ?? '')?.[0]);
  assert.ok(counted >= 3, `report count ${counted}`);

  for (const width of [1440, 768]) {
    await page.setViewportSize({ width, height: 900 });
    assert.equal(await pageScrollsSideways(page), false, `no sideways scroll at ${width}`);
    await page.screenshot({ path: join(ARTIFACTS, `assist-base-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 860 });

  // a saved report opens with its normalized record, similar incidents (the other SSH report first) and the chat
  await panel.getByRole('button', { name: /SSH Brute Force Attempt on web-01/ }).click();
  const opened = page.locator('section.assist-base-incident');
  await opened.locator('section[aria-label="Normalized record"] table').waitFor();
  assert.match((await opened.locator('section[aria-label="Normalized record"]').textContent()) ?? '', /SSH2 Login Attempt/);
  const similar = opened.locator('section[aria-label="Similar incidents"] .assist-similar > li');
  await similar.first().waitFor();
  assert.match((await similar.first().textContent()) ?? '', /bastion-01/);
  await opened.locator('section.assist-chat').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'assist-base-opened.png'), fullPage: true });

  // the mistake: opened, Delete, Cancel keeps it; Delete for good removes it
  await panel.getByRole('button', { name: /Customer data pasted by mistake/ }).click();
  await opened.getByRole('heading', { name: /Customer data pasted by mistake/ }).waitFor();
  await opened.getByRole('button', { name: 'Delete…' }).click();
  const confirm = opened.getByRole('group', { name: 'Confirm the deletion' });
  await confirm.waitFor();
  await confirm.screenshot({ path: join(ARTIFACTS, 'assist-base-confirm.png') });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'detached' });
  assert.equal((await apiGet<Listed>(ui.srv, '/api/assist/incidents')).body.incidents.some((x) => x.id === ids[2]), true, 'cancelled: kept');

  await opened.getByRole('button', { name: 'Delete…' }).click();
  await confirm.getByRole('button', { name: 'Delete for good' }).click();
  await panel.getByRole('status').filter({ hasText: `Deleted “` }).waitFor();
  await opened.waitFor({ state: 'detached' });
  await until(async () => !((await panel.locator('.assist-base-list').textContent()) ?? '').includes('Customer data pasted'), 'the deleted incident off the list');
  await untilInPage(page, `document.activeElement?.id === 'assist-base-title'`);
  const after = await apiGet<Listed>(ui.srv, '/api/assist/incidents');
  assert.ok(!after.body.incidents.some((x) => x.id === ids[2]), 'gone from the base');
  assert.equal((await apiGet<unknown>(ui.srv, `/api/assist/incidents/${encodeURIComponent(ids[2]!)}`)).status, 404);
  const sim = await apiGet<{ results: { id: string }[] }>(ui.srv, `/api/assist/similar?text=${encodeURIComponent('Customer data pasted by mistake Jane card')}`);
  assert.ok(!sim.body.results.some((r) => r.id === ids[2]), 'no similar incident any more');

  // a source chosen narrows the list
  await byReport.click();
  await panel.getByRole('heading', { name: 'Latest saved from report' }).waitFor();
});

test('analysing a report hides the base; a viewer sees the base and opens an incident, with no Delete', { skip }, async () => {
  const page = ui.page;
  await page.getByLabel('Report text').fill('SSH brute force from 203.0.113.45 against bastion-01');
  await page.getByRole('button', { name: 'Analyze' }).click();
  await page.locator('section[aria-labelledby="assist-result-title"]').waitFor();
  assert.equal(await page.locator('section.assist-base').count(), 0, 'the analysis replaces the base');

  // the same page as a viewer sees it (the session's role is what the page reads)
  await page.route(
    (u) => u.pathname === '/api/auth/me',
    async (r) => {
      const res = await r.fetch();
      const body = (await res.json()) as { user: Record<string, unknown> };
      await r.fulfill({ response: res, json: { ...body, user: { ...body.user, role: 'viewer' } } });
    },
  );
  await page.goto(`${ui.srv.base}/assist`);
  await page.getByText('your role (viewer) reads only').waitFor();
  const panel = page.locator('section.assist-base');
  await panel.locator('.assist-base-list > li').first().waitFor();
  await panel.locator('.assist-base-open').first().click();
  const opened = page.locator('section.assist-base-incident');
  await opened.locator('section[aria-label="Normalized record"]').waitFor();
  assert.equal(await opened.getByRole('button', { name: 'Delete…' }).count(), 0, 'no Delete for a viewer');
  await page.unrouteAll();
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});
