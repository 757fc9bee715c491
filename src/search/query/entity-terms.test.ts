import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TYPED_MARK } from '../../store/index.js';
import { searchTerm } from '../../investigate/entity.js';
import { evidenceOf } from '../../investigate/investigator.js';
import { compileQuery } from './compile.js';

/** Every term of a term-only query is typed (no phrase to verify, no plain word). */
function typedOnly(query: string): boolean {
  const fts = compileQuery(query).fastFts;
  return fts !== null && [...fts.matchAll(/"((?:[^"]|"")*)"/g)].every((m) => m[1]!.startsWith(TYPED_MARK));
}

// Entity keys as the relation index stores them (investigate/entity.ts normalize). host and sig are searched as
// text by design (searchTerm quotes them), so they are not here.
const KEYS = [
  'ip:10.0.0.5', 'ip:::1', 'ip:::ffff:10.0.0.5', 'ip:2001:db8::1', 'ip:fe80::1', 'ip:::',
  'domain:example.com', 'domain:a.b.example.net', 'mac:00:1a:2b:3c:4d:5e', 'user:alice', 'user:john.doe@corp', 'port:443',
];

test('searchTerm of every typed entity compiles to its typed term, IPv6 starting with :: included', () => {
  for (const key of KEYS) assert.ok(typedOnly(searchTerm(key)), `${key} -> ${searchTerm(key)} -> ${JSON.stringify(compileQuery(searchTerm(key)).root)}`);
});

test('the evidence query of a pivot edge is the AND of two typed terms', () => {
  for (const a of KEYS) {
    for (const b of ['user:bob', 'ip:::1']) {
      const ev = evidenceOf(a, { kind: 'login', direction: 'out', other: b, first: 0, last: 1, count: 1 });
      assert.ok(typedOnly(ev.q), `${a} / ${b}: ${ev.q}`);
    }
  }
});
