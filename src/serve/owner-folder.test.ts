import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeOwnerOnlyFolder } from './owner-folder.js';

test('every folder it creates, parents included, is owner-only (0700); an existing one keeps its mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-owner-folder-'));
  try {
    makeOwnerOnlyFolder(join(dir, 'a', 'b'));
    assert.equal(statSync(join(dir, 'a')).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, 'a', 'b')).mode & 0o777, 0o700);
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o755);
    makeOwnerOnlyFolder(shared);
    assert.equal(statSync(shared).mode & 0o777, 0o755, 'a folder the user made is not changed behind their back');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
