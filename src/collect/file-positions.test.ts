import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AppError } from '../core/index.js';
import { FileSource, type FileNotice, type FileProblem, type FileSourceOptions } from './file-source.js';
import { CommitLedger, FollowPosition, PositionBook } from './file-positions.js';
import { MemorySink } from './testing.js';

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A data directory with one log file; `run` follows it once, as one start..stop of a node. */
function node(initial = ''): { dir: string; path: string; positions: string; run(sink: MemorySink, body: (src: FileSource) => Promise<void>, opts?: Partial<FileSourceOptions>): Promise<FileSource>; close(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'nml-positions-'));
  const path = join(dir, 'app.log');
  const positions = join(dir, 'data', 'collect', 'file-positions.json');
  writeFileSync(path, initial);
  return {
    dir,
    path,
    positions,
    async run(sink, body, opts = {}) {
      const src = new FileSource({ paths: [path], follow: true, pollIntervalMs: 5, positionsFile: positions, ...opts });
      await src.start(sink);
      try {
        await body(src);
      } finally {
        await src.stop();
      }
      return src;
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

test('a restart resumes after the last committed line: lines written while down are stored, nothing twice', async () => {
  const n = node('<13>before the first start\n');
  const sink = new MemorySink();
  try {
    await n.run(sink, async () => {
      appendFileSync(n.path, '<13>line 1\n');
      await sink.waitFor(1);
    });
    appendFileSync(n.path, '<13>line 2 (down)\n<13>line 3 (down)\n');
    await n.run(sink, async () => {
      await sink.waitFor(3);
      appendFileSync(n.path, '<13>line 4\n');
      await sink.waitFor(4);
    });
    assert.deepEqual(sink.lines(), ['<13>line 1', '<13>line 2 (down)', '<13>line 3 (down)', '<13>line 4']);
    const saved = JSON.parse(readFileSync(n.positions, 'utf8')) as { files: Record<string, { offset: number }> };
    assert.equal(saved.files[n.path]!.offset, readFileSync(n.path).length);
  } finally {
    n.close();
  }
});

test('fromStart reads a file whole once, not again at every restart', async () => {
  const n = node('<13>old 1\n<13>old 2\n');
  const sink = new MemorySink();
  try {
    await n.run(sink, () => sink.waitFor(2), { fromStart: true });
    appendFileSync(n.path, '<13>new\n');
    await n.run(sink, () => sink.waitFor(3), { fromStart: true });
    await pause(20);
    assert.deepEqual(sink.lines(), ['<13>old 1', '<13>old 2', '<13>new']);
  } finally {
    n.close();
  }
});

test('a line cut by stop() is left for the next start and stored whole, once', async () => {
  const n = node();
  const sink = new MemorySink();
  try {
    const first = await n.run(sink, async () => {
      appendFileSync(n.path, '<13>whole\n<13>half of a li');
      await sink.waitFor(1);
      await pause(30);
    });
    assert.equal(first.stats().truncated, 0, 'the cut line is not stored partial');
    appendFileSync(n.path, 'ne\n');
    await n.run(sink, () => sink.waitFor(2));
    assert.deepEqual(sink.lines(), ['<13>whole', '<13>half of a line']);
  } finally {
    n.close();
  }
});

test('a file rotated or truncated while down is read from its start, and that is told', async () => {
  for (const change of ['rotated', 'truncated'] as const) {
    const n = node('<13>first file, already there\n');
    const sink = new MemorySink();
    const notices: FileNotice[] = [];
    try {
      await n.run(sink, async () => {
        appendFileSync(n.path, '<13>read before the stop\n');
        await sink.waitFor(1);
      });
      if (change === 'rotated') {
        renameSync(n.path, `${n.path}.1`);
        writeFileSync(n.path, '<13>new file 1\n');
      } else writeFileSync(n.path, '<13>new file 1\n');
      await n.run(sink, () => sink.waitFor(2), { onNotice: (x) => notices.push(x) });
      assert.deepEqual(sink.lines(), ['<13>read before the stop', '<13>new file 1'], change);
      assert.equal(notices.length, 1, change);
      assert.match(notices[0]!.message, change === 'rotated' ? /was replaced by another file .* reading it from its start$/ : /was truncated .* reading it from its start$/);
    } finally {
      n.close();
    }
  }
});

test('a file missing at start resumes at its saved position once it appears', async () => {
  const n = node();
  const sink = new MemorySink();
  try {
    await n.run(sink, async () => {
      appendFileSync(n.path, '<13>one\n');
      await sink.waitFor(1);
    });
    renameSync(n.path, `${n.path}.away`);
    await n.run(sink, async () => {
      await pause(20);
      appendFileSync(`${n.path}.away`, '<13>two\n');
      renameSync(`${n.path}.away`, n.path); // the same file (inode) comes back
      await sink.waitFor(2);
    });
    assert.deepEqual(sink.lines(), ['<13>one', '<13>two']);
  } finally {
    n.close();
  }
});

test('a followed gzip archive is not read again after a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-positions-'));
  const path = join(dir, 'old.log.gz');
  writeFileSync(path, gzipSync('<13>archived\n'));
  const positionsFile = join(dir, 'positions.json');
  const sink = new MemorySink();
  try {
    for (let run = 0; run < 2; run++) {
      const src = new FileSource({ paths: [path], follow: true, pollIntervalMs: 5, positionsFile });
      await src.start(sink);
      await sink.waitFor(1);
      await pause(20);
      await src.stop();
    }
    assert.deepEqual(sink.lines(), ['<13>archived']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the position never passes lines whose batch was not committed: a refused batch is read again after a restart', async () => {
  const n = node();
  const problems: FileProblem[] = [];
  try {
    const refusing = new MemorySink();
    refusing.failWith = new AppError('STORE_DISK_FULL', 'unavailable', 'store: disk full');
    await n.run(
      refusing,
      async (src) => {
        appendFileSync(n.path, '<13>refused\n');
        for (let i = 0; i < 200 && src.stats().drops.write_failed === 0; i++) await pause(5);
        assert.equal(src.stats().drops.write_failed, 1);
      },
      { onProblem: (p) => problems.push(p) },
    );
    const sink = new MemorySink();
    await n.run(sink, () => sink.waitFor(1));
    assert.deepEqual(sink.lines(), ['<13>refused']);
  } finally {
    n.close();
  }
});

test('a position moves only when every record read before it is committed, in order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-positions-'));
  const path = join(dir, 'a.log');
  writeFileSync(path, 'x\n'.repeat(10));
  const book = new PositionBook(join(dir, 'p.json'), (e) => assert.fail(e.message));
  const ledger = new CommitLedger();
  const position = new FollowPosition(path, ledger, book);
  ledger.onAdvance(() => position.advance());
  const releases: Array<() => void> = [];
  const sink = ledger.sink({ congested: false, whenDrained: async () => undefined, write: () => new Promise<void>((r) => releases.push(r)) });
  const fh = await open(path, 'r');
  try {
    await position.begin(fh, 0);
    assert.equal(book.saved(path)?.offset, 0, 'nothing read: the start is saved at once');
    ledger.added += 2;
    void sink.write([{ line: 'x', receivedAt: 0, source: 's' }, { line: 'x', receivedAt: 0, source: 's' }]);
    await position.read(fh, 5, Buffer.from('x\nx\nx')); // two lines and a third cut
    ledger.added += 1;
    void sink.write([{ line: 'x', receivedAt: 0, source: 's' }]);
    await position.read(fh, 8, Buffer.from('\nx\n'));
    releases[1]!();
    await pause(0);
    assert.equal(book.saved(path)?.offset, 0, 'a later batch committed first moves nothing');
    releases[0]!();
    await pause(0);
    assert.equal(book.saved(path)?.offset, 8, 'both committed: after the last whole line');
  } finally {
    await fh.close();
    await book.flush();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an unreadable positions file is reported and following goes on as if never followed', async () => {
  const n = node('<13>old\n');
  const problems: FileProblem[] = [];
  const sink = new MemorySink();
  try {
    await n.run(sink, async () => undefined);
    writeFileSync(n.positions, '{ not json');
    await n.run(
      sink,
      async () => {
        appendFileSync(n.path, '<13>new\n');
        await sink.waitFor(1);
      },
      { onProblem: (p) => problems.push(p) },
    );
    assert.deepEqual(sink.lines(), ['<13>new']);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.error.code, 'COLLECT_FILE_POSITIONS_FAILED');
    assert.ok(problems[0]!.error.message.startsWith(`collect: cannot read the followed files' positions ${n.positions}: `), problems[0]!.error.message);
    assert.doesNotThrow(() => JSON.parse(readFileSync(n.positions, 'utf8')), 'written anew at stop');
  } finally {
    n.close();
  }
});

test('one-shot reading ignores a positions file', async () => {
  const n = node('<13>a\n');
  try {
    for (let run = 0; run < 2; run++) {
      const src = new FileSource({ paths: [n.path], positionsFile: n.positions });
      await src.start(new MemorySink());
      assert.deepEqual(await src.done(), { lines: 1 });
      await src.stop();
    }
    assert.throws(() => readFileSync(n.positions), /ENOENT/);
  } finally {
    n.close();
  }
});

test('positions reach the disk while following, not only at stop (a crash re-reads at most the last second)', async () => {
  const n = node();
  const sink = new MemorySink();
  const offset = (): number | undefined => {
    try {
      return (JSON.parse(readFileSync(n.positions, 'utf8')) as { files: Record<string, { offset: number }> }).files[n.path]?.offset;
    } catch {
      return undefined;
    }
  };
  try {
    await n.run(sink, async () => {
      appendFileSync(n.path, '<13>committed\n');
      await sink.waitFor(1);
      for (let i = 0; i < 300 && offset() !== 14; i++) await pause(10);
      assert.equal(offset(), 14, 'written within the throttle, before stop');
    });
  } finally {
    n.close();
  }
});
