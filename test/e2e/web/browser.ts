/**
 * Pieces of the browser tests: Debian's chromium through playwright-core, a real node on a temp data
 * dir with a known user, syslog over TCP, and screenshots under test-artifacts/web/.
 * Set NML_UI_BASE (with NML_UI_USER, NML_UI_PASSWORD, NML_UI_TOKEN, NML_UI_TCP_PORT) to test a server
 * that is already running instead.
 */
import { after, before } from 'node:test';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { once } from 'node:events';
import { pino } from 'pino';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startNode, type NodeServeOptions, type RunningNode } from '../../../src/node.js';
import { UserStore } from '../../../src/serve/users/index.js';
import { FAST_SCRYPT } from '../../../src/serve/users/testing.js';
import { tempDir, testConfig, tokenOf } from '../helpers.js';
import type { ConfigPatch } from '../../../src/config-types.js';
import { PACKAGE_ROOT } from '../../../src/version.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The repository root (from test/ or from dist/test/). */
export const ROOT = PACKAGE_ROOT;
export const ARTIFACTS = join(ROOT, 'test-artifacts', 'web');

/** Why the browser tests cannot run here, or false. */
export function skipReason(): string | false {
  if (process.env.NML_UI_BASE !== undefined) return false;
  if (!existsSync(CHROMIUM)) return `needs ${CHROMIUM} (apt-get install -y chromium)`;
  if (!existsSync(join(ROOT, 'web', 'dist', 'index.html'))) return 'needs the built UI in web/dist (npm run build -w web)';
  return false;
}

export const USER = process.env.NML_UI_USER ?? 'operator';
export const PASSWORD = process.env.NML_UI_PASSWORD ?? 'correct-horse-battery-42';

export interface UiServer {
  base: string;
  token: string;
  tcpPort: number;
  stop(): Promise<void>;
  /**
   * Stops this node and starts a second one on the same data folder at the same address (a restart:
   * the page, its session cookie and its URL stay good); the stopped one is not to be used again.
   * Absent with NML_UI_BASE.
   */
  restart?(): Promise<UiServer>;
}

/**
 * `serve`: settings the configuration does not hold (a short live-feed heartbeat); `config`: settings it does
 * (`share.keyFile`), over the test configuration's; both ignored with NML_UI_BASE.
 */
export async function startServer(serve: NodeServeOptions = {}, config: ConfigPatch = {}): Promise<UiServer> {
  if (process.env.NML_UI_BASE !== undefined) {
    return { base: process.env.NML_UI_BASE, token: process.env.NML_UI_TOKEN ?? '', tcpPort: Number(process.env.NML_UI_TCP_PORT), stop: async () => undefined };
  }
  const tmp = tempDir('nml-ui-');
  // the user exists before the node starts, as `nml user add` would leave it
  const users = new UserStore(join(tmp.dir, 'users.db'), { scrypt: FAST_SCRYPT });
  await users.add(USER, PASSWORD, 'admin');
  users.close();
  return nodeOn(tmp, 0, serve, config);
}

/** A node on `tmp.dir` listening on HTTP `port` (0: any); its stop deletes the folder, its restart keeps it. */
async function nodeOn(tmp: { dir: string; cleanup(): void }, port: number, serve: NodeServeOptions, config: ConfigPatch): Promise<UiServer> {
  // the SYN detector's board replays a small capture when the fixture and the model are there
  const pcap = join(ROOT, 'test', 'fixtures', 'syn', 'eth-us-le.pcap');
  const model = join(ROOT, 'models', 'syn', 'model.json');
  const datasets = join(ROOT, '..', 'shared', 'datasets');
  // the trends page shows the HACKMAGEDDON timeline when the shared datasets are there
  const patch = {
    ...config,
    http: { host: '127.0.0.1', port },
    ...(existsSync(pcap) && existsSync(model) ? { syn: { pcap, speed: 0 } } : {}),
    trends: { enabled: true, ...(existsSync(join(datasets, 'attack-timeline-hackmageddon')) ? { datasets } : {}) },
  };
  let node: RunningNode;
  try {
    node = await startNode(testConfig(tmp.dir, patch), pino({ level: 'silent' }), serve);
  } catch (e) {
    tmp.cleanup();
    throw e;
  }
  const tcp = node.sources.find((s) => s.name.startsWith('tcp')) as unknown as { address(): { port: number } };
  const base = node.httpUrl!;
  return {
    base,
    token: tokenOf(tmp.dir),
    tcpPort: tcp.address().port,
    stop: async () => {
      await node.stop();
      tmp.cleanup();
    },
    restart: async () => {
      await node.stop();
      return nodeOn(tmp, Number(new URL(base).port), serve, config);
    },
  };
}

export async function launch(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Collects the page's script errors and CSP violations into `problems` (each test file's last test asserts there were none). */
export function watchProblems(page: Page, problems: string[]): void {
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
}

/** A real node and a 1280×860 Chromium page on it, whose script errors and CSP violations go to `problems`. */
export async function openUi(problems: string[], serve: NodeServeOptions = {}, config: ConfigPatch = {}): Promise<{ srv: UiServer; browser: Browser; page: Page }> {
  const srv = await startServer(serve, config);
  try {
    const browser = await launch();
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await ctx.newPage();
    watchProblems(page, problems);
    return { srv, browser, page };
  } catch (e) {
    await srv.stop();
    throw e;
  }
}

/**
 * Saves `test-artifacts/web/<name>.png` of `what` alone, once it is shown: a page screenshot of rows
 * that all fit the viewport is the same picture whichever row the test meant, so the artifact crops to it.
 */
export async function shotOf(what: Locator, name: string): Promise<void> {
  await what.waitFor({ state: 'visible' });
  await what.scrollIntoViewIfNeeded();
  await what.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** True when the page scrolls sideways (it must not, down to 800 px). */
export const pageScrollsSideways = (page: Page) => page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth + 1');

/** Sends lines over syslog TCP (LF framing) and waits until the socket is flushed and closed. */
export async function sendSyslog(port: number, lines: readonly string[]): Promise<void> {
  const sock = connect({ host: '127.0.0.1', port });
  await once(sock, 'connect');
  sock.end(lines.map((l) => l + '\n').join(''));
  await once(sock, 'close');
}

export async function apiGet<T>(srv: UiServer, path: string): Promise<{ status: number; body: T }> {
  const r = await fetch(srv.base + path, { headers: { authorization: `Bearer ${srv.token}` } });
  const text = await r.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: r.status, body: body as T };
}

/** Polls until `fn` is true; the limit only bounds a failing test, nothing is timed. */
export async function until(fn: () => Promise<boolean>, what: string, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await fn())) {
    // one look more past the limit: a check that itself took long (a click waiting on its button) may have been the last
    if (Date.now() > end && !(await fn())) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Until `expression` is true in the page, looked at from here every 100 ms. Not page.waitForFunction with a
 * string: after its first look it polls with eval inside the page, which the UI's CSP (no 'unsafe-eval')
 * refuses, so a wait whose condition was not already true failed, and left a CSP violation behind.
 */
export function untilInPage(page: Page, expression: string, limitMs?: number): Promise<void> {
  return until(async () => (await page.evaluate(expression)) === true, expression, limitMs);
}

/** Logs in through the login form that `path` shows first (the page then shows `path`). */
export async function logIn(page: Page, srv: UiServer, path: string): Promise<void> {
  await page.goto(srv.base + path);
  await page.getByLabel('Username').fill(USER);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Closes what openUi opened; either may be missing when it failed half-way. */
export async function closeUi(browser: Browser | undefined, srv: UiServer | undefined): Promise<void> {
  await browser?.close();
  await srv?.stop();
}

/** What `loggedInUi` opens for a test file; filled in by its before hook. */
export interface UiSession {
  srv: UiServer;
  browser: Browser;
  page: Page;
}

/**
 * Registers the before and after hooks of a test file that drives one logged-in page: a server, a
 * browser, a page logged in at `path`, then `ready` (what the page shows once it is there).
 */
export function loggedInUi(skip: string | false, problems: string[], path: string, ready: (page: Page) => Promise<unknown>, serve: NodeServeOptions = {}): UiSession {
  const ui = {} as UiSession;
  before(async () => {
    if (skip !== false) return;
    Object.assign(ui, await openUi(problems, serve));
    await logIn(ui.page, ui.srv, path);
    await ready(ui.page);
  });
  after(async () => {
    if (skip === false) await closeUi(ui.browser, ui.srv);
  });
  return ui;
}

/**
 * Whether anything is drawn (the line, its fill or a dot) on the six-point canvas named `label` from
 * `fromStep` points along the line to `toStep` (CSS px, a 3 px margin off each end), or to the canvas's
 * right edge without `toStep`.
 */
export async function inked(page: Page, label: string, fromStep: number, toStep?: number): Promise<boolean> {
  // a string: this project's test code has no DOM types
  return page.evaluate<boolean>(`(() => {
    const c = document.querySelector('canvas[aria-label^=${JSON.stringify(label)}]');
    const dpr = c.width / c.clientWidth;
    const step = c.clientWidth / 5; // six points
    const a = Math.ceil((${fromStep} * step + 3) * dpr);
    const b = ${toStep === undefined ? 'c.width' : `Math.floor((${toStep} * step - 3) * dpr)`};
    const px = c.getContext('2d').getImageData(a, 0, b - a, c.height).data;
    for (let i = 3; i < px.length; i += 4) if (px[i] > 0) return true;
    return false;
  })()`);
}

/** The Trends page (`/trends?period=week`) over `reply` as its /api/trends answer, once the card named `card` is shown; the route stays until page.unrouteAll(). */
export async function trendsCard(page: Page, base: string, reply: unknown, card = 'Ransomware'): Promise<Locator> {
  await page.route(
    (u) => u.pathname === '/api/trends',
    (r) => r.fulfill({ json: reply }),
  );
  await page.goto(`${base}/trends?period=week`);
  const region = page.getByRole('region', { name: card });
  await region.waitFor();
  return region;
}
