import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AppError, isAppError } from '../core/index.js';
import { FileSource, type FileProblem } from './file-source.js';
import { sourceContract } from './source.contract.js';
import { MemorySink } from './testing.js';

function tempDir(): { dir: string; close(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'nml-file-'));
  return { dir, close: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function ingest(src: FileSource, sink = new MemorySink()): Promise<{ sink: MemorySink; lines: number }> {
  await src.start(sink);
  const { lines } = await src.done();
  await src.stop();
  return { sink, lines };
}

sourceContract('file', async (lines) => {
  const t = tempDir();
  const path = join(t.dir, 'contract.log');
  writeFileSync(path, lines.join('\n') + '\n');
  const source = new FileSource({ paths: [path] });
  return { source, origin: /^file:\/.*contract\.log$/, deliver: async () => undefined, close: t.close };
});

sourceContract('file, follow', async (lines) => {
  const t = tempDir();
  const path = join(t.dir, 'follow.log');
  writeFileSync(path, 'present before start: skipped\n');
  const source = new FileSource({ paths: [path], follow: true, pollIntervalMs: 5 });
  const deliver = async (): Promise<void> => writeFileSync(path, lines.join('\n') + '\n', { flag: 'a' });
  return { source, origin: /^file:\/.*follow\.log$/, deliver, close: t.close };
});

test('plain file: crlf stripped, last line without lf kept, done counts committed lines', async () => {
  const t = tempDir();
  const path = join(t.dir, 'a.log');
  writeFileSync(path, '<13>one\r\n<13>two\n\n<13>three');
  const { sink, lines } = await ingest(new FileSource({ paths: [path] }));
  assert.deepEqual(sink.lines(), ['<13>one', '<13>two', '<13>three']);
  assert.equal(lines, 3);
  assert.equal(sink.records[0]!.source, `file:${path}`);
  await t.close();
});

test('host: one for every file, or one per file by path (none where it gives none); hosts() says which; a bad one is COLLECT_OPTIONS_INVALID', async () => {
  const t = tempDir();
  const a = join(t.dir, 'a.log');
  const b = join(t.dir, 'b.log');
  writeFileSync(a, 'from a\n');
  writeFileSync(b, 'from b\n');
  const all = await ingest(new FileSource({ paths: [a, b], host: 'web-01' }));
  assert.deepEqual(all.sink.records.map((r) => [r.line, r.host]).sort(), [['from a', 'web-01'], ['from b', 'web-01']]);
  const src = new FileSource({ paths: [a, b], host: (p) => (p === a ? 'web-02' : undefined) });
  assert.deepEqual(src.hosts(), [{ path: a, host: 'web-02' }, { path: b, host: null }]);
  const per = await ingest(src);
  assert.deepEqual(per.sink.records.map((r) => [r.line, 'host' in r ? r.host : 'no key']).sort(), [['from a', 'web-02'], ['from b', 'no key']]);
  assert.throws(() => new FileSource({ paths: [a], host: 'web 01' }), (e: unknown) => isAppError(e) && e.code === 'COLLECT_OPTIONS_INVALID' && /file host: "web 01" is holding a space/.test(e.message));
  await t.close();
});

test("a file's lines whose bytes are not utf-8 are stored with U+FFFD, counted, and named by path and first line", async () => {
  const t = tempDir();
  const path = join(t.dir, 'latin1.log');
  writeFileSync(path, Buffer.concat([Buffer.from('ok \ufffd ✓\n'), Buffer.from('caf\xe9\nna\xefve\nfine', 'latin1')]));
  const src = new FileSource({ paths: [path] });
  const { sink } = await ingest(src);
  assert.deepEqual(sink.lines(), ['ok \ufffd ✓', 'caf\ufffd', 'na\ufffdve', 'fine']);
  assert.equal(src.stats().notUtf8, 2);
  assert.deepEqual(src.notUtf8Lines(), [{ path, count: 2, firstLine: 2 }]);
  await t.close();
});

test('gzip is recognised by magic bytes, not by name', async () => {
  const t = tempDir();
  const zipped = join(t.dir, 'rotated.log');
  const notZipped = join(t.dir, 'plain.gz');
  writeFileSync(zipped, Buffer.concat([gzipSync('<13>gz one\n<13>gz two\n'), gzipSync('<13>second member')]));
  writeFileSync(notZipped, '<13>plain despite the name\n');
  const { sink } = await ingest(new FileSource({ paths: [zipped, notZipped] }));
  assert.deepEqual(sink.lines().sort(), ['<13>gz one', '<13>gz two', '<13>plain despite the name', '<13>second member']);
  await t.close();
});

test('a corrupt gzip file rejects done() with COLLECT_FILE_READ_FAILED', async () => {
  const t = tempDir();
  const path = join(t.dir, 'bad.gz');
  writeFileSync(path, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('not deflate at all')]));
  const src = new FileSource({ paths: [path] });
  await src.start(new MemorySink());
  await assert.rejects(src.done(), (e) => isAppError(e) && e.code === 'COLLECT_FILE_READ_FAILED' && e.kind === 'bad_request');
  await src.stop();
  await t.close();
});

test('a named pipe (nml ingest <(zcat x.gz)) is read as a stream to its end, plain or gzip', async (t) => {
  if (spawnSync('mkfifo', ['--version']).status !== 0) return t.skip('mkfifo is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'nml-fifo-'));
  try {
    for (const [name, body] of [['plain', Buffer.from('one\r\ntwo\nthree')], ['gzip', gzipSync('<13>zipped 1\n<13>zipped 2\n')]] as const) {
      const fifo = join(dir, name);
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
      // the writer: a process that opens the pipe, writes and closes it, as a shell's process substitution does
      const writer = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(fifo)}, Buffer.from(${JSON.stringify(body.toString('base64'))}, 'base64'))`]);
      const src = new FileSource({ paths: [fifo] });
      const sink = new MemorySink();
      await src.start(sink);
      await src.done();
      assert.deepEqual(sink.lines(), name === 'plain' ? ['one', 'two', 'three'] : ['<13>zipped 1', '<13>zipped 2'], name);
      writer.kill();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing file, or a path below a file, fails start() with COLLECT_FILE_OPEN_FAILED: a wrong path, bad_request', async () => {
  const src = new FileSource({ paths: ['/nonexistent/nml/x.log'] });
  await assert.rejects(src.start(new MemorySink()), (e) => isAppError(e) && e.code === 'COLLECT_FILE_OPEN_FAILED' && e.kind === 'bad_request' && e.message === 'cannot open /nonexistent/nml/x.log: no such file (ENOENT); check the path (a relative one is read from the folder nml runs in)');
  const dir = mkdtempSync(join(tmpdir(), 'nml-below-'));
  try {
    const file = join(dir, 'a.log');
    writeFileSync(file, 'x\n');
    const below = new FileSource({ paths: [join(file, 'x.log')] });
    await assert.rejects(below.start(new MemorySink()), (e) => isAppError(e) && e.code === 'COLLECT_FILE_OPEN_FAILED' && e.kind === 'bad_request' && e.message.endsWith('a.log/x.log: a part of the path is a file, not a folder (ENOTDIR); check the path (a relative one is read from the folder nml runs in)'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a directory given as a file fails start() by name, before any read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-dir-'));
  try {
    const src = new FileSource({ paths: [dir] });
    await assert.rejects(src.start(new MemorySink()), (e) => isAppError(e) && e.code === 'COLLECT_FILE_OPEN_FAILED' && e.kind === 'bad_request' && e.message.includes(`${dir} is a directory, not a file`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reading waits while the sink is congested', async () => {
  const t = tempDir();
  const path = join(t.dir, 'big.log');
  const total = 20_000;
  writeFileSync(path, Array.from({ length: total }, (_, i) => `<13>line ${i} ${'p'.repeat(40)}`).join('\n'));
  const sink = new MemorySink();
  sink.setCongested(true);
  const src = new FileSource({ paths: [path] });
  await src.start(sink);
  await new Promise((r) => setTimeout(r, 50));
  const whileCongested = src.stats().received;
  assert.ok(whileCongested > 0 && whileCongested < total, `read ${whileCongested} lines while congested`);
  sink.setCongested(false);
  assert.deepEqual(await src.done(), { lines: total });
  await src.stop();
  await t.close();
});

test('a sink that refuses batches makes done() reject with COLLECT_WRITE_FAILED, counted', async () => {
  const t = tempDir();
  const path = join(t.dir, 'x.log');
  writeFileSync(path, '<13>a\n<13>b\n');
  const sink = new MemorySink();
  sink.failWith = new AppError('STORE_UNAVAILABLE', 'unavailable', 'store: disk full');
  const src = new FileSource({ paths: [path] });
  await src.start(sink);
  await assert.rejects(src.done(), (e) => isAppError(e) && e.code === 'COLLECT_WRITE_FAILED' && /^collect: 2 records from file:.* not stored: store: disk full$/.test(e.message));
  assert.equal(src.stats().drops.write_failed, 2);
  await src.stop();
  await t.close();
});

test('a followed file failing leaves the others followed; stop() waits for every reader; done() rejects at the end', async () => {
  const t = tempDir();
  const bad = join(t.dir, 'bad.log');
  const good = join(t.dir, 'good.log');
  writeFileSync(bad, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('not deflate at all')]));
  writeFileSync(good, '');
  const problems: FileProblem[] = [];
  const src = new FileSource({ paths: [bad, good], follow: true, pollIntervalMs: 5, onProblem: (p) => problems.push(p) });
  const sink = new MemorySink();
  await src.start(sink);
  let settled = false;
  src.done().then(
    () => (settled = true),
    () => (settled = true),
  );
  appendFileSync(good, '<13>one\n');
  await sink.waitFor(1);
  assert.equal(problems.length, 1);
  assert.deepEqual([problems[0]!.path, problems[0]!.ended, problems[0]!.error.code], [bad, true, 'COLLECT_FILE_READ_FAILED']);
  assert.equal(settled, false, 'done() settled while a file was still followed');
  appendFileSync(good, '<13>two, no newline yet');
  await new Promise((r) => setTimeout(r, 30));
  await src.stop();
  assert.deepEqual(sink.lines(), ['<13>one', '<13>two, no newline yet'], 'stop() returned before every reader had stored its lines');
  await assert.rejects(src.done(), (e) => isAppError(e) && e.code === 'COLLECT_FILE_READ_FAILED' && e.message.startsWith(`collect: cannot read ${bad}: `)); // followed: a server log line, which says which part spoke
  await t.close();
});

test('a file read whole that fails mid-way is told as nml ingest tells its open failure: the file, no collect: prefix', async () => {
  const t = tempDir();
  const path = join(t.dir, 'a.gz');
  writeFileSync(path, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('corrupt')]));
  const src = new FileSource({ paths: [path] });
  await src.start(new MemorySink());
  await assert.rejects(src.done(), (e) => isAppError(e) && e.code === 'COLLECT_FILE_READ_FAILED' && e.kind === 'bad_request' && e.message.startsWith(`cannot read ${path}: `));
  await src.stop();
  await t.close();
});

test('several files failing: done() names each, after every file was read', async () => {
  const t = tempDir();
  const paths = ['a.gz', 'b.log', 'c.gz'].map((n) => join(t.dir, n));
  writeFileSync(paths[0]!, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('corrupt')]));
  writeFileSync(paths[1]!, '<13>fine\n');
  writeFileSync(paths[2]!, Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from('corrupt too')]));
  const sink = new MemorySink();
  const src = new FileSource({ paths });
  await src.start(sink);
  await assert.rejects(src.done(), (e) => isAppError(e) && e.code === 'COLLECT_FILE_READ_FAILED' && e.message.startsWith(`2 files failed: cannot read ${paths[0]}: `) && e.message.includes(`; cannot read ${paths[2]}: `) && !e.message.includes('collect:'));
  assert.deepEqual(sink.lines(), ['<13>fine']);
  await src.stop();
  await t.close();
});
