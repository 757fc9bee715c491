/** `nml ingest --host`: lines whose header names no host get the one named, searchable and shown as a header's host is. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runCliSync } from '../testing.js';

/** two app-log lines with no host and one syslog line naming its own */
const LINES = [
  '2025-12-07 10:00:00,123 INFO worker started on port 8080',
  '2025-12-07 10:00:01,456 WARN worker queue is slow',
  '<13>Dec  7 10:00:02 db-02 sshd[1]: Accepted password for alice from 10.0.0.9 port 22 ssh2',
].join('\n') + '\n';

const withDir = (fn: (dir: string) => Promise<void>) => async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-ingest-host-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** The hits of `query` as `nml search --json` prints them. */
async function search(data: string, query: string): Promise<{ raw: string; host: string | null; sourceHost?: string; source: string }[]> {
  const r = await runCli(['search', '--data', data, '--json', '--from', '2020-01-01', query]);
  assert.equal(r.code, 0, r.err);
  return r.out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { raw: string; host: string | null; sourceHost?: string; source: string });
}

test('nml ingest --host web-01: host:web-01 finds the headerless lines the Host field is web-01, a header\'s own host wins', withDir(async (dir) => {
  const file = join(dir, 'app.log');
  writeFileSync(file, LINES);
  const data = join(dir, 'd');
  const r = await runCli(['ingest', '--data', data, '--no-progress', '--no-detect', '--host', 'web-01', file]);
  assert.equal(r.code, 0, r.err);
  const web = await search(data, 'host:web-01');
  assert.deepEqual(web.map((h) => h.raw).sort(), LINES.split('\n').slice(0, 2).sort());
  for (const h of web) {
    assert.equal(h.host, 'web-01');
    assert.equal(h.sourceHost, 'web-01');
    assert.equal(h.source, `file:${file}`, 'the source is the file, as before');
  }
  const db = await search(data, 'host:db-02');
  assert.deepEqual(db.map((h) => [h.host, h.sourceHost]), [['db-02', 'web-01']], "the header's host wins; its source's is kept beside it");
  assert.equal((await search(data, 'host:web*')).length, 2, 'a host prefix finds them too');
}));

test('nml ingest --host on stdin; without --host the headerless lines have no host', withDir(async (dir) => {
  const data = join(dir, 'd');
  const piped = runCliSync(['ingest', '--data', data, '--no-progress', '--no-detect', '--host', '10.1.2.3'], { input: LINES });
  assert.equal(piped.code, 0, piped.err);
  const hits = await search(data, 'host:10.1.2.3');
  assert.equal(hits.length, 2);
  assert.ok(hits.every((h) => h.source === 'stdin' && h.host === '10.1.2.3'));
  const file = join(dir, 'other.log');
  writeFileSync(file, 'no header, no host here\n');
  const plain = await runCli(['ingest', '--data', data, '--no-progress', '--no-detect', file]);
  assert.equal(plain.code, 0, plain.err);
  const none = await search(data, 'header');
  assert.equal(none.length, 1);
  assert.equal(none[0]!.host, null, 'a copied file is often from elsewhere: no host unless named');
  assert.equal(none[0]!.sourceHost, undefined);
}));

test('a bad --host is exit 2 with what is wrong, before the store opens (no data directory is left behind)', withDir(async (dir) => {
  const file = join(dir, 'app.log');
  writeFileSync(file, LINES);
  for (const [host, why] of [
    ['web 01', /--host "web 01" is holding a space or a control character/],
    ['', /--host "" is empty/],
    ['a'.repeat(254), /254 characters long, over the 253/],
    ['web/01', /neither an IP address nor a host name/],
    ['-web', /neither an IP address nor a host name/],
  ] as const) {
    const data = join(dir, 'd');
    const r = await runCli(['ingest', '--data', data, '--no-progress', '--host', host, file]);
    assert.equal(r.code, 2, `${host}: ${r.err}`);
    assert.match(r.err, why);
    assert.match(r.err, /give the host the lines come from: an IP address or a host name such as web-01; nothing was stored/);
    assert.equal(existsSync(data), false, 'nothing was opened');
  }
}));
