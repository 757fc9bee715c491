import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { isZlibError, otherArchive, sniffGunzip, undecided } from './gzip-sniff.js';
import { startsGzip } from '../core/index.js';
import type { AppError } from '../core/index.js';

async function read(chunks: Array<Buffer | string>): Promise<string> {
  const out: Buffer[] = [];
  for await (const c of sniffGunzip(Readable.from(chunks))) out.push(c);
  return Buffer.concat(out).toString();
}

test('startsGzip: only the two magic bytes', () => {
  assert.equal(startsGzip(Buffer.from([0x1f, 0x8b, 8])), true);
  assert.equal(startsGzip(Buffer.from([0x1f])), false);
  assert.equal(startsGzip(Buffer.from('plain')), false);
});

test('sniffGunzip: plain chunks pass as they are; gzip, byte by byte or in members, is decompressed', async () => {
  assert.equal(await read([]), '');
  assert.equal(await read(['a', 'b\n', Buffer.from('c')]), 'ab\nc');
  const gz = Buffer.concat([gzipSync('one\n'), gzipSync('two\n')]);
  assert.equal(await read([...gz].map((b) => Buffer.from([b]))), 'one\ntwo\n');
});

test('sniffGunzip: a cut-short archive throws a zlib error through the iterator', async () => {
  const gz = gzipSync('one\ntwo\n');
  await assert.rejects(read([gz.subarray(0, gz.length - 4)]), (e) => isZlibError(e));
  assert.equal(isZlibError(new Error('x')), false);
  assert.equal(isZlibError(null), false);
});

test('otherArchive: xz, bzip2, zstd, lz4, zip and 7z by their first bytes; text that merely starts alike is text', () => {
  const cases: [number[] | string, string | null][] = [
    [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04], 'xz'],
    [[0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0x01], 'bzip2'],
    [[0x42, 0x5a, 0x68, 0x39, 0x17, 0x72, 0x45, 0x38, 0x50, 0x90], 'bzip2'],
    [[0x28, 0xb5, 0x2f, 0xfd, 0x24], 'zstd'],
    [[0x04, 0x22, 0x4d, 0x18, 0x64], 'lz4'],
    [[0x50, 0x4b, 0x03, 0x04, 0x14], 'zip'],
    [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0x00], '7z'],
    ['BZh9 is how a bzip2 file starts\n', null],
    ['PK is a word\n', null],
    [[0x1f, 0x8b, 0x08], null],
    [[0xfd, 0x37], null],
  ];
  for (const [head, want] of cases) assert.equal(otherArchive(Buffer.from(head as never))?.name ?? null, want, String(head));
});

test('sniffGunzip refuses another compressed format before yielding anything, saying how to decompress it', async () => {
  const xz = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6, 0xb4, 0x46]);
  const out: Buffer[] = [];
  await assert.rejects(
    (async () => {
      for await (const c of sniffGunzip(Readable.from([xz.subarray(0, 3), xz.subarray(3)]))) out.push(c);
    })(),
    (e: AppError) => e.code === 'COLLECT_COMPRESSED_UNSUPPORTED' && /xz-compressed.*xz -dc/.test(e.message),
  );
  assert.equal(out.length, 0);
});

test('undecided: text is decided at its first byte; a head that could begin gzip or an archive waits for more', () => {
  assert.equal(undecided(Buffer.from('<')), false);
  assert.equal(undecided(Buffer.from('BZh9 and more text')), false);
  assert.equal(undecided(Buffer.alloc(0)), true);
  assert.equal(undecided(Buffer.from([0x1f])), true);
  assert.equal(undecided(Buffer.from('BZh9')), true);
  assert.equal(undecided(Buffer.from([0xfd, 0x37, 0x7a])), true);
  assert.equal(undecided(Buffer.from([0x1f, 0x8b])), false);
});
