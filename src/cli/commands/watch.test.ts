/**
 * `nml watch`: add, list (table and --json), disable/enable and rm by name (any case) or id, beside a
 * server's open connection to watches.db; clear errors (exit 2 for a wrong command line, 1 for a watch
 * that is not there); each change in the audit trail as `cli:<account>` when users.db exists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { runCliSync } from '../testing.js';
import { AuditLog, WatchStore, type Watch } from '../../serve/index.js';

const nml = (args: string[]) => runCliSync(args);

test('nml watch: add, list, disable, enable and rm beside a running server, with the audit trail and clear errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-watchcli-'));
  try {
    assert.equal(nml(['watch', 'list', '--data', join(dir, 'nope')]).code, 2, 'a data directory that is not there');
    const empty = nml(['watch', 'list', '--data', dir]);
    assert.equal(empty.code, 0, empty.err);
    assert.match(empty.err, /no watches yet/);
    new AuditLog(join(dir, 'users.db')).close();
    // the server's connection, open while the CLI writes
    const server = new WatchStore(join(dir, 'watches.db'));
    try {
      const add = nml(['watch', 'add', 'Failed logins', '--query', '"failed password"', '--threshold', '50', '--window', '15m', '--data', dir]);
      assert.equal(add.code, 0, add.err);
      assert.match(add.out, /watch 1 "Failed logins" added: 50 or more lines of `"failed password"` in 15m, counted every 1m/);
      assert.equal(server.list()[0]!.name, 'Failed logins', 'the server sees it');

      const bad = nml(['watch', 'add', 'x', '--query', 'a OR (b', '--threshold', '1', '--data', dir]);
      assert.equal(bad.code, 2);
      assert.match(bad.err, /nml: query: .*column/);
      const dup = nml(['watch', 'add', 'FAILED LOGINS', '--query', 'x', '--threshold', '1', '--data', dir]);
      assert.equal(dup.code, 1);
      assert.match(dup.err, /a watch named "FAILED LOGINS" exists already/);
      assert.equal(nml(['watch', 'add', 'y', '--query', 'x', '--threshold', 'many', '--data', dir]).code, 2);
      const span = nml(['watch', 'add', 'y', '--query', 'x', '--threshold', '1', '--every', '5s', '--data', dir]);
      assert.equal(span.code, 2);
      assert.match(span.err, /every is 5s; it must be from 30s to 1d/);

      assert.equal(nml(['watch', 'disable', 'failed LOGINS', '--data', dir]).code, 0);
      assert.equal(server.get(1)!.enabled, false);
      const table = nml(['watch', 'list', '--data', dir]);
      assert.match(table.out, /^ +1 Failed logins +off 15m\/1m +>=50 +not counted yet +"failed password"$/m);
      assert.equal(nml(['watch', 'enable', '1', '--data', dir]).code, 0, 'by id');
      const json = JSON.parse(nml(['watch', 'list', '--json', '--data', dir]).out) as Watch[];
      assert.deepEqual(json.map((w) => [w.id, w.name, w.enabled, w.createdBy]), [[1, 'Failed logins', true, `cli:${userInfo().username}`]]);

      const missing = nml(['watch', 'rm', 'nothing', '--data', dir]);
      assert.equal(missing.code, 1);
      assert.match(missing.err, /no watch "nothing"/);
      assert.equal(nml(['watch', 'rm', 'Failed logins', '--data', dir]).code, 0);
      assert.deepEqual(server.list(), []);
    } finally {
      server.close();
    }
    const log = new AuditLog(join(dir, 'users.db'));
    try {
      assert.deepEqual(
        log.list({ actor: `cli:${userInfo().username}` }).entries.map((e) => `${e.action} ${e.target} ${e.details.enabled}`).reverse(),
        ['watch.create Failed logins true', 'watch.update Failed logins false', 'watch.update Failed logins true', 'watch.delete Failed logins true'],
      );
    } finally {
      log.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
