import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isAppError } from '../../core/index.js';
import { textTokens } from '../../store/index.js';
import { compileNode, compileQuery } from './compile.js';
import { parseQuery } from './parser.js';
import { candidateFts } from './plan.js';
import { evalFts, evalNode, evalPred, ftsExprs, openFtsTable } from './test-support.js';

const QUERY_PIECES = [
  'OR', 'AND', 'NOT', '-', '(', ')', '"', '*', ':', '\\', 'a', 'web-01', 'host:', 'host:x', 'sub:', 'sub:"a b"',
  'ip:', '10.0.0.1', '10.0.0.0/8', '::1', 'severity:<=3', 'sev:x', 'port:22', 'mac:00:11:22:33:44:55', 'a@b.cd',
  'x.example.com', 'fo*', 'http://x', 'hots:1', 'ab"c', '""', 'İ', '😀', '\u19b0x', '\ue000sev_1', "'", '``',
];
const queryish = fc
  .array(fc.tuple(fc.constantFrom(...QUERY_PIECES), fc.constantFrom('', ' ', '  ')), { maxLength: 14 })
  .map((parts) => parts.map(([p, sep]) => p + sep).join(''));
const anyQuery = fc.oneof(queryish, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));

test('any text compiles or fails with QUERY_SYNTAX / QUERY_TOO_COMPLEX, and FTS5 accepts every expression', () => {
  const table = openFtsTable();
  table.add(1, 'web-01 sshd a b 10.0.0.1');
  try {
    fc.assert(
      fc.property(anyQuery, (query) => {
        let exprs: string[];
        try {
          const plan = compileQuery(query);
          const candidates = candidateFts(plan.root);
          exprs = [...ftsExprs(plan.root), ...(candidates === null ? [] : [candidates])];
          if (plan.fastFts !== null) assert.deepEqual(plan.root, { op: 'fts', expr: plan.fastFts });
        } catch (e) {
          assert.ok(isAppError(e), `${JSON.stringify(query)} threw ${String(e)}`);
          assert.ok(e.code === 'QUERY_SYNTAX' || e.code === 'QUERY_TOO_COMPLEX', e.code);
          assert.equal(e.kind, 'bad_request');
          assert.match(e.message, /^query: /);
          if (e.code === 'QUERY_SYNTAX') assert.equal(typeof e.details?.['column'], 'number');
          return;
        }
        for (const expr of exprs) {
          evalFts(expr, new Set());
          table.check(expr);
        }
      }),
      { numRuns: 4000 },
    );
  } finally {
    table.close();
  }
});

// Queries over a tiny vocabulary, so random lines often match them.
const LEAVES = ['a', 'b', 'c', 'a*', 'ab*', '"a b"', 'a-b', 'b-c*', 'sub:b', 'sub:"a b"', 'sub:".c"', 'sub:"b-"'];
const { query: smallQuery } = fc.letrec<{ query: string }>((tie) => ({
  query: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...LEAVES),
    fc.tuple(tie('query'), tie('query')).map(([x, y]) => `${x} ${y}`),
    fc.tuple(tie('query'), tie('query')).map(([x, y]) => `${x} OR ${y}`),
    tie('query').map((x) => `NOT ${x}`),
    tie('query').map((x) => `-(${x})`),
    tie('query').map((x) => `(${x})`),
  ),
}));
const smallLine = fc
  .array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'ab', 'abc', 'A', 'bc'), fc.constantFrom(' ', '-', '.', '')), { maxLength: 6 })
  .map((parts) => parts.map(([w, s]) => w + s).join(''));

test('compiling preserves meaning, and candidateFts is a superset, on real FTS5 too', () => {
  const table = openFtsTable();
  let rowid = 0;
  try {
    fc.assert(
      fc.property(smallQuery, smallLine, (query, line) => {
        const ast = parseQuery(query);
        const plan = compileNode(ast);
        const tokens = new Set(textTokens(line));
        table.add(++rowid, line);
        const expected = evalNode(ast, line, tokens);
        assert.equal(evalPred(plan.root, line, (e) => evalFts(e, tokens)), expected, JSON.stringify(plan.root));
        assert.equal(evalPred(plan.root, line, (e) => table.matches(rowid, e)), expected, 'with fts5');
        const cand = candidateFts(plan.root);
        if (expected && cand !== null) assert.equal(table.matches(rowid, cand), true, `candidates ${cand}`);
      }),
      { numRuns: 3000 },
    );
  } finally {
    table.close();
  }
});
