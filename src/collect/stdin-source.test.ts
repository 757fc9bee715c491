import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
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
  await assert.rejects(src.done(), (e) => isAppError(e) && e.code === 'COLLECT_STREAM_READ_FAILED' && e.message === 'collect: cannot read stdin: epipe');
  await src.stop();
});
