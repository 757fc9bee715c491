import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TcpFramer } from './tcp-framer.js';
import { LineLog } from './testing.js';

function frame(chunks: Array<string | Buffer>, maxLineBytes?: number): string[] {
  const log = new LineLog();
  const framer = new TcpFramer(log, maxLineBytes);
  for (const c of chunks) framer.push(typeof c === 'string' ? Buffer.from(c, 'latin1') : c);
  framer.end();
  return log.events;
}

test('lf, crlf and nul terminate a line', () => {
  assert.deepEqual(frame(['<13>a\n<13>b\r\n<13>c\0<13>d\n']), ['line:<13>a', 'line:<13>b', 'line:<13>c', 'line:<13>d']);
});

test('octet counting takes exactly the counted bytes, inner newlines included', () => {
  assert.deepEqual(frame(['5 <1>hi11 <1>hi\nworld6 <1>abc']), ['line:<1>hi', 'line:<1>hi\nworld', 'line:<1>abc']);
});

test('octet counted payload loses a trailing terminator', () => {
  assert.deepEqual(frame(['6 <1>hi\n7 <1>hi\r\n']), ['line:<1>hi', 'line:<1>hi']);
});

test('mixed framings on one stream', () => {
  const events = frame(['5 <13>a<14>b\n4 <1>c<15>d\r\n9 <16>e\nf\ng<17>h\0']);
  assert.deepEqual(events, ['line:<13>a', 'line:<14>b', 'line:<1>c', 'line:<15>d', 'line:<16>e\nf\ng', 'line:<17>h']);
});

test('digits without a space are an ordinary line', () => {
  assert.deepEqual(frame(['2024-01-01 boot\n123\n0 x\n']), ['line:2024-01-01 boot', 'line:123', 'line:0 x']);
});

test('an absurd count (ten digits or more) is no count: the frame is read as a line, no error counted', () => {
  assert.deepEqual(frame(['99999999999 x\n<13>next\n']), ['line:99999999999 x', 'line:<13>next']);
  assert.deepEqual(frame(['123456789012345678901234 x\n']), ['line:123456789012345678901234 x']);
  assert.deepEqual(frame(['12345678901234567890 x\n']), ['line:12345678901234567890 x']);
  // even before a `<`: no syslog message is a gigabyte long
  assert.deepEqual(frame(['1700000000 <13>x\n']), ['line:1700000000 <13>x']);
});

test('an oversize octet count before a syslog message is trusted: the payload keeps its head, without the count, and the next frame is read', () => {
  assert.deepEqual(frame(['20 <AAAAAAAAAAAAAAAAAAA7 <13>one7 <13>two'], 10), ['oversize:<AAAAAAAAA', 'line:<13>one', 'line:<13>two']);
  assert.deepEqual(frame(['11 ', '<bcdefghij', 'k', '5 <1>ok'], 10), ['oversize:<bcdefghij', 'line:<1>ok']);
  assert.deepEqual(frame(['11', ' ', '<', 'bcdefghijk5 <1>ok'], 10), ['oversize:<bcdefghij', 'line:<1>ok']);
  // no LF or NUL ever comes: a count of a frame is all that marks its end
  assert.deepEqual(frame(['13 <bcd\nefgh\0ijk5 <1>ok'], 6), ['oversize:<bcd\ne', 'line:<1>ok']);
});

test('digits and a space before anything but a syslog message, beyond the limit, are the start of a line, no error counted', () => {
  // a plain line that starts with a date: trusting "20241201" as a count would skip 20 MB of the lines after it
  assert.deepEqual(frame(['20241201 10:00:00 app started\nnext\n'], 1024), ['line:20241201 10:00:00 app started', 'line:next']);
  assert.deepEqual(frame(['20241201', ' ', '1', '0:00 up\nnext\n'], 1024), ['line:20241201 10:00 up', 'line:next']);
});

test('a plain line that starts with a number and a space is a line, whatever the number: nothing split, merged or lost', () => {
  const lines = ['3 workers started', 'Jun  1 10:00:01 web1 app: request ok', '64 bytes from 10.0.0.1: icmp_seq=1 ttl=64', 'Jun  1 10:00:02 web1 app: second', '1 ', '5 x'];
  const stream = lines.join('\n') + '\n';
  assert.deepEqual(frame([stream]), lines.map((l) => `line:${l}`));
  // the digits, the space and the first byte after them in separate chunks
  assert.deepEqual(frame(['3', ' ', 'w', 'orkers started\n64 ', 'bytes\n']), ['line:3 workers started', 'line:64 bytes']);
  // at the limit: the held digits and space count towards the line's length
  assert.deepEqual(frame(['12 abcdefgh\nxy\n'], 6), ['oversize:12 abc', 'line:xy']);
});

test('a line that starts with epoch milliseconds is stored whole, no frame error counted', () => {
  assert.deepEqual(frame(['1700000000123 GET /index.html\n<13>next\n']), ['line:1700000000123 GET /index.html', 'line:<13>next']);
});

test('an octet count still frames a syslog message after plain lines that start with numbers', () => {
  assert.deepEqual(frame(['3 up\n9 <13>hello<13>lf\n6 <13>x']), ['line:3 up', 'line:<13>hello', 'line:<13>lf', 'partial:<13>x']);
});

test('a disconnect within an oversize payload: a head not yet complete is partial, one already stored is not stored again', () => {
  assert.deepEqual(frame(['20 <AAA'], 10), ['partial:<AAA']);
  assert.deepEqual(frame(['20 '], 10), ['frame_error']);
  assert.deepEqual(frame(['20 <AAAAAAAAAAAA'], 10), ['oversize:<AAAAAAAAA']);
});

test('an oversize octet-counted frame followed by 1000 frames: all 1000 are read, in any chunking', () => {
  const max = 64;
  const big = '<' + 'X'.repeat(4999);
  const frames: string[] = [];
  for (let i = 0; i < 1000; i++) frames.push(`<13>msg ${i}`);
  const stream = Buffer.from(`${big.length} ${big}` + frames.map((m) => `${Buffer.byteLength(m)} ${m}`).join(''), 'latin1');
  const expected = [`oversize:<${'X'.repeat(max - 1)}`, ...frames.map((m) => `line:${m}`)];
  assert.deepEqual(frame([stream], max), expected);
  fc.assert(
    fc.property(fc.array(fc.nat({ max: 6000 }), { maxLength: 30 }), (cuts) => {
      const at = [...new Set(cuts.map((c) => Math.min(c, stream.length)))].sort((x, y) => x - y);
      const chunks: Buffer[] = [];
      let from = 0;
      for (const c of at) {
        chunks.push(stream.subarray(from, c));
        from = c;
      }
      chunks.push(stream.subarray(from));
      assert.deepEqual(frame(chunks, max), expected);
    }),
    { numRuns: 200 },
  );
});

test('a count of ten digits or more is no message length: read as a line, no error counted', () => {
  assert.deepEqual(frame(['1700000000 host app: started\n<13>next\n'], 1024), ['line:1700000000 host app: started', 'line:<13>next']);
});

test('a partial line cut by a disconnect loses the CR its LF never followed', () => {
  assert.deepEqual(frame(['<13>half\r']), ['partial:<13>half']);
  assert.deepEqual(frame(['<13>ha', 'lf\r']), ['partial:<13>half']);
});

test('a 1 MiB line is stored whole', () => {
  const body = 'x'.repeat(1024 * 1024);
  const events = frame([`${body}\n`, '<13>after\n']);
  assert.equal(events.length, 2);
  assert.equal(events[0], `line:${body}`);
  assert.equal(events[1], 'line:<13>after');
});

test('a line over the limit keeps its head and skips to the next terminator', () => {
  assert.deepEqual(frame(['abcdefgh\nxy\n'], 4), ['oversize:abcd', 'line:xy']);
  assert.deepEqual(frame(['abc', 'defgh', 'ij\nxy\n'], 4), ['oversize:abcd', 'line:xy']);
  assert.deepEqual(frame(['123456\nxy\n'], 4), ['oversize:1234', 'line:xy']);
});

test('invalid utf-8 is decoded with replacement characters, and the line said not to be utf-8', () => {
  const bytes = Buffer.from([0x61, 0xff, 0xc3, 0x0a, 0xe2, 0x82, 0x00]);
  assert.deepEqual(frame([bytes]), ['line (not utf-8):a\ufffd\ufffd', 'line (not utf-8):\ufffd']);
  // a real U+FFFD sent as UTF-8 is not a fault; an octet-counted Latin-1 payload is
  const latin1 = Buffer.from('<13>caf\xe9', 'latin1');
  assert.deepEqual(frame([Buffer.from('<13>\ufffd\n'), Buffer.from(`${latin1.length} `), latin1]), ['line:<13>\ufffd', 'line (not utf-8):<13>caf\ufffd']);
});

test('a frame cut mid-character keeps whole characters, not a U+FFFD the sender never sent', () => {
  const euros = Buffer.from('<13>€€€', 'utf8');
  assert.deepEqual(frame([euros.subarray(0, 9)]), ['partial:<13>€']);
  assert.deepEqual(frame([Buffer.concat([euros, Buffer.from('\n')])], 8), ['oversize:<13>€']);
});

test('a disconnect mid-frame stores the partial frame', () => {
  assert.deepEqual(frame(['<13>a\n<13>half']), ['line:<13>a', 'partial:<13>half']);
  assert.deepEqual(frame(['10 <1>abc']), ['partial:<1>abc']);
  assert.deepEqual(frame(['10 abc']), ['partial:10 abc']);
  assert.deepEqual(frame(['10 ']), ['frame_error']);
  assert.deepEqual(frame(['12']), ['partial:12']);
});

test('binary garbage never throws', () => {
  const garbage = Buffer.alloc(70_000);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) & 0xff;
  assert.doesNotThrow(() => frame([garbage, garbage], 100));
});

test('frames split at every byte give the same lines', () => {
  const stream = Buffer.from('5 <1>a<2>b\r\n12 <3>c\nd\ne\0<4>f\n9999999999 g\n2024 h\n<5>tail', 'latin1');
  const whole = frame([stream], 8);
  for (let i = 0; i <= stream.length; i++) {
    assert.deepEqual(frame([stream.subarray(0, i), stream.subarray(i)], 8), whole, `split at ${i}`);
  }
  const bytes = Array.from(stream, (b) => Buffer.from([b]));
  assert.deepEqual(frame(bytes, 8), whole);
});

const token = fc.oneof(
  fc.constantFrom('\n', '\r\n', '\0', ' ', '5 ', '12 ', '0 ', '99999999999 ', '<13>', 'abc', '\xff', '\xe2\x82'),
  fc.uint8Array({ maxLength: 24 }).map((a) => Buffer.from(a).toString('latin1')),
  fc.nat({ max: 40 }).map((n) => `${n} `),
);

/** `stream` cut into chunks of the given lengths, the rest in a last chunk. */
function cutAt(stream: Buffer, cuts: readonly number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  for (const c of cuts) {
    chunks.push(stream.subarray(at, Math.min(stream.length, at + c)));
    at = Math.min(stream.length, at + c);
  }
  chunks.push(stream.subarray(at));
  return chunks;
}

test('fuzz: any chunking of any stream gives the same lines as the whole stream', () => {
  fc.assert(
    fc.property(fc.array(token, { maxLength: 40 }), fc.array(fc.nat({ max: 30 }), { maxLength: 20 }), fc.constantFrom(6, 16, 1024), (tokens, cuts, max) => {
      const stream = Buffer.from(tokens.join(''), 'latin1');
      const chunks = cutAt(stream, cuts);
      assert.deepEqual(frame(chunks, max), frame([stream], max));
    }),
    { numRuns: 500 },
  );
});

/** A plain line, often one that starts with a number (a count, a PID, epoch seconds or milliseconds). */
const plainLine = fc
  .oneof(
    fc.tuple(fc.oneof(fc.nat({ max: 100_000 }), fc.bigInt({ min: 0n, max: 10n ** 15n })), fc.constantFrom(' ', '', '  ', '\t', '-'), fc.string({ maxLength: 30 })).map(([n, sep, rest]) => `${n}${sep}${rest}`),
    fc.string({ maxLength: 30 }),
  )
  // `<count> <` is an octet-counted frame by RFC 6587, the one ambiguity left
  .filter((l) => !/^[1-9][0-9]{0,8} </.test(l));

test('property: LF lines that do not start with `<count> <` round-trip exactly, in any chunking, with no error', () => {
  fc.assert(
    fc.property(fc.array(plainLine, { minLength: 1, maxLength: 30 }), fc.array(fc.nat({ max: 40 }), { maxLength: 20 }), (lines, cuts) => {
      const stream = Buffer.from(lines.join('\n') + '\n', 'latin1');
      const chunks = cutAt(stream, cuts);
      assert.deepEqual(frame(chunks), lines.map((l) => `line:${l}`));
    }),
    { numRuns: 500 },
  );
});
