/** `nml serve --follow FILE`: appended lines and lines written after a rotation are collected. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { startNode } from '../../src/node.js';
import { localHost } from '../../src/config-follow.js';
import { api, eventually, tempDir, testConfig, tokenOf } from './helpers.js';

test('a followed log file is collected across appends and a rename rotation', async () => {
  const tmp = tempDir('nml-follow-');
  const log = join(tmp.dir, 'app.log');
  writeFileSync(log, 'old line marker_follow before start\n');
  const node = await startNode(
    testConfig(join(tmp.dir, 'data'), { files: { follow: [log], fromStart: false }, syslog: { udp: { enabled: false }, tcp: { enabled: false } }, store: {} }),
    pino({ level: 'silent' }),
  );
  try {
    const token = tokenOf(join(tmp.dir, 'data'));
    const count = async (): Promise<number> => (await api<{ count: number }>(node.httpUrl!, token, '/api/count?q=marker_follow')).body.count;
    appendFileSync(log, 'one marker_follow\ntwo marker_follow\n');
    await eventually(async () => (await count()) === 2, 10_000, 'appended lines');
    renameSync(log, log + '.1');
    writeFileSync(log, 'three marker_follow after rotation\n');
    await eventually(async () => (await count()) === 3, 10_000, 'line after rotation');
    assert.equal(await count(), 3, 'the line written before start was not read (fromStart: false)');
  } finally {
    await node.stop();
    tmp.cleanup();
  }
});

test('files.follow: an entry { path, host } gives its headerless lines that host, a path alone this machine\'s name, host null none; /api/stats says which', async () => {
  const tmp = tempDir('nml-follow-host-');
  const named = join(tmp.dir, 'access.log');
  const local = join(tmp.dir, 'app.log');
  const none = join(tmp.dir, 'copied.log');
  for (const f of [named, local, none]) writeFileSync(f, '');
  const node = await startNode(
    testConfig(join(tmp.dir, 'data'), { files: { follow: [{ path: named, host: 'web-07' }, local, { path: none, host: null }], fromStart: false }, syslog: { udp: { enabled: false }, tcp: { enabled: false } }, store: {} }),
    pino({ level: 'silent' }),
  );
  try {
    const token = tokenOf(join(tmp.dir, 'data'));
    const hits = async (q: string) => (await api<{ hits: { raw: string; host: string | null }[] }>(node.httpUrl!, token, `/api/search?fields=1&q=${encodeURIComponent(q)}`)).body.hits;
    appendFileSync(named, '10.0.0.9 - - "GET / HTTP/1.1" 200 12 marker_fhost\n<13>Dec  7 10:00:02 db-02 sshd[1]: own host marker_fhost\n');
    appendFileSync(local, 'app started marker_fhost\n');
    appendFileSync(none, 'from elsewhere marker_fhost\n');
    await eventually(async () => (await hits('marker_fhost')).length === 4, 10_000, 'followed lines');
    assert.deepEqual((await hits('host:web-07')).map((h) => h.raw), ['10.0.0.9 - - "GET / HTTP/1.1" 200 12 marker_fhost']);
    assert.equal((await hits('host:db-02'))[0]?.host, 'db-02', "the header's own host wins");
    const byRaw = new Map((await hits('marker_fhost')).map((h) => [h.raw, h.host]));
    // this machine's host name (os.hostname(), where it is one a line may carry)
    const here = localHost() ?? null;
    assert.equal(byRaw.get('app started marker_fhost'), here);
    assert.equal(byRaw.get('from elsewhere marker_fhost'), null);
    const stats = await api<{ sources: { name: string; files?: { path: string; host: string | null }[] }[] }>(node.httpUrl!, token, '/api/stats');
    const files = stats.body.sources.find((s) => s.name.startsWith('file:'))?.files;
    assert.deepEqual(files, [{ path: named, host: 'web-07' }, { path: local, host: here }, { path: none, host: null }]);
  } finally {
    await node.stop();
    tmp.cleanup();
  }
});
