/**
 * The browser tests wait for a condition in the page with untilInPage (browser.ts), never with
 * page.waitForFunction given a string: that polls by eval inside the page, which the UI's CSP refuses, so
 * such a wait failed whenever its condition was not already true on its first look (flaky, then a CSP
 * violation). Four tests still did after untilInPage came: two of Investigate's, pages-narrow's and the
 * search histogram's. Needs no browser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../src/version.js';

const DIR = join(PACKAGE_ROOT, 'test', 'e2e', 'web');

test('no browser test waits with page.waitForFunction on a string (eval, which the CSP refuses)', () => {
  const found: string[] = [];
  for (const name of readdirSync(DIR).filter((n) => n.endsWith('.ts'))) {
    const lines = readFileSync(join(DIR, name), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (/\.waitForFunction\(\s*['"`]/.test(line)) found.push(`${name}:${i + 1}`);
    });
  }
  assert.deepEqual(found, [], 'use untilInPage(page, expression) from browser.ts');
});
