/** `nml serve --follow FILE`: appended lines and lines written after a rotation are collected. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { startNode } from '../../src/node.js';
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
