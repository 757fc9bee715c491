/** The Trends page's sources table shows the last error's message as text, not only in a tooltip. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceErrorText } from './source-errors.js';
import { FIXTURES } from './testing.js';

test('a failing source shows its codes and the message; one without errors shows neither', () => {
  const e = sourceErrorText({ FEED_HTTP_STATUS: 3 }, 'fetch: https://x.test/feed answered 404; check the source url');
  assert.deepEqual(e, { codes: 'FEED_HTTP_STATUS×3', message: 'fetch: https://x.test/feed answered 404; check the source url' });
  assert.deepEqual(sourceErrorText({}, 'an old message'), { codes: '', message: '' });
  // the page renders the message in the cell, not only as the row's title
  const page = readFileSync(join(FIXTURES, '..', '..', '..', 'web', 'src', 'pages', 'trends', 'TrendsPage.tsx'), 'utf8');
  assert.match(page, /sourceErrorText\(s\.errors, s\.lastError\)/);
  assert.match(page, /<div className="source-error">\{e\.message\}<\/div>/);
  assert.doesNotMatch(page, /title=\{s\.lastError/);
});
