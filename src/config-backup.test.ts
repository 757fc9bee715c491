/** `backup.*` settings: unset is no schedule; bad values are refused naming the setting and what to give. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { isAppError } from './core/index.js';
import { resolveConfig } from './config.js';
import { backupEveryMs } from './config-backup.js';
import type { ConfigPatch } from './config-types.js';

function refused(patch: ConfigPatch, field: string, message: RegExp): void {
  assert.throws(() => resolveConfig(patch), (e: unknown) => {
    assert.ok(isAppError(e), String(e));
    assert.equal(e.code, 'CONFIG_INVALID');
    assert.equal(e.details?.['field'], field);
    assert.match(e.message, message);
    return true;
  });
}

test('unset: no scheduled backups; every is read as a length of time', () => {
  const c = resolveConfig({});
  assert.deepEqual(c.backup, { dir: null, every: '1d', keep: 7, includeSecrets: false });
  assert.equal(backupEveryMs(resolveConfig({ backup: { dir: '/srv/nml-backups', every: '6h' } })), 6 * 3_600_000);
  assert.equal(backupEveryMs(resolveConfig({ backup: { every: '90m' } })), 90 * 60_000);
  assert.equal(backupEveryMs(resolveConfig({ backup: { every: '2w' } })), 14 * 86_400_000);
});

test('bad backup values are refused with the setting and what to give', () => {
  refused({ backup: { every: '6 hours' } }, 'backup.every', /backup\.every is "6 hours"; expected a length of time such as "6h" or "1d"/);
  refused({ backup: { every: '-1h' } }, 'backup.every', /expected a length of time/);
  refused({ backup: { every: '30s' } }, 'backup.every', /at least "1m"/);
  refused({ backup: { every: 6 } as unknown as ConfigPatch['backup'] }, 'backup.every', /expected a string/);
  refused({ backup: { keep: 0 } }, 'backup.keep', /a whole number from 1 to 1000/);
  refused({ backup: { keep: 2.5 } }, 'backup.keep', /a whole number from 1 to 1000/);
  refused({ backup: { dir: '' } }, 'backup.dir', /or null for no scheduled backups/);
  refused({ backup: { includeSecrets: 'yes' } as unknown as ConfigPatch['backup'] }, 'backup.includeSecrets', /expected true or false/);
  refused({ backup: { dirr: '/x' } as unknown as ConfigPatch['backup'] }, 'backup.dirr', /unknown key backup\.dirr/);
});

test('a backup folder inside the data directory is refused; beside it or above it is not', () => {
  refused({ dataDir: '/var/lib/nml', backup: { dir: '/var/lib/nml/backups' } }, 'backup.dir', /a folder outside the data directory \/var\/lib\/nml \(.*\), such as \/var\/lib\/nml-backups/);
  refused({ dataDir: '/var/lib/nml', backup: { dir: '/var/lib/nml' } }, 'backup.dir', /outside the data directory/);
  // relative paths are compared as the server resolves them
  refused({ dataDir: './nml-data', backup: { dir: join('nml-data', 'bk') } }, 'backup.dir', new RegExp(`outside the data directory ${resolve('nml-data').replace(/[/.]/g, '\\$&')}`));
  // beside it is fine
  assert.equal(resolveConfig({ dataDir: '/var/lib/nml/data', backup: { dir: '/var/lib/nml/backups' } }).backup.dir, '/var/lib/nml/backups');
  // and so is one that holds it: the backups are folders of their own names in it
  assert.equal(resolveConfig({ dataDir: '/var/lib/nml/data', backup: { dir: '/var/lib/nml' } }).backup.dir, '/var/lib/nml');
});
