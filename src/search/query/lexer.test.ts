import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lex } from './lexer.js';

test('words, operators and parentheses with 1-based columns', () => {
  assert.deepEqual(lex('a OR (b -c)'), [
    { type: 'word', text: 'a', quoted: false, column: 1 },
    { type: 'or', column: 3 },
    { type: 'lparen', column: 6 },
    { type: 'word', text: 'b', quoted: false, column: 7 },
    { type: 'minus', column: 9 },
    { type: 'word', text: 'c', quoted: false, column: 10 },
    { type: 'rparen', column: 11 },
  ]);
});

test('operators are uppercase only; a hyphen inside a word is text', () => {
  assert.deepEqual(lex('or NOT web-01').map((t) => t.type), ['word', 'not', 'word']);
  assert.equal((lex('web-01')[0] as { text: string }).text, 'web-01');
});

test('quoted phrases unescape \\" and \\\\', () => {
  assert.deepEqual(lex('"say \\"hi\\" c:\\\\x"'), [{ type: 'word', text: 'say "hi" c:\\x', quoted: true, column: 1 }]);
});

test('columns count code points, not UTF-16 units', () => {
  assert.equal(lex('😀 a')[1]!.column, 3);
});

test('field tokens, quoted or not, with the value column', () => {
  assert.deepEqual(lex('host:web-01'), [
    { type: 'field', name: 'host', value: 'web-01', quoted: false, column: 1, valueColumn: 6, raw: 'host:web-01' },
  ]);
  assert.deepEqual(lex(' sub:"a b"'), [
    { type: 'field', name: 'sub', value: 'a b', quoted: true, column: 2, valueColumn: 6, raw: 'sub:"a b"' },
  ]);
  assert.equal((lex('error:')[0] as { value: unknown }).value, null);
});

test('urls and ipv6 are not fields', () => {
  assert.equal(lex('http://x.org')[0]!.type, 'word');
  assert.equal(lex('fe80::1')[0]!.type, 'word');
  assert.equal(lex('x-forwarded-for:1.2.3.4')[0]!.type, 'word');
});

test('ip: and sub: take a value that starts with a colon or a slash; other names stay text', () => {
  for (const [q, value] of [['ip:::1', '::1'], ['IP:::ffff:10.0.0.5', '::ffff:10.0.0.5'], ['ip:::/0', '::/0'], ['sub::443', ':443'], ['sub://evil', '//evil']]) {
    const [t] = lex(q!);
    assert.equal(t!.type, 'field', q);
    assert.equal((t as { value: string }).value, value, q);
  }
  for (const q of ['http://x.org', 'dead::beef', 'host::1', 'user://x']) assert.equal(lex(q)[0]!.type, 'word', q);
});
