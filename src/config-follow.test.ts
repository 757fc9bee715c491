/** `files.follow` entries: a path, or { path, host }; a bad one is a config error naming the entry. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { isAppError } from './core/index.js';
import { resolveConfig } from './config.js';
import { followedFiles, hostByPath } from './config-follow.js';
import type { FollowedFile } from './config-types.js';

test('files.follow takes paths and { path, host } entries side by side (host null: none)', () => {
  const follow: FollowedFile[] = ['/var/log/syslog', { path: '/mnt/web-01/access.log', host: 'web-01' }, { path: '/srv/copied.log', host: null }, { path: '/var/log/app.log' }];
  const c = resolveConfig({ files: { follow } });
  assert.deepEqual(c.files.follow, follow);
  const files = followedFiles(c.files.follow, 'here-01');
  assert.deepEqual(files, [
    { path: '/var/log/syslog', host: 'here-01' },
    { path: '/mnt/web-01/access.log', host: 'web-01' },
    { path: '/srv/copied.log', host: undefined },
    { path: '/var/log/app.log', host: undefined },
  ]);
  const hostOf = hostByPath(files);
  assert.equal(hostOf(resolve('/mnt/web-01/access.log')), 'web-01');
  assert.equal(hostOf('/var/log/syslog'), 'here-01');
});

test('a bad files.follow entry is CONFIG_INVALID naming the entry by its index and what is expected', () => {
  const refused = (follow: unknown, field: string, want: RegExp) =>
    assert.throws(
      () => resolveConfig({ files: { follow: follow as FollowedFile[] } }),
      (e: unknown) => isAppError(e) && e.code === 'CONFIG_INVALID' && e.message.includes(`config: ${field} is`) && want.test(e.message),
      JSON.stringify(follow),
    );
  refused('/var/log/syslog', 'files.follow', /expected a list/);
  refused(['/a.log', ''], 'files.follow[1]', /a non-empty file path/);
  refused([{ path: '/a.log', host: 'web 01' }], 'files.follow[0]', /"host" to be the host of its lines .* but "web 01" is holding a space or a control character/);
  refused([{ path: '/a.log', host: '' }], 'files.follow[0]', /but "" is empty/);
  refused([{ path: '/a.log', host: 5 }], 'files.follow[0]', /is not text/);
  refused([{ host: 'web-01' }], 'files.follow[0]', /a non-empty "path"/);
  refused([{ path: '/a.log', hots: 'web-01' }], 'files.follow[0]', /only "path" and "host" \(no key "hots"\)/);
  refused(['/a.log', 7], 'files.follow[1]', /a file path, or \{ "path": "<file>", "host": "<host name or address>" \}/);
});
