/** The audit log itself: retention by age, the entry cap (unauthenticated entries first, the removal recorded), no secret-named detail. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { AuditLog, cleanDetails, readAudit } from './audit.js';
import { openForReading } from '../../store/index.js';
import { tempUserStore } from './testing.js';

const DAY = 86_400_000;
const T = Date.parse('2026-12-07T12:00:00Z');

function withLog(opts: ConstructorParameters<typeof AuditLog>[1], fn: (log: AuditLog, path: string) => void): void {
  const u = tempUserStore();
  const path = join(u.dir, 'users.db');
  const log = new AuditLog(path, opts);
  try {
    fn(log, path);
  } finally {
    log.close();
    u.cleanup();
  }
}

test('retention removes entries older than retentionDays and none younger', () => {
  withLog({ retentionMs: 30 * DAY, now: () => T }, (log) => {
    for (const age of [400, 31, 30.5, 29.9, 1, 0]) log.record({ actor: 'boss', action: 'login', outcome: 'ok', at: T - age * DAY });
    const pruned = log.prune();
    assert.deepEqual(pruned, { expired: 3, capped: 0, cappedThrough: null });
    assert.deepEqual(log.list().entries.map((e) => (T - e.at) / DAY), [0, 1, 29.9]);
  });
});

test('past maxEntries the oldest unauthenticated entries go first, then the oldest others; the removal is itself an entry', () => {
  withLog({ maxEntries: 10, now: () => T }, (log) => {
    // 6 admin actions first (oldest), then 8 failed logins by nobody
    for (let i = 0; i < 6; i++) log.record({ actor: 'boss', role: 'admin', action: 'user.create', target: `u${i}`, outcome: 'ok', at: T - 100_000 + i });
    for (let i = 0; i < 8; i++) log.record({ actor: null, action: 'login', outcome: 'refused', reason: 'AUTH_LOGIN_FAILED', at: T - 50_000 + i });
    const pruned = log.prune();
    assert.equal(pruned.capped, 4);
    assert.equal(pruned.cappedThrough, T - 50_000 + 3, 'the newest time removed');
    const left = log.list().entries;
    assert.equal(left.filter((e) => e.action === 'user.create').length, 6, 'a flood of failed logins pushes out no admin action');
    assert.equal(left.filter((e) => e.action === 'login').length, 4);
    assert.deepEqual(left[0]!.details, { removed: 4, reason: 'max-entries', maxEntries: 10, newestRemoved: T - 50_000 + 3 });
    assert.equal(left[0]!.action, 'audit.pruned');
    // only admin actions over the cap: the oldest of them go
    for (let i = 0; i < 5; i++) log.record({ actor: 'boss', action: 'logout', outcome: 'ok', at: T + i });
    log.prune();
    assert.ok(log.count() <= 11, `${log.count()} entries: the cap and the new pruned entry`);
    assert.equal(log.list({ action: 'login' }).entries.length, 0, 'the unauthenticated went first');
    assert.equal(log.list({ action: 'audit.pruned' }).entries.length, 2, 'the record of a removal is not what the next one removes first');
  });
});

test('details drop any key that names a secret and bound their size', () => {
  assert.deepEqual(cleanDetails({ password: 'p', newPassword: 'p', token: 't', sessionId: 's', cookie: 'c', key: 'k', apiKey: 'a', keyFingerprint: 'f00d', q: 'x', n: 3 }), { keyFingerprint: 'f00d', q: 'x', n: 3 });
  assert.equal((cleanDetails({ q: 'x'.repeat(10_000) }).q as string).length, 500);
  assert.deepEqual(cleanDetails(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, 'y'.repeat(400)]))), { truncated: true });
});

test('readAudit on a read-only connection, and on a users.db from before the audit table', () => {
  const u = tempUserStore();
  try {
    const path = join(u.dir, 'users.db');
    const before = openForReading(path);
    assert.deepEqual(readAudit(before), { entries: [], next: null }, 'no table yet: nothing, no error');
    before.close();
    const log = new AuditLog(path);
    log.record({ actor: 'boss', action: 'login', outcome: 'ok' });
    const ro = openForReading(path);
    assert.equal(readAudit(ro).entries[0]!.actor, 'boss');
    ro.close();
    log.close();
  } finally {
    u.cleanup();
  }
});
