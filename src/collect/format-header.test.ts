/** Zeek TSV header lines: files and stdin skip and count them; network sources store every line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Batcher } from './batcher.js';
import { FileSource } from './file-source.js';
import { RecordEmitter } from './line-handler.js';
import { newStats } from './source.js';
import { StdinSource } from './stdin-source.js';
import { MemorySink } from './testing.js';
import { isFormatHeader, isW3cHeader, isZeekHeader } from './format-header.js';

const HEADER = [
  '#separator \\x09',
  '#set_separator\t,',
  '#empty_field\t(empty)',
  '#unset_field\t-',
  '#path\tconn',
  '#open\t2024-12-02-04-19-59',
  '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state',
  '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring',
];
const RECORDS = [
  '1733113199.865716\tCqKst53mF3det3eDV9\t10.47.1.100\t41772\t198.51.100.200\t443\ttcp\tssl\t1.204\t512\t4096\tSF',
  '1733113200.100000\tCHhAvVGS1DHFjwGM9\t10.47.1.101\t49152\t198.51.100.201\t8443\ttcp\t-\t0.001\t0\t0\tREJ',
];
const CONN_LOG = [...HEADER, ...RECORDS, '#close\t2024-12-02-05-00-00'].join('\n') + '\n';

test('isZeekHeader: the nine directives Zeek writes, with its default tab; nothing else that starts with #', () => {
  for (const line of [...HEADER, '#close\t2024-12-02-05-00-00', '#separator \\x2c']) assert.ok(isZeekHeader(line), line);
  for (const line of [
    '# comment',
    '#fields',
    '#fields ts uid',
    '#Fields: date time s-ip cs-method',
    '#separator',
    '#separator tab',
    '#pathname\tx',
    '#\tpath',
    ' #path\tconn',
    '#!/bin/sh',
    '<13>#path\tconn',
    ...RECORDS,
    '',
  ]) {
    assert.ok(!isZeekHeader(line), line);
  }
});

test("a Zeek TSV file: its header lines are skipped and counted, its records stored; the file's line count adds up", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-zeek-'));
  try {
    const plain = join(dir, 'conn.log');
    const gz = join(dir, 'conn.01:00:00-02:00:00.log.gz');
    writeFileSync(plain, CONN_LOG);
    writeFileSync(gz, gzipSync(CONN_LOG));
    const sink = new MemorySink();
    const src = new FileSource({ paths: [plain, gz] });
    await src.start(sink);
    assert.deepEqual(await src.done(), { lines: 4 });
    await src.stop();
    assert.deepEqual(sink.lines().sort(), [...RECORDS, ...RECORDS].sort());
    const s = src.stats();
    assert.equal(s.headers, 18);
    assert.equal(s.received, 4);
    assert.equal(s.committed + s.headers, 2 * CONN_LOG.split('\n').filter((l) => l !== '').length);
    assert.equal(Object.values(s.drops).reduce((a, b) => a + b, 0), 0, 'skipped, not dropped');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stdin (zcat conn.*.log.gz | nml ingest) skips them too', async () => {
  const stream = new PassThrough();
  const sink = new MemorySink();
  const src = new StdinSource({ stream });
  await src.start(sink);
  stream.end(CONN_LOG + CONN_LOG);
  assert.deepEqual(await src.done(), { lines: 4 });
  await src.stop();
  assert.deepEqual(sink.lines(), [...RECORDS, ...RECORDS]);
  assert.equal(src.stats().headers, 18);
});

test('an emitter not asked to skip them (syslog over the network) stores every line', async () => {
  const sink = new MemorySink();
  const stats = newStats();
  const batcher = new Batcher(sink, stats, { maxRecords: 100, lingerMs: 1, maxInFlight: 4 });
  const emitter = new RecordEmitter(batcher, stats, 'tcp:10.0.0.1:514');
  for (const line of HEADER) emitter.line(line);
  batcher.flush();
  await sink.waitFor(HEADER.length);
  assert.deepEqual(sink.lines(), HEADER);
  assert.equal(stats.headers, 0);
});

test('isW3cHeader and isFormatHeader: IIS / W3C extended log directives are headers; look-alikes and events are not', () => {
  const iis = ['#Software: Microsoft Internet Information Services 10.0', '#Version: 1.0', '#Date: 2024-12-02 04:00:00', '#Fields: date time s-ip cs-method cs-uri-stem c-ip sc-status'];
  for (const line of iis) {
    assert.ok(isW3cHeader(line) && isFormatHeader(line), line);
    assert.equal(isZeekHeader(line), false, line);
  }
  for (const line of ['#Fields:date', '# Date: today', '#date: 2024-12-02', '2024-12-02 04:00:01 10.0.0.1 GET /default.htm 10.0.0.9 200', '#fields ts']) assert.equal(isW3cHeader(line), false, line);
  assert.ok(isFormatHeader('#fields\tts\tuid'));
  assert.equal(isFormatHeader('# a comment'), false);
});
