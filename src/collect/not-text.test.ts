/** The content check: a binary start is refused with where and what; text in its usual shapes passes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { checkedText, notTextIn, notTextRefused } from './not-text.js';

/** Bytes that look random but are the same every run. */
function noise(n: number): Buffer {
  const b = Buffer.alloc(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** One login record as wtmp holds them (struct utmp, 384 bytes): a type, a pid, and fixed fields padded with NULs. */
function utmpRecord(user: string): Buffer {
  const r = Buffer.alloc(384);
  r.writeInt32LE(7, 0);
  r.writeInt32LE(4242, 4);
  r.write('pts/0', 8);
  r.write(user, 44);
  r.write('203.0.113.9', 76);
  return r;
}

test('random bytes and a wtmp record are not text: the first offending byte, its offset and the bytes from there are named', () => {
  const random = notTextIn(noise(8192), 0);
  assert.ok(random !== null);
  assert.ok(random.controlShare > 0.05, String(random.controlShare));
  assert.equal(random.utf16, undefined);
  const wtmp = notTextIn(Buffer.concat([utmpRecord('root'), utmpRecord('alice')]), 0);
  assert.ok(wtmp !== null);
  assert.equal(wtmp.offset, 0, 'its type, 7, is a control byte');
  assert.equal(wtmp.bytes.slice(0, 17), '07 00 00 00 92 10', 'the type, then the pid (4242) little-endian');
});

test('ANSI colours, tabs, form feeds, UTF-8 and Latin-1 are text; a stray control byte in 8 KiB is too', () => {
  const ansi = Buffer.from('\x1b[31mERROR\x1b[0m\tdisk full\f\v\r\n'.repeat(300));
  assert.equal(notTextIn(ansi, 0), null);
  assert.equal(notTextIn(Buffer.from('café — résumé 日本語\n'.repeat(300)), 0), null);
  assert.equal(notTextIn(Buffer.from('caf\xe9 cr\xe8me br\xfbl\xe9e\n'.repeat(300), 'latin1'), 0), null);
  const oneBell = Buffer.from('x'.repeat(4000) + '\x07' + 'y'.repeat(4000));
  assert.equal(notTextIn(oneBell, 0), null);
  // a short input is measured as if 256 bytes long: one control byte in a 17-byte line is not enough, three NULs are
  assert.equal(notTextIn(Buffer.from('\x1fnot gzip\nsecond\n'), 0), null);
  assert.ok(notTextIn(Buffer.from('ab\0cd\0ef\0gh'), 0) !== null);
  // DEL counts as a control byte: a tenth of them is not text
  assert.ok(notTextIn(Buffer.from('abcdefghi\x7f'.repeat(800)), 0) !== null);
});

test('UTF-16 is told apart (a byte order mark, or NULs at every other byte) so the refusal says how to convert it', () => {
  const le = notTextIn(Buffer.from('\ufeffhello world\r\n'.repeat(200), 'utf16le'), 0);
  assert.equal(le?.utf16, 'LE');
  const be = Buffer.from('no mark here\n'.repeat(200), 'utf16le').swap16();
  // big-endian ASCII starts with a NUL: judged from byte 1, after it, as a reader skipping leading NULs does
  assert.equal(notTextIn(be.subarray(1), 1)?.utf16, 'BE');
  const e = notTextRefused('/x/app.log', le!, '/x/app.log');
  assert.equal(e.code, 'COLLECT_NOT_TEXT');
  assert.equal(e.kind, 'bad_request');
  assert.match(e.message, /^\/x\/app\.log is not text: byte 3 is 0x00 .*looks like UTF-16LE text: convert it to UTF-8 \(e\.g\. 'iconv -f UTF-16LE -t UTF-8 \/x\/app\.log \| nml ingest'\); nothing of it was stored$/);
});

test('a stream: leading NULs (a log after copytruncate) are skipped before judging; binary after them is refused before any chunk is passed', async () => {
  const text = Buffer.from('Jan  1 00:00:00 host sshd[1]: accepted\n'.repeat(50));
  const chunks = [Buffer.alloc(70_000), Buffer.alloc(5), text];
  const passed: Buffer[] = [];
  for await (const c of checkedText(Readable.from(chunks), (v) => notTextRefused('s', v))) passed.push(c);
  assert.deepEqual(Buffer.concat(passed), Buffer.concat(chunks), 'every byte passed on, in order');
  const binary = [Buffer.alloc(1000), noise(9000)];
  const got: Buffer[] = [];
  await assert.rejects(
    (async () => {
      for await (const c of checkedText(Readable.from(binary), (v) => notTextRefused('the input', v))) got.push(c);
    })(),
    (e: Error & { code?: string }) => e.code === 'COLLECT_NOT_TEXT' && /the 8192 bytes after its 1000 leading NUL bytes/.test(e.message),
  );
  assert.equal(got.length, 0, 'nothing passed before the refusal');
});

test('a stream: a slow writer\'s first short line is judged on its own, not held for 8 KiB', async () => {
  let more: () => void = () => undefined;
  const later = new Promise<void>((r) => (more = r));
  async function* slow(): AsyncGenerator<Buffer> {
    yield Buffer.from('first line\n');
    await later;
    yield Buffer.from('second line\n');
  }
  const it = checkedText(slow(), (v) => notTextRefused('s', v));
  assert.equal(String((await it.next()).value), 'first line\n');
  more();
  assert.equal(String((await it.next()).value), 'second line\n');
});
