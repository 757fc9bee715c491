/**
 * Golden fixtures: every test/fixtures/parse/<name>.log is parsed line by line and compared with
 * <name>.expected.json (one LogEvent per line); an optional <name>.options.json holds ParseOptions.
 * After an intended change, rewrite the expected files with
 *   UPDATE_GOLDEN=1 node --import tsx --test src/parse/golden.test.ts
 * and read the diff line by line before committing it: the files are the specification.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLine, type ParseOptions } from './index.js';
import { fixturesDir, readLines } from './test-support.js';

/** 2024-01-02T12:00:00Z: early January, so that December lines belong to the year before. */
const FIXTURE_RECEIVED_AT = Date.UTC(2024, 0, 2, 12, 0, 0);
const SOURCE = 'file:fixture';

const dir = fixturesDir();
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.log'))
  .map((f) => f.slice(0, -'.log'.length))
  .sort();

test('golden fixtures exist', () => {
  assert.ok(names.length >= 8, `expected fixtures in ${dir}`);
});

for (const name of names) {
  test(`golden: ${name}`, () => {
    const optionsFile = join(dir, `${name}.options.json`);
    const opts = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as ParseOptions) : undefined;
    const events = readLines(join(dir, `${name}.log`)).map((line) =>
      parseLine({ line, receivedAt: FIXTURE_RECEIVED_AT, source: SOURCE }, opts),
    );
    const expectedFile = join(dir, `${name}.expected.json`);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedFile, JSON.stringify(events, null, 2) + '\n');
    const expected: unknown = JSON.parse(readFileSync(expectedFile, 'utf8'));
    assert.deepEqual(JSON.parse(JSON.stringify(events)), expected);
  });
}
