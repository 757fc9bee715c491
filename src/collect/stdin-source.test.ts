import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { isAppError } from '../core/index.js';
import { sourceContract } from './source.contract.js';
import { StdinSource } from './stdin-source.js';
import { MemorySink } from './testing.js';

async function started(stream: PassThrough, sink = new MemorySink()): Promise<{ src: StdinSource; sink: MemorySink }> {
  const src = new StdinSource({ stream });
  await src.start(sink);
  return { src, sink };
}

sourceContract('stdin', async (lines) => {
  const stream = new PassThrough();
  const source = new StdinSource({ stream });
  return { source, origin: /^stdin$/, deliver: async () => void stream.end(lines.join('\n') + '\n') };
});

test('lines from a stream, crlf stripped, last line kept; done() counts them', async () => {
  const stream = new PassThrough();
  const { src, sink } = await started(stream);
  stream.write('<13>one\r\n<13>tw');
  stream.end('o\n<13>three');
  assert.deepEqual(await src.done(), { lines: 3 });
  await src.stop();
  assert.deepEqual(sink.lines(), ['<13>one', '<13>two', '<13>three']);
  assert.ok(sink.records.every((r) => r.source === 'stdin'));
});

test('reading waits while the sink is congested, then loses nothing', async () => {
  const sink = new MemorySink();
  sink.setCongested(true);
  const stream = new PassThrough({ highWaterMark: 1024 });
  const { src } = await started(stream, sink);
  let written = 0;
  while (written < 100_000 && stream.write(`<13>line ${written}\n`)) written++;
  written++;
  await new Promise((r) => setTimeout(r, 30));
  assert.ok(written < 100_000, 'the writer never saw backpressure');
  assert.ok(src.stats().received < written, 'the source read on while congested');
  sink.setCongested(false);
  stream.end();
  assert.deepEqual(await src.done(), { lines: written });
  await src.stop();
});

test('stop() on a silent stream resolves and done() reports what was read', async () => {
  const stream = new PassThrough();
  const { src, sink } = await started(stream);
  stream.write('<13>only\n');
  await sink.waitFor(1);
  await src.stop();
  assert.deepEqual(await src.done(), { lines: 1 });
});

test('a stream error rejects done() with COLLECT_STREAM_READ_FAILED', async () => {
  const stream = new PassThrough();
  const { src } = await started(stream);
  stream.destroy(new Error('EPIPE'));
  await assert.rejects(src.done(), (e) => isAppError(e) && e.code === 'COLLECT_STREAM_READ_FAILED' && e.message === 'cannot read stdin: epipe');
  await src.stop();
});

test('gzip on stdin (cat x.gz | nml ingest) is decompressed: members one after another, magic split over two chunks', async () => {
  const stream = new PassThrough();
  const { src, sink } = await started(stream);
  const gz = Buffer.concat([gzipSync('<13>one\n<13>two\n'), gzipSync('<13>three\n<13>four')]);
  stream.write(gz.subarray(0, 1));
  await new Promise((r) => setImmediate(r));
  stream.end(gz.subarray(1));
  assert.deepEqual(await src.done(), { lines: 4 });
  await src.stop();
  assert.deepEqual(sink.lines(), ['<13>one', '<13>two', '<13>three', '<13>four']);
});

test('plain lines starting with 0x1f (half of the gzip magic) and a one-byte stream are read as they are', async () => {
  for (const body of [Buffer.from('\x1fnot gzip\nsecond\n'), Buffer.from('x')]) {
    const stream = new PassThrough();
    const { src, sink } = await started(stream);
    stream.end(body);
    await src.done();
    await src.stop();
    assert.deepEqual(sink.lines(), body.toString().split('\n').filter((l) => l !== ''));
  }
});

test('a cut-short or corrupt gzip stream rejects done() with a bad_request naming stdin, and stores no compressed bytes', async () => {
  const lines = Array.from({ length: 2000 }, (_, i) => `<13>line ${i} ${'x'.repeat(i % 50)}`);
  const gz = gzipSync(lines.join('\n') + '\n');
  const corrupt = Buffer.from(gz);
  corrupt.fill(0xaa, 40, 60);
  const known = new Set(lines);
  for (const [what, body] of [['cut short', gz.subarray(0, gz.length - 30)], ['corrupt', corrupt]] as const) {
    const stream = new PassThrough();
    const { src, sink } = await started(stream);
    stream.end(body);
    await assert.rejects(src.done(), (e) => {
      assert.ok(isAppError(e), what);
      assert.equal(e.code, 'COLLECT_STREAM_READ_FAILED');
      assert.equal(e.kind, 'bad_request');
      assert.match(e.message, /^cannot read stdin: its gzip data is corrupt or cut short \(.+\); check the archive with 'gzip -t'$/);
      return true;
    });
    await src.stop();
    // (corrupt data may decode to wrong text before zlib notices, as with gunzip; a cut stream may not)
    if (what === 'cut short') assert.ok(sink.lines().every((l) => known.has(l)), 'only whole decompressed lines are stored');
    else assert.ok(sink.lines().every((l) => !l.includes('\x1f\x8b')), 'no compressed bytes stored');
  }
});

test('stop() while a gzip stream is silent resolves', async () => {
  const stream = new PassThrough();
  const { src, sink } = await started(stream);
  const gz = gzipSync('<13>first\n<13>second\n');
  stream.write(gz.subarray(0, gz.length - 8)); // everything but the trailer: the lines arrive, the end does not
  await sink.waitFor(2);
  await src.stop();
  assert.deepEqual(await src.done(), { lines: 2 });
  assert.deepEqual(sink.lines(), ['<13>first', '<13>second']);
});
