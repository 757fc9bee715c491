/** Inputs that are no web URL (javascript:, data:, mailto:, a bare path) are the per-item error URL_NOT_WEB, never scored; web URLs as before. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ScoreResult } from '../detector.js';
import { scoreInputs, type InputScorer } from './score-inputs.js';
import { notWebUrl } from './web-url.js';

test('notWebUrl: hostless schemes and bare paths are no web URL; hosts, ports, userinfo and blank are not refused here', () => {
  const refused = ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', ' "javascript:void(0)"', 'vbscript:msgbox(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'mailto:a@b.com', 'tel:+123', 'about:blank', '/', '/login.php', '?q=1', 'file:///etc/passwd', 'http://', 'http:///x', 'HTTPS:///x', 'ftp:///pub', 'http://@/x', 'http://:80/x', 'http:\\\\\\x'];
  for (const u of refused) assert.equal(notWebUrl(u)?.code, 'URL_NOT_WEB', u);
  const kept = ['http://a.com/', 'a.com', 'localhost:8080/x', 'data.example.com/x', 'admin:pw@evil.tk/', '//evil.tk/x', 'http://a@b.tk/', 'http://b.tk:80/', 'blob:https://evil.tk/0c3f', 'ftp://files.example.org/pub', 'xn--bcher-kva.de/', '', '  '];
  for (const u of kept) assert.equal(notWebUrl(u), null, u);
  // a blob: URL is its origin's web URL; one without a web origin has nothing to score
  for (const u of ['blob:https:///x', 'blob:http://@/x', 'blob:null/1234-abcd', 'BLOB:null/x', 'blob:', 'blob:file:///tmp/x', 'blob:evil.tk/1', 'blob:javascript:alert(1)']) assert.equal(notWebUrl(u)?.code, 'URL_NOT_WEB', u);
  for (const u of ['blob:https://evil.tk/0c3f', ' BLOB:HTTP://a.tk:8080/x', 'blob:ftp://a.tk/x']) assert.equal(notWebUrl(u), null, u);
  assert.match(notWebUrl('blob:null/1234')!.message, /^url: "blob:null\/1234" is a blob: URL without a web origin .*; score the URL of the page that made it$/);
  assert.match(notWebUrl('data:text/html,x')!.message, /^url: a data: URL leads to no host, so there is nothing to score: the model scores web addresses/);
  assert.match(notWebUrl('/login.php')!.message, /^url: "\/login\.php" has no host, .*give the URL with its host \(example\.com\/login\.php\)$/);
});

test('scoreInputs: an input that is no web URL gets URL_NOT_WEB in its place and is not sent to the model, with and without explanations', async () => {
  // before, the shipped n-gram model scored /login.php 0.999, data:text/html;base64,… 0.981 and javascript:alert(1) 0.759
  const asked: string[][] = [];
  const d: InputScorer = {
    score: async (urls) => {
      asked.push([...urls]);
      return urls.map((subject): ScoreResult => ({ subject, score: 0.5, explanation: { summary: 's', detail: null } }));
    },
    scoreFast: async (urls) => {
      asked.push([...urls]);
      return new Float32Array(urls.length).fill(0.5);
    },
  };
  const inputs = ['javascript:alert(1)', 'http://a.com/', '/', 'GET http://b.com/x 200'];
  for (const explain of [true, false]) {
    asked.length = 0;
    const got = await scoreInputs(d, inputs, explain);
    assert.deepEqual(asked, [['http://a.com/', 'b.com/x']]);
    assert.deepEqual(got.map((r) => r.error?.code ?? r.score), ['URL_NOT_WEB', 0.5, 'URL_NOT_WEB', 0.5]);
    assert.deepEqual(got.map((r) => r.subject), inputs);
  }
});

test('scoreInputs: a blob: URL is sent to the model as the web URL it wraps; blob:null is URL_NOT_WEB, also in a log line', async () => {
  const asked: string[][] = [];
  const d: InputScorer = {
    score: async (urls) => {
      asked.push([...urls]);
      return urls.map((subject): ScoreResult => ({ subject, score: 0.5, explanation: { summary: 's', detail: null } }));
    },
  };
  const inputs = ['blob:https://evil.tk/1234-abcd', 'blob:null/1234-abcd', 'GET blob:https://evil.tk/1234-abcd 200'];
  const got = await scoreInputs(d, inputs);
  // the line's URL is found by its scheme, so it is the inner one, in findings' form
  assert.deepEqual(asked, [['blob:https://evil.tk/1234-abcd', 'evil.tk/1234-abcd']]);
  assert.deepEqual(got.map((r) => r.error?.code ?? r.score), [0.5, 'URL_NOT_WEB', 0.5]);
});

test('an empty host (http:///x, blob:https:///x) is URL_NOT_WEB that names the input, not a score of the path as a host', async () => {
  // before: http:///x was scored as the host x (findings' form `x/`), blob:https:///x the same
  assert.match(notWebUrl('http:///x')!.message, /^url: "http:\/\/\/x" has an empty host \(nothing between :\/\/ and the path\), so there is nothing to score: .*give the URL with its host \(https:\/\/example\.com\/x\)$/);
  assert.match(notWebUrl('blob:https:///x')!.message, /^url: "blob:https:\/\/\/x" has an empty host/);
  const asked: string[] = [];
  const d: InputScorer = {
    score: async (urls) => {
      asked.push(...urls);
      return urls.map((subject): ScoreResult => ({ subject, score: 0.5, explanation: { summary: 's', detail: null } }));
    },
  };
  const got = await scoreInputs(d, ['blob:https:///x', 'http:///x', 'http://x/']);
  assert.deepEqual(got.map((r) => r.error?.code ?? r.score), ['URL_NOT_WEB', 'URL_NOT_WEB', 0.5]);
  assert.deepEqual(asked, ['http://x/']);
});
