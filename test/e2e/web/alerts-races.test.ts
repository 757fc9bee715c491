/**
 * Alerts page races: a status change keeps a note another analyst saved after the form opened, and a
 * late "Load more" answer for the filter before is not appended to the list of the new one.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page, Route } from 'playwright-core';
import { apiGet, sendSyslog, skipReason, until, type UiServer, openUi, logIn, closeUi } from './browser.js';

const skip = skipReason();
let srv: UiServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

const MARKER = `races${process.pid}`;
const URL_A = `http://paypal.com.secure-login.verify-account.xyz/webscr?cmd=_login-run&${MARKER}`;
const squid = (url: string, pid: number) => `<38>1 ${new Date().toISOString()} proxy-01 squid ${pid} - - GET ${url} 200 ${MARKER}`;

interface ApiFinding {
  id: number;
  entity: string;
  triage: { status: string; note: string };
}
let idA = 0;

const row = (id: number) => page.locator(`table.alerts-table tr[data-finding="${id}"]`);
const form = (id: number) => page.getByRole('form', { name: `Triage of finding ${id}` });

before(async () => {
  if (skip !== false) return;
  ({ srv, browser, page } = await openUi(problems));
  await sendSyslog(srv.tcpPort, [squid(URL_A, 71)]);
  const of = async () => (await apiGet<{ findings: ApiFinding[] }>(srv, '/api/findings?detector=url&limit=100')).body.findings.find((f) => f.entity === `url:${URL_A.replace(/^https?:\/\//, '')}`);
  await until(async () => (await of()) !== undefined, 'a URL finding');
  idA = (await of())!.id;
  await logIn(page, srv, `/alerts?status=all`);
  await row(idA).waitFor();
});

after(async () => {
  if (skip === false) await closeUi(browser, srv);
});

test('a status change does not erase a note another analyst saved while the form was open', { skip }, async () => {
  await row(idA).getByRole('button', { name: new RegExp(`^Status of finding ${idA}: `) }).click();
  await form(idA).waitFor();
  // another analyst, meanwhile
  const r = await fetch(`${srv.base}/api/findings/${idA}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${srv.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'open', note: 'ticket INC-7 by the night shift' }),
  });
  assert.equal(r.status, 200);
  const patched = page.waitForResponse((res) => res.url().endsWith(`/api/findings/${idA}`) && res.request().method() === 'PATCH');
  await form(idA).getByRole('button', { name: `Acknowledge finding ${idA}` }).click();
  const sent = (await patched).request().postDataJSON() as { status: string; note?: string };
  assert.deepEqual(sent, { status: 'acknowledged' }, 'the note the user did not touch is not sent');
  const t = (await apiGet<ApiFinding>(srv, `/api/findings/${idA}`)).body.triage;
  assert.deepEqual([t.status, t.note], ['acknowledged', 'ticket INC-7 by the night shift']);
});

test('a note the user edited, even cleared, is sent', { skip }, async () => {
  await row(idA).getByRole('button', { name: new RegExp(`^Status of finding ${idA}: `) }).click();
  await form(idA).waitFor();
  await page.getByRole('textbox', { name: `Note on finding ${idA}` }).fill('');
  const patched = page.waitForResponse((res) => res.url().endsWith(`/api/findings/${idA}`) && res.request().method() === 'PATCH');
  await form(idA).getByRole('button', { name: `Resolve finding ${idA}` }).click();
  assert.deepEqual((await patched).request().postDataJSON(), { status: 'resolved', note: '' });
  assert.equal((await apiGet<ApiFinding>(srv, `/api/findings/${idA}`)).body.triage.note, '');
});

test('a late "Load more" answer of the filter before is dropped', { skip }, async () => {
  let held: Route | null = null;
  await page.route(
    (u) => u.pathname === '/api/findings',
    async (route) => {
      const u = new URL(route.request().url());
      if (u.searchParams.get('cursor') === 'late') {
        held = route;
        return;
      }
      // every first page claims more, so that "Load more" shows
      const res = await route.fetch();
      const body = (await res.json()) as { findings: ApiFinding[]; next?: string | null };
      await route.fulfill({ response: res, json: { ...body, next: 'late' } });
    },
  );
  await page.goto(`${srv.base}/alerts?status=all`);
  await row(idA).waitFor();
  const real = (await apiGet<ApiFinding>(srv, `/api/findings/${idA}`)).body;
  await page.getByRole('button', { name: 'Load more findings' }).click();
  await until(async () => held !== null, 'the second page asked');
  // the filter changes while the second page is out
  const newList = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/findings' && new URL(res.url()).searchParams.get('status') === 'open');
  await page.getByRole('group', { name: 'Status filter' }).getByRole('button', { name: 'Show open findings' }).click();
  await newList;
  await row(idA).waitFor({ state: 'detached' }); // resolved above: not in the open list
  const late = { ...real, id: 987654, entity: 'url:http://late-page.example/', triage: { ...real.triage, status: 'resolved' } };
  await (held as Route | null)?.fulfill({ json: { findings: [late], next: null, readAt: Date.now() } }).catch(() => undefined);
  // a round trip through the page after the answer: whatever it did with it is done
  await until(async () => (await page.getByRole('button', { name: 'Load more findings' }).filter({ hasText: 'Loading' }).count()) === 0, 'no page out');
  await page.evaluate('new Promise((r) => setTimeout(r, 0))');
  assert.equal(await row(987654).count(), 0, 'the old filter\'s page is not appended');
  assert.equal(await page.getByRole('button', { name: 'Load more findings' }).count(), 1, 'the new list keeps its own cursor');
  await page.unroute((u) => u.pathname === '/api/findings');
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});
