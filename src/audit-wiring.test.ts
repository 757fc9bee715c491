/** The audit trail's wiring for nml serve: a pass past audit.maxEntries is a warning naming what went; a token file change is an entry. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { auditTokenChange, openAudit } from './audit-wiring.js';
import { AuditLog } from './serve/index.js';
import { tempUserStore } from './serve/users/testing.js';

function capture(): { logger: ReturnType<typeof pino>; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l.trim() !== '') lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

test('openAudit prunes at start: entries past audit.maxEntries go with a warning, and the removal is an entry', async () => {
  const u = tempUserStore();
  const path = join(u.dir, 'users.db');
  try {
    const seed = new AuditLog(path);
    for (let i = 0; i < 1005; i++) seed.record({ actor: null, action: 'login', outcome: 'refused', reason: 'AUTH_LOGIN_FAILED', at: Date.now() - 10_000 + i });
    seed.close();
    const { logger, lines } = capture();
    const audit = openAudit(path, { audit: { retentionDays: 365, maxEntries: 1000 } }, logger);
    try {
      auditTokenChange(audit, true, logger);
      await new Promise((r) => setImmediate(r));
      const warn = lines.find((l) => l.level === 40);
      assert.ok(warn !== undefined, 'a warning');
      assert.equal(warn.removed, 5);
      assert.match(String(warn.msg), /audit\.maxEntries/);
      const newest = audit.log.list({ limit: 2 }).entries;
      assert.deepEqual(newest.map((e) => [e.action, e.outcome]), [['token.rotated', 'ok'], ['audit.pruned', 'ok']]);
    } finally {
      audit.close();
    }
  } finally {
    u.cleanup();
  }
});
