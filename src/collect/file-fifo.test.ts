import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Batcher, resolveBatchOptions } from './batcher.js';
import { followFifo, type FifoMode } from './file-fifo.js';
import { Sleeper } from './file-follow.js';
import { FileSource } from './file-source.js';
import { RecordEmitter } from './line-handler.js';
import { LineSplitter } from './line-splitter.js';
import { newStats } from './source.js';
import { MemorySink } from './testing.js';

const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

function fifo(): { path: string; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'nml-fifo-'));
  const path = join(dir, 'pipe');
  assert.equal(spawnSync('mkfifo', [path]).status, 0);
  return { path, close: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A writer that opens the pipe, writes `text`, then holds it open (silent) or closes it. */
function writer(path: string, text: string, hold: boolean): ChildProcess {
  const script = `const fs = require('fs'); const fd = fs.openSync(${JSON.stringify(path)}, 'w'); fs.writeSync(fd, ${JSON.stringify(text)}); ${hold ? 'setInterval(() => {}, 1000)' : 'fs.closeSync(fd)'}`;
  return spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
}

/** Settles within `ms` or says it did not. */
function within<T>(p: Promise<T>, ms: number): Promise<T | 'timed out'> {
  return Promise.race([p, new Promise<'timed out'>((r) => setTimeout(() => r('timed out'), ms).unref())]);
}

test('following a named pipe: stop() returns while its writer is silent', { skip: !hasMkfifo && 'mkfifo is not installed' }, async () => {
  const f = fifo();
  const w = writer(f.path, '<13>fifo line 1\n', true);
  try {
    const src = new FileSource({ paths: [f.path], follow: true, pollIntervalMs: 50 });
    const sink = new MemorySink();
    await src.start(sink);
    await sink.waitFor(1, 3000);
    assert.equal(await within(src.stop(), 3000), undefined, 'stop() waited for the silent writer');
    assert.deepEqual(sink.lines(), ['<13>fifo line 1']);
  } finally {
    w.kill();
    f.close();
  }
});

test('following a named pipe goes on after its writer closes: the next writer is read', { skip: !hasMkfifo && 'mkfifo is not installed' }, async () => {
  const f = fifo();
  const src = new FileSource({ paths: [f.path], follow: true, pollIntervalMs: 20 });
  const sink = new MemorySink();
  const writers: ChildProcess[] = [];
  try {
    // the first writer is there before start(): the old code's blocking open would wait for it
    writers.push(writer(f.path, '<13>writer 1\n', false));
    await src.start(sink);
    await once(writers[0]!, 'exit', { signal: AbortSignal.timeout(3000) });
    await sink.waitFor(1, 3000);
    let settled = false;
    void src.done().finally(() => (settled = true));
    writers.push(writer(f.path, '<13>writer 2\n', false));
    // a writer's open waits for a reader: it would never complete had following ended
    await once(writers[1]!, 'exit', { signal: AbortSignal.timeout(3000) });
    await sink.waitFor(2, 3000);
    assert.equal(settled, false, 'following ended with the first writer');
    assert.deepEqual(sink.lines(), ['<13>writer 1', '<13>writer 2']);
  } finally {
    for (const w of writers) w.kill();
    await within(src.stop(), 3000);
    f.close();
  }
});

test('following a named pipe with no writer yet: start() does not wait for one', { skip: !hasMkfifo && 'mkfifo is not installed' }, async () => {
  const f = fifo();
  const src = new FileSource({ paths: [f.path], follow: true, pollIntervalMs: 20 });
  const sink = new MemorySink();
  let w: ChildProcess | null = null;
  try {
    const started = await within(src.start(sink), 3000);
    w = writer(f.path, '<13>late writer\n', false); // unblocks an open that waited for a writer
    assert.equal(started, undefined, 'start() waited for a writer');
    await sink.waitFor(1, 3000);
  } finally {
    w?.kill();
    await within(src.stop(), 3000);
    f.close();
  }
});

test('a pipe that may only be read is opened again after each writer (read-only mode)', { skip: !hasMkfifo && 'mkfifo is not installed' }, async () => {
  const f = fifo();
  const sink = new MemorySink();
  const stats = newStats();
  const batcher = new Batcher(sink, stats, resolveBatchOptions({ lingerMs: 0 }));
  const emitter = new RecordEmitter(batcher, stats, 'fifo');
  const stop = new AbortController();
  const sleeper = new Sleeper();
  const mode: FifoMode = 'r';
  const s = { splitter: new LineSplitter(emitter), emitter, batcher, stats, stopped: () => stop.signal.aborted };
  const following = followFifo(f.path, s, stop.signal, (ms) => sleeper.sleep(ms), 10, mode);
  const writers: ChildProcess[] = [];
  try {
    for (const n of [1, 2]) {
      // a writer's open waits for a reader: it only completes once the follower has (re)opened the pipe
      const w = writer(f.path, `<13>writer ${n}\n`, false);
      await once(w, 'exit', { signal: AbortSignal.timeout(3000) });
      await sink.waitFor(n, 3000);
    }
    assert.deepEqual(sink.lines(), ['<13>writer 1', '<13>writer 2']);
  } finally {
    for (const w of writers) w.kill();
    stop.abort();
    sleeper.wake();
    assert.equal(await within(following, 3000), undefined);
    await batcher.settle();
    f.close();
  }
});
