/** The bare-host test: which URLs are only a host, which benign domains are unseen, and what is pooled. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UrlRow } from './data.js';
import { BareHostPool, bareBenignUrls, isBareHost } from './eval-bare.js';

const row = (url: string, label: 0 | 1, host: string): UrlRow => ({ url, label, source: 's', host, type: label === 1 ? 'phishing' : 'benign' });

test('a bare host has nothing after the host but an optional slash', () => {
  assert.ok(isBareHost('amazon.co.uk/'));
  assert.ok(isBareHost('login-paypa1.tk'));
  assert.ok(isBareHost('user@host.example:8080/'));
  assert.ok(!isBareHost('host.example/a'));
  assert.ok(!isBareHost('host.example/?q=1'));
  assert.ok(!isBareHost('host.example?q=1'));
});

test('benign bare hosts: plain domains of the list, none a host of any row, as <domain>/', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-bare-'));
  try {
    assert.deepEqual(bareBenignUrls(dir, []), [], 'no list: no test');
    mkdirSync(join(dir, 'benign-domains-opendns'));
    writeFileSync(join(dir, 'benign-domains-opendns', 'opendns-random-domains.txt'), '# c\nExample.org\nknown.com\nwww.known.net\nnot a domain\n\nexample.org\n');
    const rows = [row('known.com/a', 0, 'known.com'), row('known.net/', 1, 'known.net')];
    assert.deepEqual(bareBenignUrls(dir, rows), ['example.org/']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the pool takes only held-out malicious bare hosts, and every fold scores the whole benign list', () => {
  const pool = new BareHostPool(['a.com/', 'b.com/', 'c.com/', 'd.com/']);
  const held = [row('bad.tk/', 1, 'bad.tk'), row('bad.tk/login.php', 1, 'bad.tk'), row('ok.com/', 0, 'ok.com'), row('worse.ml', 1, 'worse.ml')];
  const benign = new Map([['a.com/', 0.1], ['b.com/', 0.2], ['c.com/', 0.6], ['d.com/', 0.3]]);
  pool.add('ngram', held, [0.9, 0.1, 0.95, 0.5], (urls) => urls.map((u) => benign.get(u)!));
  pool.add('ngram', [row('x.tk/', 1, 'x.tk')], [0.7], (urls) => urls.map((u) => benign.get(u)!));
  const [r] = pool.results();
  assert.equal(r!.model, 'ngram');
  assert.equal(r!.malicious, 3, 'bad.tk/, worse.ml and x.tk/: not the path row, not the benign row');
  assert.equal(r!.benign, 8);
  assert.equal(r!.folds, 2);
  // malicious 0.9, 0.5, 0.7 against benign 0.1, 0.2, 0.6, 0.3 twice: 0.5 is below both 0.6s, the others above all
  assert.equal(r!.rocAuc, (8 + 6 + 8) / 24);
  assert.equal(r!.benignAtHalf, 2 / 8);
  assert.equal(r!.benignP99, 0.6);
  assert.deepEqual(new BareHostPool([]).results(), [], 'no benign list: nothing pooled');
});
