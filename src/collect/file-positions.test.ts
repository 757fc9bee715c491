import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
      assert.match(notices[0]!.message, change === 'rotated' ? /was rotated while it was not followed: the rest of the file read before, now .*app\.log\.1, is read from byte \d+ first, then the new .* from its start$/ : /was truncated .* reading it from its start$/);
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

/** Stops `n` after `before` is stored, then appends `down` while not followed and rotates the file by rename. */
async function rotateWhileDown(n: ReturnType<typeof node>, sink: MemorySink, down: string): Promise<void> {
  await n.run(sink, async () => {
    appendFileSync(n.path, '<13>before the stop\n');
    await sink.waitFor(1);
  });
  appendFileSync(n.path, down);
  renameSync(n.path, `${n.path}.1`);
}

function savedFor(n: ReturnType<typeof node>): { ino: number; offset: number } {
  return (JSON.parse(readFileSync(n.positions, 'utf8')) as { files: Record<string, { ino: number; offset: number }> }).files[n.path]!;
}

test('a file rotated while down: the rest of the rotated file is read first, then the new file, every line once', async () => {
  const n = node('<13>there before the first start\n');
  const sink = new MemorySink();
  const notices: FileNotice[] = [];
  try {
    await rotateWhileDown(n, sink, '<13>down 1\n<13>down 2\n');
    writeFileSync(n.path, '<13>new 1\n');
    await n.run(
      sink,
      async () => {
        await sink.waitFor(4);
        appendFileSync(n.path, '<13>new 2\n');
        await sink.waitFor(5);
      },
      { onNotice: (x) => notices.push(x) },
    );
    assert.deepEqual(sink.lines(), ['<13>before the stop', '<13>down 1', '<13>down 2', '<13>new 1', '<13>new 2']);
    assert.ok(sink.records.every((r) => r.source === `file:${n.path}`), 'the rotated file\'s lines are the path\'s');
    assert.deepEqual(notices.map((x) => x.message), [`collect: ${n.path} was rotated while it was not followed: the rest of the file read before, now ${n.path}.1, is read from byte ${Buffer.byteLength('<13>there before the first start\n<13>before the stop\n')} first, then the new ${n.path} from its start`]);
    assert.deepEqual([savedFor(n).ino, savedFor(n).offset], [statSync(n.path).ino, statSync(n.path).size], 'the book points at the file under the path');
    // a further restart stores only what is new
    appendFileSync(n.path, '<13>new 3\n');
    await n.run(sink, () => sink.waitFor(6));
    await pause(20);
    assert.deepEqual(sink.lines().slice(5), ['<13>new 3']);
  } finally {
    n.close();
  }
});

test('a file rotated while down and missing at start: the rotated file\'s rest is read before the new file that appears', async () => {
  const n = node();
  const sink = new MemorySink();
  try {
    await rotateWhileDown(n, sink, '<13>down\n');
    await n.run(sink, async () => {
      await pause(20);
      writeFileSync(n.path, '<13>new\n');
      await sink.waitFor(3);
    });
    assert.deepEqual(sink.lines(), ['<13>before the stop', '<13>down', '<13>new']);
    assert.equal(savedFor(n).ino, statSync(n.path).ino);
  } finally {
    n.close();
  }
});

test('the rotated file\'s lines pass the position only once committed: refused, they are read again at the next start', async () => {
  const n = node();
  const sink = new MemorySink();
  try {
    await rotateWhileDown(n, sink, '<13>down\n');
    writeFileSync(n.path, '<13>new\n');
    const refusing = new MemorySink();
    refusing.failWith = new AppError('STORE_DISK_FULL', 'unavailable', 'store: disk full');
    await n.run(
      refusing,
      async (src) => {
        for (let i = 0; i < 200 && src.stats().drops.write_failed === 0; i++) await pause(5);
        assert.ok(src.stats().drops.write_failed > 0);
      },
      { onProblem: () => undefined },
    );
    await n.run(sink, () => sink.waitFor(3));
    assert.deepEqual(sink.lines(), ['<13>before the stop', '<13>down', '<13>new']);
  } finally {
    n.close();
  }
});

test('a file rotated while down whose rotated file is gone or compressed: the new file is read from its start, and the note says where the lines may be', async () => {
  const n = node();
  const sink = new MemorySink();
  const notices: FileNotice[] = [];
  try {
    await rotateWhileDown(n, sink, '<13>down, then compressed\n');
    writeFileSync(`${n.path}.1.gz`, gzipSync(readFileSync(`${n.path}.1`)));
    // the new file first: created after the removal it could take the removed file's inode
    writeFileSync(n.path, '<13>new\n');
    rmSync(`${n.path}.1`);
    await n.run(sink, () => sink.waitFor(2), { onNotice: (x) => notices.push(x) });
    await pause(20);
    assert.deepEqual(sink.lines(), ['<13>before the stop', '<13>new']);
    assert.equal(notices.length, 1);
    assert.equal(
      notices[0]!.message,
      `collect: ${n.path} was replaced by another file (rotated or recreated) while it was not followed, and the file read before is not among the files named app.log* beside it (compressed ones are not read: app.log.1.gz); lines written to it between the stop and the rotation may be missing: look for them in the rotated files (${n.path}.*, or where the rotation moves them); reading it from its start`,
    );
  } finally {
    n.close();
  }
});

test('a rotated file with the saved inode but another head (the inode reused, or the file rewritten) is not taken for the file read before', async () => {
  const n = node();
  const sink = new MemorySink();
  const notices: FileNotice[] = [];
  try {
    await rotateWhileDown(n, sink, '');
    // the same inode, refilled with other lines at least as long as the saved offset
    writeFileSync(`${n.path}.1`, '<13>another file under that inode\n<13>not the path\'s lines\n');
    writeFileSync(n.path, '<13>new\n');
    await n.run(sink, () => sink.waitFor(2), { onNotice: (x) => notices.push(x) });
    await pause(20);
    assert.deepEqual(sink.lines(), ['<13>before the stop', '<13>new']);
    assert.match(notices[0]!.message, /is not among the files named app\.log\* beside it; lines written to it between the stop and the rotation may be missing/);
  } finally {
    n.close();
  }
});
