/** `nml findings notify-test` against local node:http receivers: each webhook's answer, redacted; exit 1 when one failed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testing.js';
import { webhookReceiver } from '../../detect/findings/testing.js';

test('notify-test sends one sample to each webhook and prints each answer, never a URL path or header; exit 1 when one failed, 2 with none', async () => {
  const rx = await webhookReceiver((_n, res, path) => res.writeHead(path.startsWith('/gone') ? 404 : 200).end());
  const base = rx.base;
  const dir = mkdtempSync(join(tmpdir(), 'nml-notify-test-'));
  try {
    const config = join(dir, 'nml.json');
    writeFileSync(config, JSON.stringify({ dataDir: dir, findings: { notify: [{ url: `${base}/hooks/SECRETPATH`, format: 'slack', headers: { Authorization: 'Bearer SECRETHEADER' } }, { url: `${base}/gone/SECRETPATH?k=SECRETQUERY` }] } }));
    const r = await runCli(['findings', 'notify-test', '--config', config]);
    assert.equal(r.code, 1, r.err);
    const lines = r.out.trim().split('\n');
    assert.match(lines[0]!, /^findings\.notify\[0\] http:\/\/127\.0\.0\.1:\d+\/… \(127\.0\.0\.1#0, slack\): delivered, HTTP 200 in \d+ ms$/);
    assert.match(lines[1]!, /^findings\.notify\[1\] http:\/\/127\.0\.0\.1:\d+\/… \(127\.0\.0\.1#1, json\): failed: HTTP 404 after \d+ ms$/);
    assert.match(r.err, /1 of 2 webhooks failed \(above\); check each URL/);
    assert.doesNotMatch(r.out + r.err, /SECRET/);
    assert.equal(rx.received.length, 2);
    assert.equal(rx.received[0]!.headers['authorization'], 'Bearer SECRETHEADER');
    assert.match(String(rx.received[0]!.body['text']), /^NML test message/);
    writeFileSync(config, JSON.stringify({ dataDir: dir }));
    const none = await runCli(['findings', 'notify-test', '--config', config]);
    assert.equal(none.code, 2);
    assert.match(none.err, /no webhooks are configured; add findings\.notify/);
  } finally {
    await rx.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
