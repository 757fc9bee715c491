import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineSplitter } from './line-splitter.js';
import { isUtf8 } from 'node:buffer';
import { LineLog } from './testing.js';
import { charBoundary } from './utf8.js';

function split(chunks: Buffer[], maxLineBytes?: number): string[] {
  const log = new LineLog();
  const splitter = new LineSplitter(log, maxLineBytes);
  for (const c of chunks) splitter.push(c);
  splitter.end();
  return log.events;
}

/**
 * The rules written as plainly as possible: split the whole stream on LF, decode each line alone, an
 * oversize head to whole characters; a line whose bytes are not UTF-8 is said to be.
 */
function reference(stream: Buffer, max: number): string[] {
  const out: string[] = [];
  let from = 0;
  while (from < stream.length) {
    const lf = stream.indexOf(10, from);
    const end = lf === -1 ? stream.length : lf;
    const notUtf8 = (to: number): string => (isUtf8(stream.subarray(from, to)) ? '' : ' (not utf-8)');
    if (end - from > max) {
      const head = charBoundary(stream, from, from + max);
      out.push(`oversize${notUtf8(head)}:${stream.toString('utf8', from, head)}`);
    } else {
      const cr = end > from && stream[end - 1] === 13 ? end - 1 : end;
      out.push(`line${notUtf8(cr)}:${stream.toString('utf8', from, cr)}`);
    }
    if (lf === -1) break;
    from = lf + 1;
  }
  return out;
}

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

test('splits on lf, strips cr, keeps a last line without lf', () => {
  assert.deepEqual(split([b('a\r\nb\n\nc')]), ['line:a', 'line:b', 'line:', 'line:c']);
});

test('a line across chunks is joined', () => {
  assert.deepEqual(split([b('ab'), b('c\r'), b('\nd')]), ['line:abc', 'line:d']);
});

test('a line over the limit keeps its head', () => {
  assert.deepEqual(split([b('abcdefgh\nxy\n')], 4), ['oversize:abcd', 'line:xy']);
  assert.deepEqual(split([b('abc'), b('defg'), b('h'), b('\nxy')], 4), ['oversize:abcd', 'line:xy']);
});

test('utf-8 split across chunks decodes whole', () => {
  const euro = Buffer.from('€\n', 'utf8');
  assert.deepEqual(split([euro.subarray(0, 1), euro.subarray(1)]), ['line:€']);
});

test('a line whose bytes are not utf-8 is said to be, one that holds a real U+FFFD is not', () => {
  const latin1 = Buffer.from('caf\xe9 ok\n', 'latin1');
  const replacement = Buffer.from('a \ufffd b\n', 'utf8');
  assert.deepEqual(split([Buffer.concat([Buffer.from('plain\n'), latin1, replacement])]), ['line:plain', 'line (not utf-8):caf\ufffd ok', 'line:a \ufffd b']);
  // held across chunks, and the last line without LF
  assert.deepEqual(split([b('x\xff'), b('y\nz\xfe')]), ['line (not utf-8):x\ufffdy', 'line (not utf-8):z\ufffd']);
});

test('an oversize head is cut to whole characters, not to a U+FFFD the sender never sent', () => {
  const euros = Buffer.from('€€€\n', 'utf8'); // 9 bytes before the LF
  assert.deepEqual(split([euros], 4), ['oversize:€']);
  assert.deepEqual(split([euros.subarray(0, 2), euros.subarray(2)], 5), ['oversize:€']);
  assert.deepEqual(split([Buffer.from('\xff\xff\xff\xff\xff\n', 'latin1')], 4), ['oversize (not utf-8):\ufffd\ufffd\ufffd\ufffd']);
});

const token = fc.oneof(
  fc.constantFrom('\n', '\r\n', '\r', 'abc', '\xff', '\xe2\x82', '\xe2\x82\xac', 'line of text '),
  fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a).toString('latin1')),
);

test('fuzz: any chunking gives the plain per-line result', () => {
  fc.assert(
    fc.property(fc.array(token, { maxLength: 40 }), fc.array(fc.nat({ max: 40 }), { maxLength: 20 }), fc.constantFrom(5, 17, 4096), (tokens, cuts, max) => {
      const stream = b(tokens.join(''));
      const chunks: Buffer[] = [];
      let at = 0;
      for (const c of cuts) {
        const next = Math.min(stream.length, at + c);
        chunks.push(stream.subarray(at, next));
        at = next;
      }
      chunks.push(stream.subarray(at));
      assert.deepEqual(split(chunks, max), reference(stream, max));
    }),
    { numRuns: 500 },
  );
});
