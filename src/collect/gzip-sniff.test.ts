import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { isZlibError, sniffGunzip, startsGzip } from './gzip-sniff.js';

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
