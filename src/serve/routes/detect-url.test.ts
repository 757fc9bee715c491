/** POST /api/detect/url: scores with explanations, scores only, bad URLs as per-item errors, validation, auth, absent without a detector. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UrlDetector } from '../../detect/index.js';
import { trainFixtureModel } from '../../detect/url/testing.js';
import type { DetectUrlResponse } from '../api.js';
import { buildApp } from '../app.js';
import { AUTH, fakeDeps } from '../testing.js';

test('POST /api/detect/url scores a batch in order, explains, and reports bad URLs per item', async () => {
  const d = UrlDetector.load(trainFixtureModel());
  const app = await buildApp(fakeDeps({ urlDetector: d }));
  try {
    const urls = ['http://paypal-abcd.tk/login/signin.php1', 'https://docs.example.org/help/x.html', ''];
    const r = await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls } });
    assert.equal(r.statusCode, 200);
    const body = r.json<DetectUrlResponse>();
    assert.equal(body.modelVersion, d.modelVersion);
    assert.deepEqual(body.results.map((x) => x.subject), urls);
    assert.ok(body.results[0]!.score! > body.results[1]!.score!);
    assert.ok(body.results[0]!.explanation!.summary.startsWith('score '));
    assert.equal(body.results[2]!.error!.code, 'URL_EMPTY');
    const fast = await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls: urls.slice(0, 2), explain: false } });
    const fb = fast.json<DetectUrlResponse>();
    assert.equal(fb.results[0]!.explanation, undefined);
    assert.ok(Math.abs(fb.results[0]!.score! - body.results[0]!.score!) < 1e-5);
    assert.equal((await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls: [{}] } })).statusCode, 400);
    assert.equal((await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls: [], extra: 1 } })).statusCode, 400);
    assert.equal((await app.inject({ method: 'POST', url: '/api/detect/url', payload: { urls } })).statusCode, 401);
  } finally {
    await app.close();
    await d.close();
  }
});

test('POST /api/detect/url is absent without a url detector', async () => {
  const app = await buildApp(fakeDeps());
  try {
    assert.equal((await app.inject({ method: 'POST', url: '/api/detect/url', headers: AUTH, payload: { urls: [] } })).statusCode, 404);
  } finally {
    await app.close();
  }
});
