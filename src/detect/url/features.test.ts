/** Golden vectors and fuzzing for the Bag-of-Bytes features. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FEATURE_DIM, SparseScratch, denseFeatures, hostEnd, normalizeUrl, partCounts, sparseFeatures, stripScheme } from './features.js';
import { explainUrl } from './explain.js';
import { hostOf } from './data.js';

const dense = (u: string | Uint8Array): Float32Array => {
  const out = new Float32Array(FEATURE_DIM);
  denseFeatures(u, out);
  return out;
};

test('hogehoge: 15 counts over 8 bins', () => {
  const c = partCounts(Buffer.from('hogehoge'));
  assert.equal(c.size, 8);
  assert.equal([...c.values()].reduce((a, b) => a + b, 0), 15);
  // bytes h o g e (0x68 0x6f 0x67 0x65) twice; straddles 0x86 (h→o), 0xf6 (o→g), 0x76 (g→e), 0x56 (e→h)
  assert.deepEqual(
    [...c.entries()].sort((a, b) => a[0] - b[0]),
    [
      [0x56, 1],
      [0x65, 2],
      [0x67, 2],
      [0x68, 2],
      [0x6f, 2],
      [0x76, 2],
      [0x86, 2],
      [0xf6, 2],
    ],
  );
});

test('host hogehoge: L2-normalized host bins, empty path all zero', () => {
  const f = dense('http://hogehoge');
  const norm = Math.sqrt(1 + 7 * 4);
  assert.ok(Math.abs(f[0x56]! - 1 / norm) < 1e-6);
  assert.ok(Math.abs(f[0x68]! - 2 / norm) < 1e-6);
  let ss = 0;
  for (let i = 0; i < 256; i++) ss += f[i]! ** 2;
  assert.ok(Math.abs(ss - 1) < 1e-5);
  for (let i = 256; i < 512; i++) assert.equal(f[i], 0);
});

test('the path keeps its query and starts at the first slash; the scheme never counts', () => {
  const a = dense('https://a.example/x?q=1');
  const b = dense('a.example/x?q=1');
  const c = dense('FTP://a.example/x?q=1');
  assert.deepEqual(a, b);
  assert.deepEqual(a, c);
  const path = partCounts(Buffer.from('/x?q=1'));
  let nz = 0;
  for (let i = 256; i < 512; i++) if (a[i]! > 0) nz++;
  assert.equal(nz, path.size);
  assert.equal(hostEnd('a.b?x'), 3);
  assert.equal(stripScheme(' "http://x.y/'), 'x.y/');
  assert.equal(stripScheme('mailto:x@y'), 'mailto:x@y');
  assert.equal(normalizeUrl('https://WWW.example.com/x', 'scheme+www'), 'example.com/x');
  assert.equal(normalizeUrl('www2.example.com', 'scheme+www'), 'example.com');
  assert.equal(normalizeUrl('https://www.example.com/x', 'scheme'), 'www.example.com/x');
});

test('raw bytes and strings agree on ASCII; invalid UTF-8 bytes are read as they are', () => {
  assert.deepEqual(dense(Buffer.from('http://a.b/c')), dense('http://a.b/c'));
  const f = dense(new Uint8Array([0x61, 0xff, 0xfe, 0x2f, 0xc3]));
  assert.ok(f[0xff]! > 0 && f[256 + 0xc3]! > 0);
});

test('the fast string path agrees with the UTF-8 bytes of the scheme-less URL', () => {
  fc.assert(
    fc.property(fc.oneof(fc.webUrl({ withQueryParameters: true }), fc.string({ unit: 'binary', maxLength: 80 })), (s) => {
      const stripped = stripScheme(s);
      // a URL whose scheme-less rest starts with a scheme again (`http://http://x`) is read further as bytes
      fc.pre(stripScheme(stripped) === stripped);
      assert.deepEqual(dense(s), dense(Buffer.from(stripped, 'utf8')));
    }),
    { numRuns: 300 },
  );
});

test('host and path as a browser splits them: scheme-relative //host, quotes then blanks, backslashes after http:', () => {
  const cases: [string, string, string][] = [
    // URL, host, path
    ['//evil.com/path', 'evil.com', '/path'],
    ['\\\\evil.com\\x', 'evil.com', '\\x'],
    ['"  https://a.com/x"', 'a.com', '/x"'],
    ["' \"http://a.com/x", 'a.com', '/x'],
    ['http:\\\\github.com\\', 'github.com', '\\'],
    ['HTTPS:/\\evil.com/login', 'evil.com', '/login'],
    ['http://evil.com\\@google.com/', 'evil.com', '\\@google.com/'],
    ['http:///evil.com/x', 'evil.com', '/x'],
    // not a special scheme: only `scheme://` is dropped
    ['mailto:x@y', 'mailto:x@y', ''],
    ['foo:\\\\a.b/c', 'foo:', '\\\\a.b/c'],
    ['/just/a/path', '', '/just/a/path'],
  ];
  for (const [url, host, path] of cases) {
    const s = stripScheme(url);
    assert.deepEqual([s.slice(0, hostEnd(s)), s.slice(hostEnd(s))], [host, path], url);
    const d = explainUrl(url, new Float32Array(FEATURE_DIM), 0);
    assert.deepEqual([url.slice(...d.host), url.slice(...d.path)], [host, path], `explanation spans of ${url}`);
    // the fast string path, the general one and raw bytes read the same
    assert.deepEqual(dense(url), dense(`${host}${path}`), url);
    assert.deepEqual(dense(Buffer.from(url)), dense(url), `bytes of ${url}`);
  }
  assert.equal(hostOf(stripScheme('http://Evil.com\\@google.com/')), 'evil.com');
  // ordinary URLs read as before
  assert.equal(stripScheme('https://a.example/x?q=1'), 'a.example/x?q=1');
  assert.equal(stripScheme(' "http://x.y/'), 'x.y/');
});

test('non-ASCII is read as UTF-8', () => {
  const f = dense('bücher.example/é');
  assert.ok(f[0xc3]! > 0 && f[0xbc]! > 0);
  assert.ok(f[256 + 0xa9]! > 0);
});

test('fuzz: any string or byte string gives 512 finite floats with parts of norm 0 or 1', () => {
  const sc = new SparseScratch();
  const check = (u: string | Uint8Array): void => {
    const f = new Float32Array(FEATURE_DIM);
    denseFeatures(u, f, 0, sc);
    for (const part of [f.subarray(0, 256), f.subarray(256)]) {
      let ss = 0;
      for (const v of part) {
        assert.ok(Number.isFinite(v) && v >= 0);
        ss += v * v;
      }
      assert.ok(ss === 0 || Math.abs(ss - 1) < 1e-4, `norm² ${ss}`);
    }
  };
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => check(s)), { numRuns: 400 });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => check(b)), { numRuns: 400 });
  fc.assert(fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (s) => check(s)), { numRuns: 200 });
  for (const u of ['', '://', 'http://', '%E3%81%82%2F..%2F', 'http://xn--bcher-kva.example/пример', '\ud800\udfff\ud800', 'a'.repeat(100_000), `http://${'é'.repeat(50_000)}`]) check(u);
  sparseFeatures('x'.repeat(100_000), sc);
  assert.ok(sc.nnz <= FEATURE_DIM);
});
