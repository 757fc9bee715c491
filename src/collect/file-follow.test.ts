import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FileSource, unreadableReason, type FileNotice, type FileProblem, type FileSourceOptions } from './file-source.js';
import { MemorySink } from './testing.js';

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function following(opts: Partial<FileSourceOptions>, body: (path: string, sink: MemorySink, src: FileSource) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nml-follow-'));
  const path = join(dir, 'app.log');
  if (opts.paths === undefined) writeFileSync(path, '<13>old 1\n<13>old 2\n');
  const src = new FileSource({ paths: [path], follow: true, pollIntervalMs: 5, ...opts });
  const sink = new MemorySink();
  await src.start(sink);
  try {
    await body(path, sink, src);
  } finally {
    await src.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('follow starts at the end and reads appended lines, even split mid-line', async () => {
  await following({}, async (path, sink) => {
    appendFileSync(path, '<13>new 1\n<13>new');
    await sink.waitFor(1);
    await pause(20);
    appendFileSync(path, ' 2\n');
    await sink.waitFor(2);
    assert.deepEqual(sink.lines(), ['<13>new 1', '<13>new 2']);
  });
});

test('fromStart reads what the file already holds', async () => {
  await following({ fromStart: true }, async (path, sink) => {
    appendFileSync(path, '<13>new\n');
    await sink.waitFor(3);
    assert.deepEqual(sink.lines(), ['<13>old 1', '<13>old 2', '<13>new']);
  });
});

test('rotation by rename: the old file is finished, the new one read from its start', async () => {
  await following({ rotateWaitMs: 200 }, async (path, sink) => {
    appendFileSync(path, '<13>before rotation\n');
    await sink.waitFor(1);
    renameSync(path, `${path}.1`);
    // The writer still holds the old file for a moment; its last lines, one cut short, belong to it.
    appendFileSync(`${path}.1`, '<13>late write to old\n<13>no newline');
    writeFileSync(path, '<13>new file 1\n');
    await sink.waitFor(3);
    appendFileSync(path, '<13>new file 2\n');
    await sink.waitFor(4);
    // the cut line is the old file's own, stored once that file has been quiet a while
    await sink.waitFor(5);
    assert.deepEqual(sink.lines(), ['<13>before rotation', '<13>late write to old', '<13>new file 1', '<13>new file 2', '<13>no newline']);
  });
});

test("logrotate's create mode: lines the writer adds to the renamed file after the new one appeared are read, apart from the new file's", async () => {
  await following({ rotateWaitMs: 60_000 }, async (path, sink) => {
    appendFileSync(path, '<13>line 1\n');
    await sink.waitFor(1);
    renameSync(path, `${path}.1`);
    writeFileSync(path, '<13>new 1 cut');
    await pause(50); // the follower has switched to the new file
    appendFileSync(`${path}.1`, '<13>line 2, before the writer reopens\n');
    await sink.waitFor(2);
    appendFileSync(path, ' here\n');
    await sink.waitFor(3);
    assert.deepEqual(sink.lines(), ['<13>line 1', '<13>line 2, before the writer reopens', '<13>new 1 cut here'], 'the two files\' lines never mix');
  });
});

test('copytruncate: a file shrinking under the position is read again from 0', async () => {
  await following({}, async (path, sink) => {
    appendFileSync(path, '<13>a long line before the truncation\n');
    await sink.waitFor(1);
    truncateSync(path, 0);
    await pause(20);
    appendFileSync(path, '<13>after\n');
    await sink.waitFor(2);
    assert.deepEqual(sink.lines(), ['<13>a long line before the truncation', '<13>after']);
  });
});

test('a file missing at start is waited for and read whole', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-follow-'));
  const path = join(dir, 'later.log');
  await following({ paths: [path] }, async (_p, sink) => {
    await pause(20);
    writeFileSync(path, '<13>first\n<13>second\n');
    await sink.waitFor(2);
    assert.deepEqual(sink.lines(), ['<13>first', '<13>second']);
  });
  rmSync(dir, { recursive: true, force: true });
});

test('a gzip file is read once even when following', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-follow-'));
  const path = join(dir, 'old.log.gz');
  writeFileSync(path, gzipSync('<13>archived\n'));
  await following({ paths: [path] }, async (_p, sink) => {
    await sink.waitFor(1);
    assert.deepEqual(sink.lines(), ['<13>archived']);
  });
  rmSync(dir, { recursive: true, force: true });
});

test('stop ends following promptly and done() then resolves', async () => {
  await following({ pollIntervalMs: 60_000 }, async (_p, _sink, src) => {
    const started = Date.now();
    await src.stop();
    assert.deepEqual(await src.done(), { lines: 0 });
    assert.ok(Date.now() - started < 500);
  });
});

test('a new file that is there but cannot be opened is told once, tried again, and read once it can be', async () => {
  const breakers: Array<[string, (path: string) => void, (path: string) => void]> = [
    ['ELOOP', (path) => symlinkSync(basename(path), path), (path) => rmSync(path)],
    ['EISDIR', (path) => mkdirSync(path), (path) => rmSync(path, { recursive: true })],
  ];
  for (const [errno, breakPath, repair] of breakers) {
    const problems: FileProblem[] = [];
    await following({ rotateWaitMs: 20, onProblem: (p) => problems.push(p) }, async (path, sink, src) => {
      appendFileSync(path, '<13>before\n');
      await sink.waitFor(1);
      renameSync(path, `${path}.1`);
      breakPath(path);
      await pause(100);
      assert.equal(problems.length, 1, `${errno}: told once, not every poll`);
      const { error, ended } = problems[0]!;
      assert.equal(ended, false);
      assert.equal(error.code, 'COLLECT_FILE_OPEN_FAILED');
      assert.ok(error.message.startsWith(`collect: cannot open ${path} to follow it (${errno}): `), error.message);
      assert.equal(src.stats().unreadable, 1);
      repair(path);
      writeFileSync(path, '<13>after\n');
      await sink.waitFor(2);
      assert.deepEqual(sink.lines(), ['<13>before', '<13>after']);
    });
  }
});

test('a file without read permission is told with what to do (the open path is the one the ELOOP test above takes; root reads any file, so the words are checked here)', () => {
  const e = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }) as NodeJS.ErrnoException;
  assert.match(unreadableReason(e), /^permission denied; make it readable by the user nml runs as \(.+\)$/);
  assert.match(unreadableReason(Object.assign(new Error('x'), { code: 'ELOOP' })), /loop of symbolic links/);
});

test('a line cut by stop() is stored as partial, counted truncated', async () => {
  await following({}, async (path, sink, src) => {
    appendFileSync(path, '<13>whole\n<13>half of a li');
    await sink.waitFor(1);
    await pause(30);
    await src.stop();
    assert.deepEqual(sink.lines(), ['<13>whole', '<13>half of a li']);
    assert.equal(src.stats().truncated, 1);
  });
});

test('a followed path that cannot be opened at start does not fail start(): it is told with advice, retried, and read once it can be', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-follow-'));
  const path = join(dir, 'loop.log');
  symlinkSync(basename(path), path); // ELOOP, like EACCES for a user that may not read it
  const problems: FileProblem[] = [];
  try {
    await following({ paths: [path], onProblem: (p) => problems.push(p) }, async (_p, sink, src) => {
      await pause(50);
      assert.equal(problems.length, 1, 'told once, not every poll');
      const { error, ended } = problems[0]!;
      assert.deepEqual([error.code, ended], ['COLLECT_FILE_OPEN_FAILED', false]);
      assert.ok(error.message.startsWith(`collect: cannot open ${path} to follow it (ELOOP): a loop of symbolic links`), error.message);
      assert.equal(src.stats().unreadable, 1);
      rmSync(path);
      writeFileSync(path, '<13>readable now\n');
      await sink.waitFor(1);
      assert.deepEqual(sink.lines(), ['<13>readable now']);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the same file given twice (another spelling, a link to it) is followed once, and that is told', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-follow-'));
  const path = join(dir, 'a.log');
  writeFileSync(path, '');
  symlinkSync('a.log', join(dir, 'link.log'));
  const notices: FileNotice[] = [];
  try {
    await following({ paths: [path, `${dir}/./a.log`, join(dir, 'link.log')], onNotice: (n) => notices.push(n) }, async (_p, sink) => {
      appendFileSync(path, '<13>once\n');
      await sink.waitFor(1);
      await pause(30);
      assert.deepEqual(sink.lines(), ['<13>once']);
    });
    assert.deepEqual(
      notices.map((n) => n.message),
      [`collect: ${path} is given twice; it is followed once, under ${path}`, `collect: ${join(dir, 'link.log')} is the same file as ${path}; it is followed once, under ${path}`],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a followed path that looks like a glob is told: patterns are not expanded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-follow-'));
  const notices: FileNotice[] = [];
  try {
    await following({ paths: [join(dir, '*.log')], onNotice: (n) => notices.push(n) }, async () => undefined);
    assert.equal(notices.length, 1);
    assert.match(notices[0]!.message, /looks like a glob pattern; followed paths are not expanded: list each file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
