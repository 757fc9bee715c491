/**
 * A findings webhook's link opens the Alerts page on that finding: a real node with `http.publicUrl` and a
 * webhook to a local receiver, URL findings whose entities hold `?`, `&`, `#`, `%` and `+` and an IPv6 host
 * recorded in its store, and the link of the message it sends opened in Chromium (the public address swapped for the
 * node's own, as a proxy would), which lists that one finding and no look-alike.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { startNode, type RunningNode } from '../../../src/node.js';
import { webhookReceiver, type WebhookReceiver } from '../../../src/detect/findings/testing.js';
import { UserStore } from '../../../src/serve/users/index.js';
import { FAST_SCRYPT } from '../../../src/serve/users/testing.js';
import { tempDir, testConfig } from '../helpers.js';
import { ARTIFACTS, PASSWORD, USER, launch, skipReason, untilInPage, watchProblems } from './browser.js';

// a server of its own: the findings are recorded in its store, which NML_UI_BASE's server does not lend
const skip = process.env.NML_UI_BASE !== undefined ? 'records findings in a node of its own (not with NML_UI_BASE)' : skipReason();
const problems: string[] = [];
const PUBLIC = 'https://nml.example.com/soc';

const NOW = Date.now();
/** the finding the link is for, and look-alikes a filter that lost part of the entity would list too */
const ENTITY = 'url:evil.example/login?next=/a&b=%2F+1#frag';
const LOOK_ALIKES = ['url:evil.example/login?next=/a', 'url:evil.example/login?next=/a&b=/ 1#frag', 'url:evil.example/login?next=/a&b=%2F 1#frag'];
const IPV6 = 'ip:2001:db8::7';
const finding = (entity: string) => ({ detector: entity.startsWith('ip:') ? 'syn' : 'url', entity, score: 0.99, threshold: 0.964, modelVersion: 't', time: NOW, explanation: { summary: `odd login of ${entity}`, detail: null }, evidence: { query: entity.slice(4), from: NOW - 60_000, to: NOW } });

let node: RunningNode | undefined;
let tmp: ReturnType<typeof tempDir> | undefined;
let receiver: WebhookReceiver | undefined;
let browser: Browser | undefined;
let page: Page;
/** the messages the receiver got, as much of them as this test reads */
const bodies = (): Array<{ findings: Array<{ id: number; entity: string; link?: string }> }> => (receiver?.received ?? []).map((r) => r.body as never);

before(async () => {
  if (skip !== false) return;
  receiver = await webhookReceiver();
  const hook = `${receiver.base}/hook`;
  tmp = tempDir('nml-ui-notify-');
  const users = new UserStore(join(tmp.dir, 'users.db'), { scrypt: FAST_SCRYPT });
  await users.add(USER, PASSWORD, 'admin');
  users.close();
  node = await startNode(testConfig(tmp.dir, { http: { publicUrl: PUBLIC }, findings: { notify: [{ url: hook }] } }), pino({ level: 'silent' }));
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  watchProblems(page, problems);
});

after(async () => {
  await browser?.close();
  await node?.stop();
  await receiver?.close();
  tmp?.cleanup();
});

test("a webhook message's link for a URL finding with ?&#%+ opens the Alerts page on that one finding", { skip }, async () => {
  node!.findings.record([finding(ENTITY), ...LOOK_ALIKES.map(finding), finding(IPV6), finding('ip:2001:db8::70')]);
  await receiver!.waitFor(1, 20_000).catch(() => undefined);
  const sent = bodies()[0]?.findings.find((f) => f.entity === ENTITY);
  assert.ok(sent?.link !== undefined, `the message links the finding: ${JSON.stringify(bodies())}`);
  assert.ok(sent.link.startsWith(`${PUBLIC}/alerts?`), sent.link);
  // the proxy at PUBLIC forwards to the node: the link opened at the node's own address
  const opened = node!.httpUrl! + sent.link.slice(PUBLIC.length);
  await page.goto(opened);
  await page.getByLabel('Username').fill(USER);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await untilInPage(page, `[...document.querySelectorAll('table.alerts-table tbody tr[data-finding]')].map((tr) => tr.dataset.finding).join() === ${JSON.stringify(String(sent.id))}`);
  const chip = page.getByRole('group', { name: 'Entity filter' });
  assert.equal(await chip.locator('.entity-filter-value').textContent(), ENTITY);
  assert.equal(new URL(page.url()).searchParams.get('entity'), ENTITY, 'the address kept after logging in');
  await page.locator('.alerts-head').screenshot({ path: join(ARTIFACTS, 'alerts-notify-link.png') });
  // an IPv6 host's link: its colons reach the page whole, and ::70 is not listed beside ::7
  const v6 = bodies()[0]!.findings.find((f) => f.entity === IPV6)!;
  await page.goto(node!.httpUrl! + v6.link!.slice(PUBLIC.length));
  await untilInPage(page, `[...document.querySelectorAll('table.alerts-table tbody tr[data-finding]')].map((tr) => tr.dataset.finding).join() === ${JSON.stringify(String(v6.id))}`);
  assert.equal(await chip.locator('.entity-filter-value').textContent(), IPV6);
});

test('no script errors or CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});
