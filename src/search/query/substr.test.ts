import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { textTokens } from '../../store/index.js';
import { substrCandidates } from './substr.js';
import { evalFts, openFtsTable } from './test-support.js';
import { foldCase, verifyText } from './verify.js';

// Characters where JavaScript and SQLite's unicode61 disagree (İ, Kelvin K, combining marks, letters
// newer than Unicode 6.1, the typed-term mark, final sigma), mixed with ASCII words and separators.
const PIECES = [
  'a', 'b', 'Z', '0', '7', '_', ' ', ' ', '.', '-', '/', ':', '"', '*', '=', '\t', '\n',
  'root', 'Root', '192', '168', 'ab', 'İ', '\u212a', 'é', 'e\u0301', '\u0301', '日本', 'ß', 'ΑΣ', 'Σ',
  '\u19b0', '\ue000', '😀', '\ufffd',
];
const mixedLine = fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((a) => a.join(''));
const anyLine = fc.oneof(mixedLine, fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 20 }));

// cut at code points: half of a surrogate pair has no case to fold
const lineAndSubstring = anyLine.chain((line) => {
  const cps = Array.from(line);
  return fc.tuple(fc.nat({ max: cps.length }), fc.nat({ max: cps.length })).map(([x, y]) => ({
    line,
    sub: cps.slice(Math.min(x, y), Math.max(x, y)).join(''),
  }));
});

test('substring candidates are a superset: every line holding the substring satisfies them', () => {
  const table = openFtsTable();
  let rowid = 0;
  try {
    fc.assert(
      fc.property(lineAndSubstring, ({ line, sub }) => {
        const folded = foldCase(sub);
        assert.equal(verifyText({ op: 'substr', text: folded, candidates: null }, line), true);
        const cand = substrCandidates(folded);
        if (cand === null) return;
        assert.equal(evalFts(cand, new Set(textTokens(line))), true, `tokens of ${JSON.stringify(line)}`);
        table.add(++rowid, line);
        assert.equal(table.matches(rowid, cand), true, `fts5 row ${JSON.stringify(line)} for ${cand}`);
      }),
      { numRuns: 3000 },
    );
  } finally {
    table.close();
  }
});

test('substring candidates constrain when the substring holds a whole word', () => {
  assert.equal(substrCandidates(foldCase(' 192.168.3.4 ')), '"192" AND "168" AND "3" AND "4"');
  assert.equal(substrCandidates('failed'), null);
  assert.equal(substrCandidates('.x'), '"x"*');
});
