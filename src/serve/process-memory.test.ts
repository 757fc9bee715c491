import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { parseResidentSplit, residentSplit } from './process-memory.js';

const STATUS = 'Name:\tnode\nVmRSS:\t  812340 kB\nRssAnon:\t  301112 kB\nRssFile:\t   81228 kB\nRssShmem:\t       0 kB\nThreads:\t16\n';

test('the resident split is read from /proc/<pid>/status in bytes', () => {
  assert.deepEqual(parseResidentSplit(STATUS), { anonBytes: 301_112 * 1024, fileBytes: 81_228 * 1024 });
});

test('a status without the fields, or none at all, gives nulls rather than an error or a 0', () => {
  assert.deepEqual(parseResidentSplit('Name:\tnode\nVmRSS:\t 100 kB\n'), { anonBytes: null, fileBytes: null });
  // a field name that only starts the same is not taken for it
  assert.deepEqual(parseResidentSplit('RssAnonX:\t5 kB\n'), { anonBytes: null, fileBytes: null });
  assert.deepEqual(
    residentSplit(() => {
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    }),
    { anonBytes: null, fileBytes: null },
  );
});

test('on Linux this process has both parts, each less than its whole resident set', { skip: existsSync('/proc/self/status') ? false : 'no /proc/self/status on this system' }, () => {
  const s = residentSplit();
  const rss = process.memoryUsage.rss();
  assert.ok(s.anonBytes !== null && s.anonBytes > 0 && s.anonBytes < rss, `anon ${s.anonBytes} of ${rss}`);
  assert.ok(s.fileBytes !== null && s.fileBytes > 0 && s.fileBytes < rss, `file ${s.fileBytes} of ${rss}`);
});
