import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { extractEntities } from '../index.js';

const urls = (text: string) => extractEntities(text).flatMap((e) => (e.kind === 'url' ? [e.value] : []));

/** The trimming as it was: each trailing `)` counted the parentheses of the whole URL again (quadratic). */
function trimUrlReference(url: string): string {
  const count = (s: string, ch: string) => s.split(ch).length - 1;
  let end = url.length;
  while (end > 0) {
    const ch = url[end - 1]!;
    if ('.,;:!?]}'.includes(ch)) end--;
    else if (ch === ')' && count(url.slice(0, end), '(') < count(url.slice(0, end), ')')) end--;
    else break;
  }
  return url.slice(0, end);
}

test('url: a trailing `)` stays only when it closes a `(` of the URL', () => {
  assert.deepEqual(urls('see (http://a.example/x_(y)) and http://b.example/).'), ['http://a.example/x_(y)', 'http://b.example/']);
  assert.deepEqual(urls('http://a.example/((x)).),)'), ['http://a.example/((x))']);
  assert.deepEqual(urls('http://a.example/x)(.'), ['http://a.example/x)(']);
});

test('url: trimming agrees with the former per-`)` recount', () => {
  const tail = fc.array(fc.constantFrom('(', ')', '.', ',', ']', 'x', '!'), { maxLength: 30 }).map((a) => a.join(''));
  fc.assert(
    fc.property(tail, (t) => {
      const url = 'http://a.example/' + t;
      const want = trimUrlReference(url);
      assert.deepEqual(urls(url + ' end'), want.length > 'http://'.length ? [want] : []);
    }),
    { numRuns: 2000 },
  );
});

test('url: a MiB of trailing `)` is trimmed in one pass (the recount took over an hour)', () => {
  const line = 'see http://a.example/' + ')'.repeat(1 << 20);
  assert.deepEqual(urls(line), ['http://a.example/']);
  assert.deepEqual(urls('see http://a.example/' + '('.repeat(1 << 19) + ')'.repeat(1 << 20)), [
    'http://a.example/' + '('.repeat(1 << 19) + ')'.repeat(1 << 19),
  ]);
});

test('url: a scheme after punctuation is found too (the keyword scan starts no word there)', () => {
  // until session 34 these held no url entity: the word scan's keyword flags, which gated the URL pattern, read no `http` in them
  assert.deepEqual(urls('see ..http://evil.example/a and -https://b.example/x'), ['http://evil.example/a', 'https://b.example/x']);
  assert.deepEqual(urls('.http://://'), ['http://://']);
});
