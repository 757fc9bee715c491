import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TYPED_MARK } from '../../store/index.js';
import { compileQuery } from './compile.js';
import { candidateFts } from './plan.js';

/** fastFts with the invisible typed-term mark shown as `§`. */
function fast(query: string): string | null {
  const f = compileQuery(query).fastFts;
  return f === null ? null : f.replaceAll(TYPED_MARK, '§');
}

test('term-only queries compile to one exact FTS expression', () => {
  assert.equal(fast('sshd'), '"sshd"');
  assert.equal(fast('Failed sshd'), '"failed" AND "sshd"');
  assert.equal(fast('a b OR c'), '"a" AND ("b" OR "c")');
  assert.equal(fast('(a OR b) (c OR d)'), '("a" OR "b") AND ("c" OR "d")');
  assert.equal(fast('a -b -c'), '"a" NOT ("b" OR "c")');
  assert.equal(fast('a NOT (b c)'), '"a" NOT ("b" AND "c")');
  assert.equal(fast('NOT NOT a'), '"a"');
  assert.equal(fast('a (b -c)'), '("a" AND "b") NOT "c"');
  assert.equal(fast('a OR (b -c)'), '"a" OR ("b" NOT "c")');
  assert.equal(fast('-(a -b)'), null);
  assert.equal(fast('x -(a -b)'), '"x" NOT ("a" NOT "b")');
  assert.equal(fast('auth*'), '"auth"*');
  assert.equal(fast('a a'), '"a"');
});

test('typed fields and entities', () => {
  assert.equal(fast('host:web-01 app:sshd'), '"§host_web_h01" AND "§app_sshd"');
  assert.equal(fast('10.1.0.0/16'), '"§ip4_0a01"*');
  assert.equal(fast('ip:10.1.0.0/18'), '"§ip4_0a010"* OR "§ip4_0a011"* OR "§ip4_0a012"* OR "§ip4_0a013"*');
  assert.equal(fast('severity:<=2 sshd'), '("§sev_0" OR "§sev_1" OR "§sev_2") AND "sshd"');
  assert.equal(fast('evil.example.com OR 10.0.0.5'), '"§dom_evil_dexample_dcom" OR "§ip4_0a000005"');
  assert.equal(fast('format:raw -host:a'), '"§fmt_raw" NOT "§host_a"');
});

test('user quotes are doubled inside FTS strings', () => {
  assert.equal(fast('user:"o\\"brien"'), '"§user_o_x22_brien"');
});

test('letters SQLite splits (newer than its Unicode 6.1 tables) never reach FTS5 inside one quoted term', () => {
  assert.equal(fast('host:x\u19b0y'), '"§host_x" AND "y"');
  assert.deepEqual(compileQuery('x\u19b0y').root, { op: 'phrase', tokens: ['x', 'y'], prefix: false, candidates: '"x" AND "y"' });
});

test('pure negations stay a complement for the leaf', () => {
  assert.deepEqual(compileQuery('-foo'), { root: { op: 'not', arg: { op: 'fts', expr: '"foo"' } }, fastFts: null });
  assert.deepEqual(compileQuery('NOT a NOT b'), { root: { op: 'not', arg: { op: 'fts', expr: '"a" OR "b"' } }, fastFts: null });
  // a OR ¬b = ¬(b NOT a)
  assert.deepEqual(compileQuery('a OR -b'), { root: { op: 'not', arg: { op: 'fts', expr: '"b" NOT "a"' } }, fastFts: null });
});

test('the empty query is all', () => {
  assert.deepEqual(compileQuery(''), { root: { op: 'all' }, fastFts: null });
});

test('phrases and substrings keep their term siblings together in one fts node', () => {
  assert.deepEqual(compileQuery('"failed password" sshd -root'), {
    root: {
      op: 'and',
      args: [
        { op: 'fts', expr: '"sshd" NOT "root"' },
        { op: 'phrase', tokens: ['failed', 'password'], prefix: false, candidates: '"failed" AND "password"' },
      ],
    },
    fastFts: null,
  });
  assert.deepEqual(compileQuery('web-0* OR a OR b'), {
    root: {
      op: 'or',
      args: [
        { op: 'fts', expr: '"a" OR "b"' },
        { op: 'phrase', tokens: ['web', '0'], prefix: true, candidates: '"web" AND "0"*', whole: true },
      ],
    },
    fastFts: null,
  });
  assert.deepEqual(compileQuery('-web-01').root, {
    op: 'not',
    arg: { op: 'phrase', tokens: ['web', '01'], prefix: false, candidates: '"web" AND "01"', whole: true },
  });
});

test('substring candidates: inner words exact, the last a prefix, the first free', () => {
  const cand = (q: string): string | null => {
    const root = compileQuery(q).root;
    assert.equal(root.op, 'substr');
    return root.op === 'substr' ? root.candidates : null;
  };
  assert.equal(cand('sub:192.168'), '"168"*');
  assert.equal(cand('sub:192'), null);
  assert.equal(cand('sub:"Accepted password for root"'), '"password" AND "for" AND "root"*');
  assert.equal(cand('sub:" from 10.0.0"'), '"from" AND "10" AND "0" AND "0"*');
  assert.equal(cand('sub:"user=bob "'), '"bob"');
  assert.equal(cand('sub:"café au lait"'), '"au" AND "lait"*');
  assert.equal(cand('sub:"x naïve y"'), '"y"*');
  assert.equal(cand('sub:"::"'), null);
});

test('candidateFts narrows mixed plans where the index can', () => {
  const c = (q: string): string | null => candidateFts(compileQuery(q).root);
  assert.equal(c('sshd "failed password"'), '"sshd" AND ("failed" AND "password")');
  assert.equal(c('"failed password" -root'), '("failed" AND "password") NOT "root"');
  assert.equal(c('sub:x -"a b"'), null);
  assert.equal(c('sub:abc OR sshd'), null);
  assert.equal(c('sub:".abc" OR sshd'), '"sshd" OR "abc"*');
  assert.equal(c('-foo'), null);
});

test("words an object inherits (constructor, toString, __proto__) are words; severity:constructor is a clear error", () => {
  assert.equal(fast('constructor'), '"constructor"');
  assert.equal(fast('a toString b'), '"a" AND "tostring" AND "b"');
  assert.equal(fast('valueOf'), '"valueof"');
  assert.throws(() => compileQuery('severity:constructor'), (e: Error & { code?: string }) => e.code === 'QUERY_SYNTAX' || /severity/.test(e.message));
  assert.throws(() => compileQuery('__proto__:x'), /unknown field '__proto__'/);
});

test('domain:example.* keeps its dot: examplesite.com is not under it; example.com. is example.com', () => {
  assert.equal(fast('domain:example.*'), '"§dom_example_d"*');
  assert.equal(fast('domain:example.com.'), fast('domain:example.com'));
  // unfielded too: a name pasted from a DNS log, with its root dot
  assert.equal(fast('example.com.'), fast('example.com'));
  assert.equal(fast('mail.example.com.'), '"§dom_mail_dexample_dcom"');
});

test('domain: of a name the parser does not index as a domain is searched as its text (a term found nothing)', () => {
  assert.equal(fast('domain:c2.example.zzz'), fast('sub:"c2.example.zzz"'));
  assert.equal(compileQuery('domain:c2.example.zzz').root.op, 'substr');
  assert.equal(compileQuery('domain:setup.py').root.op, 'substr', 'a file name is not indexed as a domain either');
  // endings the parser takes (the demo's C2 is a .rest) stay typed terms
  assert.match(fast('domain:img-stat-relay.rest') ?? '', /^"§dom_/);
  assert.match(fast('domain:evil.example.com') ?? '', /^"§dom_/);
  assert.equal(fast('domain:example.*'), '"§dom_example_d"*', 'a prefix is a term as before');
});
