/** What `nml trends collect --once` says of each source: new documents, none new and why, or what failed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceStats } from './collector.js';
import { everySourceFailed, sourceOutcome } from './source-outcome.js';

const base: SourceStats = { name: 's', fetches: 1, notModified: 0, items: 0, stored: 0, duplicates: 0, errors: {}, lastError: null, lastErrorAt: null, failing: false, charsetMismatches: 0, futureDated: 0, undated: 0, lastFetchAt: 1 };
const failed = (code: string, message: string): SourceStats => ({ ...base, fetches: 0, errors: { [code]: 1 }, lastError: message, lastErrorAt: 1, failing: true });

test('a source that answered says how many new documents, or why none: not modified, no items, all stored before, empty items', () => {
  assert.deepEqual(sourceOutcome({ ...base, items: 5, stored: 3, duplicates: 2 }), { kind: 'stored', text: '3 new documents (2 already stored)' });
  assert.deepEqual(sourceOutcome({ ...base, items: 1, stored: 1 }), { kind: 'stored', text: '1 new document' });
  assert.deepEqual(sourceOutcome({ ...base, notModified: 1 }), { kind: 'none_new', text: 'no new documents: not modified since the last fetch' });
  assert.deepEqual(sourceOutcome(base), { kind: 'none_new', text: 'no new documents: it held no items' });
  assert.deepEqual(sourceOutcome({ ...base, items: 3, duplicates: 3 }), { kind: 'none_new', text: 'no new documents: all 3 items were already stored, or near copies of stored documents' });
  assert.deepEqual(sourceOutcome({ ...base, items: 4, duplicates: 1 }), { kind: 'none_new', text: 'no new documents: of its 4 items, 1 already stored, 3 without title or text' });
});

test('a source that failed says what: the fetch (status, network, timeout), a fetch nml would not make, or a body that would not parse; the code last', () => {
  assert.deepEqual(sourceOutcome(failed('FEED_HTTP_STATUS', 'fetch: http://x/gone answered 404; check the source url')), { kind: 'fetch_failed', text: 'fetch failed: http://x/gone answered 404; check the source url [FEED_HTTP_STATUS]' });
  assert.equal(sourceOutcome(failed('FEED_NETWORK', 'fetch: http://x/ failed: connect ECONNREFUSED')).text, 'fetch failed: http://x/ failed: connect ECONNREFUSED [FEED_NETWORK]');
  assert.equal(sourceOutcome(failed('FEED_TIMEOUT', 'fetch: http://x/ took longer than 2000 ms')).kind, 'fetch_failed');
  assert.deepEqual(sourceOutcome(failed('FEED_ROBOTS_DENIED', 'fetch: robots.txt of x disallows /p')), { kind: 'not_fetched', text: 'not fetched: robots.txt of x disallows /p [FEED_ROBOTS_DENIED]' });
  assert.deepEqual(sourceOutcome(failed('FEED_MALFORMED', 'feed: b (http://x/b) is not well-formed xml')), { kind: 'not_parseable', text: 'not parseable: feed: b (http://x/b) is not well-formed xml [FEED_MALFORMED]' });
  // a source that failed before and answered since is what it answered, not failed
  assert.equal(sourceOutcome({ ...failed('FEED_TIMEOUT', 'fetch: slow'), failing: false, items: 2, stored: 2 }).kind, 'stored');
});

test('a cycle failed as a whole only when every source failed; none configured is no failure', () => {
  const ok = sourceOutcome({ ...base, notModified: 1 });
  const bad = sourceOutcome(failed('FEED_NETWORK', 'fetch: down'));
  assert.equal(everySourceFailed([bad, bad]), true);
  assert.equal(everySourceFailed([bad, ok]), false);
  assert.equal(everySourceFailed([]), false);
});
