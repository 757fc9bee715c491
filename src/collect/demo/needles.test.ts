import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createGenerator } from './generator.js';

/** Lines of `corpus` (newline-ended) that contain `text`. */
function linesContaining(corpus: Buffer, text: string): number {
  const needle = Buffer.from(text, 'latin1');
  let lines = 0;
  let lastLineStart = -1;
  for (let at = corpus.indexOf(needle); at >= 0; at = corpus.indexOf(needle, at + 1)) {
    const lineStart = corpus.lastIndexOf(10, at) + 1;
    if (lineStart !== lastLineStart) lines++;
    lastLineStart = lineStart;
  }
  return lines;
}

test('default needles: lines carrying each one equal the reported count, over 2.5M lines', () => {
  const g = createGenerator({ seed: 1 });
  const found = new Map<string, number>();
  for (let done = 0; done < 2_500_000; done += 250_000) {
    const chunk = g.fillBytes(250_000);
    for (const text of ['203.0.113.77', 'mallory', 'kernelpanic42']) found.set(text, (found.get(text) ?? 0) + linesContaining(chunk, text));
  }
  const planted = g.planted();
  assert.deepEqual(planted.map((n) => [n.text, n.count]), [['203.0.113.77', 2], ['mallory', 2], ['kernelpanic42', 25]]);
  for (const n of planted) assert.equal(found.get(n.text), n.count, `lines with ${n.text}`);
});

test('needles with the same period never share a line and keep their schedule', () => {
  const needles = [
    { text: 'zqneedleone', every: 10 },
    { text: 'zqneedletwo', every: 10 },
    { text: '198.18.7.7', every: 25 },
    { text: 'zquserx', every: 50, kind: 'user' as const },
  ];
  const g = createGenerator({ seed: 4, needles });
  const lines = g.fill(10_000);
  for (const n of g.planted()) {
    assert.equal(n.count, 10_000 / n.every, `${n.text} planted ${n.count} times`);
    assert.equal(lines.filter((l) => l.includes(n.text)).length, n.count, `lines with ${n.text}`);
  }
  assert.ok(lines.every((l) => needles.filter((n) => l.includes(n.text)).length <= 1));
});

test('a needle reads as part of an ordinary line', () => {
  const g = createGenerator({ seed: 6, needles: [{ text: '203.0.113.77', every: 20 }, { text: 'mallory', every: 20, kind: 'user' }, { text: 'kernelpanic42', every: 20 }] });
  const lines = g.fill(2000);
  const withIp = lines.filter((l) => l.includes('203.0.113.77'));
  assert.ok(withIp.some((l) => /Failed password for invalid user \S+ from 203\.0\.113\.77 port \d+ ssh2$/.test(l)));
  assert.ok(withIp.some((l) => /SRC=203\.0\.113\.77 /.test(l)));
  const withUser = lines.filter((l) => l.includes('mallory'));
  assert.ok(withUser.some((l) => /(Failed password for invalid user|Invalid user) mallory from [\d.]+ port \d+/.test(l)));
  const withWord = lines.filter((l) => l.includes('kernelpanic42'));
  assert.ok(withWord.every((l) => /\[kernelpanic42:\d+\]$|kernelpanic42\.service: Main process exited|CMD \(\/usr\/local\/bin\/kernelpanic42 --check\)$/.test(l)));
});

test('no needles: nothing planted', () => {
  const g = createGenerator({ seed: 1, needles: [] });
  g.fill(1000);
  assert.deepEqual(g.planted(), []);
});
