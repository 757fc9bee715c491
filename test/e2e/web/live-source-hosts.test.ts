/** The live page's Sources table says which host the lines without one get: a listener's senders, each followed file's host. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi } from './browser.js';

const skip = skipReason();
const problems: string[] = [];

const ui = loggedInUi(skip, problems, '/live', (p) => p.locator('.tile', { hasText: 'Stored lines' }).waitFor());

test("a followed file's row names each file's host (or none); a syslog listener's says its senders' addresses", { skip }, async () => {
  const page = ui.page;
  const rows = [
    { name: 'udp:0.0.0.0:5514', received: 3, bytes: 90, drops: {} },
    { name: 'file:/var/log/nginx/access.log,/mnt/copied.log', received: 7, bytes: 700, drops: {}, files: [{ path: '/var/log/nginx/access.log', host: 'web-07' }, { path: '/mnt/copied.log', host: null }] },
  ];
  const live = (u: URL) => u.pathname === '/api/live';
  await page.route(
    live,
    async (r) => {
      const body = (await (await r.fetch()).json()) as { sources: unknown[] };
      await r.fulfill({ json: { ...body, sources: rows } });
    },
  );
  const file = page.locator('tr', { hasText: 'file:/var/log/nginx/access.log' });
  await file.locator('.source-host', { hasText: '/var/log/nginx/access.log: lines without a host get web-07' }).waitFor({ timeout: 10_000 });
  assert.equal(await file.locator('.source-host', { hasText: '/mnt/copied.log: lines without a host get none' }).count(), 1);
  assert.equal(await page.locator('tr', { hasText: 'udp:0.0.0.0:5514' }).locator('.source-host').textContent(), "lines without a host: the sender's address");
  await page.locator('section[aria-labelledby="sources-title"]').screenshot({ path: join(ARTIFACTS, 'live-source-hosts.png') });
  await page.unroute(live);
  assert.deepEqual(problems, []);
});
