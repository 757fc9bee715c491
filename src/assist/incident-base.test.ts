/** The incident base opens where it is told: its missing folders made, and a path it cannot have said as such. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IncidentBase } from './incident-base.js';

test('the incident base makes the missing folders of its path, and opens again there', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-incident-base-'));
  try {
    const path = join(dir, 'data', 'assist', 'incidents.db');
    new IncidentBase(path).close();
    assert.ok(existsSync(path));
    new IncidentBase(path).close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an incident base below a plain file is ASSIST_BASE_UNAVAILABLE naming the path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-incident-base-'));
  try {
    writeFileSync(join(dir, 'file'), 'x');
    const path = join(dir, 'file', 'assist', 'incidents.db');
    assert.throws(() => new IncidentBase(path), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'ASSIST_BASE_UNAVAILABLE');
      assert.ok(e.message.startsWith(`assist: cannot open the incident base ${path}: `), e.message);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
