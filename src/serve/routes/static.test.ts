import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../app.js';
import { AUTH, fakeDeps } from '../testing.js';
import { SPA_PAGES } from './static.js';
import { PACKAGE_ROOT } from '../../version.js';

function builtUi(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'nml-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>NML</title><script type="module" src="/assets/app-1.js"></script>');
  writeFileSync(join(dir, 'assets', 'app-1.js'), 'console.log("nml")');
  writeFileSync(join(dir, '.env'), 'SECRET=1');
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test('the built UI is served without auth, page routes get index.html, HTML carries the security headers', async () => {
  const ui = builtUi();
  const app = await buildApp(fakeDeps({ web: { webRoot: ui.dir } }));
  try {
    const index = await app.inject({ method: 'GET', url: '/', headers: { host: 'nml.local:8823' } });
    assert.equal(index.statusCode, 200);
    assert.match(index.headers['content-type'] as string, /^text\/html/);
    assert.match(index.body, /<title>NML<\/title>/);
    const csp = index.headers['content-security-policy'] as string;
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /connect-src 'self' ws:\/\/nml\.local:8823 wss:\/\/nml\.local:8823/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(index.headers['x-content-type-options'], 'nosniff');
    assert.equal(index.headers['referrer-policy'], 'no-referrer');

    // the static plugin's refusals (a directory, a NUL byte) are no such page, not a bad request
    for (const url of ['/assets/', '/assets/app-1.js%00']) {
      const r = await app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 404, url);
      assert.equal(r.json().error.code, 'HTTP_NOT_FOUND', url);
    }

    for (const page of SPA_PAGES) {
      for (const url of [`/${page}`, `/${page}/10.0.0.1`, `/${page}?q=sshd&from=-15m`]) {
        const r = await app.inject({ method: 'GET', url });
        assert.equal(r.statusCode, 200, url);
        assert.equal(r.body, index.body, url);
      }
    }
    const asset = await app.inject({ method: 'GET', url: '/assets/app-1.js' });
    assert.equal(asset.statusCode, 200);
    assert.match(asset.headers['content-type'] as string, /javascript/);
    assert.equal(asset.headers['x-content-type-options'], 'nosniff');
    assert.equal(asset.headers['content-security-policy'], undefined, 'CSP only on HTML');

    assert.equal((await app.inject({ method: 'GET', url: '/.env' })).statusCode, 404, 'no dot files');
    assert.equal((await app.inject({ method: 'GET', url: '/assets/../../etc/passwd' })).statusCode, 404);
    // a browser at a mistyped or old page address gets a page saying so, with the pages there are; a script gets JSON
    const typo = await app.inject({ method: 'GET', url: '/alert?x=<script>', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    assert.equal(typo.statusCode, 404);
    assert.match(typo.headers['content-type'] as string, /^text\/html/);
    assert.match(typo.body, /no page at <code>\/alert<\/code>/);
    assert.match(typo.body, /<a href="\/alerts">Alerts<\/a>/);
    assert.match(typo.headers['content-security-policy'] as string, /default-src 'self'/);
    const odd = await app.inject({ method: 'GET', url: '/%3Cimg%20src=x%3E', headers: { accept: 'text/html' } });
    assert.doesNotMatch(odd.body, /<img/, 'the path is escaped');
    assert.equal((await app.inject({ method: 'GET', url: '/alert' })).json().error.code, 'HTTP_NOT_FOUND');
    const api404 = await app.inject({ method: 'GET', url: '/api/nope', headers: AUTH });
    assert.equal(api404.statusCode, 404);
    assert.equal(api404.json().error.code, 'HTTP_NOT_FOUND', 'unknown API paths stay JSON errors, not the app');
    assert.equal((await app.inject({ method: 'GET', url: '/api/nope' })).statusCode, 401, 'and without credentials, a 401 like any API path');
    assert.equal((await app.inject({ method: 'GET', url: '/api/search' })).statusCode, 401, 'the API still needs auth');
  } finally {
    await app.close();
    ui.cleanup();
  }
});

test('without a built UI, / says how to build it', async () => {
  const app = await buildApp(fakeDeps({ web: { webRoot: join(tmpdir(), 'nml-no-such-web-dist') } }));
  try {
    for (const url of ['/', '/search']) {
      const r = await app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 503);
      assert.match(r.headers['content-type'] as string, /^text\/plain/);
      assert.match(r.body, /npm run build/);
      assert.doesNotMatch(r.body, /nml-no-such-web-dist/, 'an open page does not say where the server is installed');
    }
  } finally {
    await app.close();
  }
});

test("every page folder of the UI is a page route of the server (a new page's bookmark or reload was a 404)", () => {
  const pagesDir = join(PACKAGE_ROOT, 'web', 'src', 'pages');
  const folders = readdirSync(pagesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  assert.ok(folders.length >= 8, `page folders in ${pagesDir}: ${folders.join(', ')}`);
  assert.deepEqual([...folders].sort(), [...SPA_PAGES].sort());
});

test('hashed assets are cached for good, the page never without a check; a symbolic link out of the web root is not followed', async () => {
  const ui = builtUi();
  const outside = mkdtempSync(join(tmpdir(), 'nml-outside-'));
  writeFileSync(join(outside, 'secret.txt'), 'TOP-SECRET');
  symlinkSync(join(outside, 'secret.txt'), join(ui.dir, 'assets', 'link.txt'));
  symlinkSync(outside, join(ui.dir, 'outdir'));
  writeFileSync(join(ui.dir, 'assets', 'inside.txt'), 'fine');
  symlinkSync(join(ui.dir, 'assets', 'inside.txt'), join(ui.dir, 'assets', 'inside-link.txt'));
  const app = await buildApp(fakeDeps({ web: { webRoot: ui.dir } }));
  try {
    assert.equal((await app.inject({ method: 'GET', url: '/assets/app-1.js' })).headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal((await app.inject({ method: 'GET', url: '/index.html' })).headers['cache-control'], 'no-cache');
    assert.equal((await app.inject({ method: 'GET', url: '/' })).headers['cache-control'], 'no-cache');
    for (const url of ['/assets/link.txt', '/outdir/secret.txt']) {
      const r = await app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 404, url);
      assert.doesNotMatch(r.body, /TOP-SECRET/, url);
    }
    assert.equal((await app.inject({ method: 'GET', url: '/assets/inside-link.txt' })).body, 'fine', 'a link within the root is served');
  } finally {
    await app.close();
    ui.cleanup();
    rmSync(outside, { recursive: true, force: true });
  }
});
