import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { withoutColourCodes } from './ansi.js';

test('ansi: colour codes go, everything else stays; a line without ESC comes back as is', () => {
  const plain = 'Accepted password for bob from 203.0.113.9 port 22 ssh2';
  assert.equal(withoutColourCodes(plain), plain);
  assert.equal(withoutColourCodes('\x1b[32msshd\x1b[0m[4242]: hi \x1b[1;31mERR\x1b[m'), 'sshd[4242]: hi ERR');
  // not CSI as the tokenizer reads it: kept (a lone ESC, an unfinished code, a private mode, another ESC sequence)
  assert.equal(withoutColourCodes('lone \x1b x \x1b[12;'), 'lone \x1b x \x1b[12;');
  assert.equal(withoutColourCodes('\x1b[?25l \x1b(B'), '\x1b[?25l \x1b(B');
  // UTF-16 as received, lone surrogates included
  assert.equal(withoutColourCodes('\ud800\x1b[0m\udc00 😀 \u00e9'), '\ud800\udc00 😀 \u00e9');
});

test('ansi: codes that removing codes joins go too, in one pass however deep a hostile line nests them', () => {
  assert.equal(withoutColourCodes('a\x1b\x1b[1m[2mb'), 'ab');
  assert.equal(withoutColourCodes('\x1b\x1b[1m[\x1b[0m2mx'), 'x');
  const depth = 1 << 17;
  assert.equal(withoutColourCodes('\x1b'.repeat(depth) + '[1m'.repeat(depth) + ' 10.0.0.3'), ' 10.0.0.3');
  assert.equal(withoutColourCodes('\x1b['.repeat(depth) + 'm'), '\x1b['.repeat(depth - 1));
});

test('ansi: codes inserted anywhere into a line without ESC all go, leaving the line', () => {
  const code = fc.constantFrom('\x1b[0m', '\x1b[m', '\x1b[32m', '\x1b[1;31m', '\x1b[38;5;208m', '\x1b[K');
  fc.assert(
    fc.property(fc.string({ maxLength: 80 }).filter((s) => !s.includes('\x1b')), fc.array(fc.tuple(fc.nat(), code), { maxLength: 8 }), (text, inserts) => {
      let coloured = text;
      for (const [at, c] of inserts) {
        const i = at % (coloured.length + 1);
        coloured = coloured.slice(0, i) + c + coloured.slice(i);
      }
      assert.equal(withoutColourCodes(coloured), text);
    }),
    { numRuns: 2000 },
  );
});
