/** `nml ingest`: binary files are refused by their bytes, every refused path is named in one error, and text in its usual shapes is read. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runCliSync } from '../testing.js';

/** Bytes that look random but are the same every run. */
function noise(n: number): Buffer {
  const b = Buffer.alloc(n);
  let x = 777;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** wtmp-like: login records of 384 bytes, mostly NUL padding. */
function wtmp(records: number): Buffer {
  return Buffer.concat(
    Array.from({ length: records }, (_, i) => {
      const r = Buffer.alloc(384);
      r.writeInt32LE(7, 0);
      r.writeInt32LE(1000 + i, 4);
      r.write('pts/0', 8);
      r.write('alice', 44);
      return r;
    }),
  );
}

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'nml-ingest-text-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a binary file (random bytes, wtmp) is refused before the store opens, naming the file, the offending byte and what to do; --binary-ok stores it', () => {
  withDir((dir) => {
    const random = join(dir, 'bin.dat');
    writeFileSync(random, noise(100_000));
    const logins = join(dir, 'wtmp');
    writeFileSync(logins, wtmp(40));
    const data = join(dir, 'd');
    for (const f of [random, logins]) {
      const r = runCliSync(['ingest', '--data', data, '--no-progress', '--no-detect', f]);
      assert.equal(r.code, 2, r.err);
      assert.ok(r.err.startsWith(`nml: ${f} is not text: byte `), r.err);
      assert.match(r.err, /\(from there: [0-9a-f]{2}( [0-9a-f]{2}){15}\); [\d.]+% of its first 8192 bytes are NUL and [\d.]+% control bytes; /);
      assert.ok(r.err.includes(`'last -f ${f}'`) && r.err.includes('pass --binary-ok') && r.err.endsWith('nothing of it was stored\n'), r.err);
      assert.equal(existsSync(data), false, 'refused before the store opened');
    }
    const gz = join(dir, 'bin.dat.gz');
    writeFileSync(gz, gzipSync(noise(50_000)));
    const zipped = runCliSync(['ingest', '--data', data, '--no-progress', '--no-detect', gz]);
    assert.equal(zipped.code, 2, zipped.err);
    assert.ok(zipped.err.startsWith(`nml: ${gz}, decompressed, is not text: byte `), 'judged on its decompressed bytes');
    const piped = runCliSync(['ingest', '--data', data, '--no-progress', '--no-detect'], { input: noise(20_000) });
    assert.equal(piped.code, 2, piped.err);
    assert.match(piped.err, /^nml: the input is not text: byte \d+ is 0x/);
    const forced = runCliSync(['ingest', '--data', data, '--no-progress', '--no-detect', '--binary-ok', logins]);
    assert.equal(forced.code, 0, forced.err);
    assert.match(forced.err, /^ingested \d+ lines/);
  });
});

test('text still ingests: ANSI colours, Latin-1, a copytruncate NUL prefix, gzip, and a NUL prefix in gzip; UTF-16 is refused with how to convert it', () => {
  withDir((dir) => {
    const line = 'Jan  1 00:00:00 host sshd[1]: accepted password for alice\n';
    const files: [string, Buffer][] = [
      ['ansi.log', Buffer.from(`\x1b[31mERROR\x1b[0m\t${line}`.repeat(100))],
      ['latin1.log', Buffer.from(`caf\xe9 cr\xe8me ${line}`.repeat(100), 'latin1')],
      ['truncated.log', Buffer.concat([Buffer.alloc(300_000), Buffer.from(line.repeat(100))])],
      ['app.log.gz', gzipSync(line.repeat(100))],
      ['truncated.log.gz', gzipSync(Buffer.concat([Buffer.alloc(200_000), Buffer.from(line.repeat(100))]))],
    ];
    const paths = files.map(([name, bytes]) => {
      writeFileSync(join(dir, name), bytes);
      return join(dir, name);
    });
    const r = runCliSync(['ingest', '--data', join(dir, 'd'), '--no-progress', '--no-detect', ...paths]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^ingested 500 lines/);
    const u16 = join(dir, 'export.log');
    writeFileSync(u16, Buffer.from(`\ufeff${line}`.repeat(50), 'utf16le'));
    const refused = runCliSync(['ingest', '--data', join(dir, 'd'), '--no-progress', '--no-detect', u16]);
    assert.equal(refused.code, 2, refused.err);
    assert.ok(refused.err.includes(`it looks like UTF-16LE text: convert it to UTF-8 (e.g. 'iconv -f UTF-16LE -t UTF-8 ${u16} | nml ingest')`), refused.err);
  });
});

test('several bad paths are named in one error, each with its reason; nothing is stored, exit 2', () => {
  withDir((dir) => {
    const good = join(dir, 'a.log');
    writeFileSync(good, 'one line\n');
    const bin = join(dir, 'bin.dat');
    writeFileSync(bin, noise(10_000));
    const xz = join(dir, 'b.log.xz');
    writeFileSync(xz, Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]));
    mkdirSync(join(dir, 'logs'));
    const data = join(dir, 'd');
    const r = runCliSync(['ingest', '--data', data, '--no-progress', good, join(dir, 'typo.log'), bin, join(dir, 'logs'), xz]);
    assert.equal(r.code, 2, r.err);
    const lines = r.err.trimEnd().split('\n');
    assert.equal(lines[0], 'nml: 4 of the 5 files cannot be read as logs, so nothing was stored; leave them out or fix each:');
    assert.equal(lines[1], `  cannot open ${join(dir, 'typo.log')}: no such file (ENOENT); check the path (a relative one is read from the folder nml runs in)`);
    assert.ok(lines[2]!.startsWith(`  ${bin} is not text: byte `), lines[2]);
    assert.equal(lines[3], `  ${join(dir, 'logs')} is a directory, not a file; give the files in it (e.g. ${join(dir, 'logs')}/*.log)`);
    assert.ok(lines[4]!.startsWith(`  ${xz} is xz-compressed;`), lines[4]);
    assert.equal(lines.length, 5);
    assert.equal(existsSync(data), false, 'nothing stored, no store created');
  });
});
