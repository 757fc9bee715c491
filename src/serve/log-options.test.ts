import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { buildApp } from './app.js';
import { redactUrl, serveLoggerOptions } from './log-options.js';
import { AUTH, fakeDeps, TEST_TOKEN } from './testing.js';

test('redactUrl hides the values of secret-named query parameters and keeps the rest', () => {
  assert.equal(redactUrl('/api/tail?token=abc&q=sshd'), '/api/tail?token=[redacted]&q=sshd');
  assert.equal(redactUrl('/api/search?q=x&access_token=abc&api_key=k&password=p'), '/api/search?q=x&access_token=[redacted]&api_key=[redacted]&password=[redacted]');
  assert.equal(redactUrl('/x?%74oken=abc'), '/x?%74oken=[redacted]', 'an escaped name is read decoded');
  assert.equal(redactUrl('/x?Authorization=Bearer%20abc&key=k'), '/x?Authorization=[redacted]&key=[redacted]');
  assert.equal(redactUrl('/api/search?q=token&from=-1h'), '/api/search?q=token&from=-1h', 'a value that merely says token is kept');
  assert.equal(redactUrl('/api/stats'), '/api/stats');
  assert.equal(redactUrl('/x?%zz=1&token'), '/x?%zz=1&token', 'a malformed name or a bare flag is left as sent');
});

test('a token sent in the query string never reaches the server log, which still shows the route and the search', async () => {
  let out = '';
  const sink = new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } });
  // the options nml serve builds its logger with (cli/commands/serve.ts)
  const logger = pino(serveLoggerOptions('trace'), sink);
  const app = await buildApp(fakeDeps({ logger }));
  await app.inject({ method: 'GET', url: `/api/stats?token=${TEST_TOKEN}` });
  await app.inject({ method: 'GET', url: `/api/search?q=sshd&access_token=${TEST_TOKEN}`, headers: AUTH });
  await app.inject({ method: 'GET', url: '/api/count?q=x&password=hunter2-secret' });
  await app.close();
  assert.ok(out.includes('incoming request'), 'requests were logged');
  assert.ok(out.includes('/api/search?q=sshd&access_token=[redacted]'), 'the logged URL keeps its path and other parameters');
  for (const secret of [TEST_TOKEN, 'hunter2-secret']) assert.ok(!out.includes(secret), `log holds ${secret}`);
});
