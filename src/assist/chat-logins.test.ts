/** Chat on logons from an incident's source: did any succeed, as which accounts, on which hosts; every number cited. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Assistant } from './assistant.js';
import { detectIntent } from './chat.js';
import type { LogPages, PivotSource } from './chat-sources.js';
import { syslogHost } from './chat-logins.js';
import { IncidentBase } from './incident-base.js';
import type { Hit } from '../search/index.js';
import type { PivotResult } from '../investigate/index.js';

const ATTACKER = '198.51.100.217';
const NOW = 1_800_000_000_000;

/** 29 accounts, 532 failed logons in all, the most tried first (as `nml pivot` lists them). */
const FAILED = Array.from({ length: 29 }, (_, i) => ({ user: i === 0 ? 'root' : i === 1 ? 'admin' : `user${i}`, count: i === 0 ? 120 : i === 1 ? 88 : 12 }));

function neighbour(entity: string, count: number) {
  return { entity, count, first: NOW - 3_600_000, last: NOW - 60_000, blocklist: [], articles: 0, evidence: { q: `ip:${ATTACKER} ${entity}`, from: NOW - 3_600_000, to: NOW } };
}

/** The relation index of the demo's brute force: blocked at the firewall, alerted, failed logons; `ok` accounts logged on. */
function pivotsOf(ok: { user: string; count: number }[], asked: string[] = []): PivotSource {
  return {
    pivot: (entity): PivotResult => {
      asked.push(entity);
      if (entity !== ATTACKER) return { entity: `ip:${entity}`, from: 0, to: 1, blocklist: [], articles: [], identity: null, groups: [], periods: 1, tookMs: 1 };
      const groups: PivotResult['groups'] = [
        { relation: 'blocked', direction: 'out', total: 1, neighbours: [neighbour('ip:10.0.1.28', 12)] },
        { relation: 'alert', direction: 'out', total: 1, neighbours: [neighbour('ip:10.0.1.28', 12)] },
        { relation: 'login_failed', direction: 'out', total: FAILED.length, neighbours: FAILED.map((f) => neighbour(`user:${f.user}`, f.count)) },
      ];
      if (ok.length > 0) groups.push({ relation: 'login', direction: 'out', total: ok.length, neighbours: ok.map((f) => neighbour(`user:${f.user}`, f.count)) });
      return { entity: `ip:${ATTACKER}`, from: 0, to: 1, blocklist: [], articles: [], identity: null, groups, periods: 1, tookMs: 1 };
    },
  };
}

/** Evidence lines: sshd on srv-bastion-01 (and for bob's logon srv-app-02), one per search up to 3. */
const logs: LogPages = {
  page: async (query) => {
    const user = /user:(\S+)/.exec(query)?.[1] ?? 'x';
    const ok = user === 'bob';
    const host = ok ? 'srv-app-02' : 'srv-bastion-01';
    const hits: Hit[] = Array.from({ length: ok ? 1 : 3 }, (_, i) => ({
      shard: `2026/12/03/15.db`,
      rowid: user.length * 10 + i,
      time: NOW - 60_000,
      receivedAt: NOW - 60_000,
      source: 'demo',
      raw: `<38>Dec  3 15:40:0${i} ${host} sshd[4242]: ${ok ? 'Accepted password' : 'Failed password'} for ${user} from ${ATTACKER} port 4${i}000 ssh2`,
    }));
    return { hits };
  },
};

const REPORT = `Many failed SSH logins for root on srv-bastion-01 from ${ATTACKER} (brute force), about 200 in 5 minutes`;

/** Every [n] of an answer has its citation, and every citation is used. */
function citedThroughout(answer: string, citations: unknown[]): void {
  const marks = [...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  assert.deepEqual(marks, citations.map((_, i) => i + 1), answer);
}

async function withAssistant(pivots: PivotSource | null, logPages: LogPages | null, run: (a: Assistant, id: string) => Promise<void>): Promise<void> {
  const base = new IncidentBase(':memory:');
  try {
    const a = new Assistant({ base, pivots, logs: logPages, now: () => NOW });
    const r = await a.analyze(REPORT);
    await run(a, r.incident.id);
  } finally {
    base.close();
  }
}

test('the logon questions are their own intent; "which hosts did X reach?" stays hosts', () => {
  for (const q of ['Was any login from it successful?', 'Did any logon succeed?', 'did the attacker get in?', 'Were the credentials accepted? any successful login', 'ログインは成功しましたか'])
    assert.equal(detectIntent(q), 'logins', q);
  for (const q of [`Which hosts did ${ATTACKER} reach?`, 'which other hosts talked to this IP?']) assert.equal(detectIntent(q), 'hosts', q);
});

test('was any login from it successful: no, with the failed logons per account, the hosts from the evidence lines, all cited', async () => {
  const asked: string[] = [];
  await withAssistant(pivotsOf([], asked), logs, async (a, id) => {
    const r = await a.chat(id, [{ role: 'user', content: 'Was any login from it successful?' }]);
    assert.equal(r.intent, 'logins');
    assert.equal(asked.at(-1), ATTACKER, "the incident's source, not its target");
    assert.match(r.answer, new RegExp(`^No logon from ${ATTACKER.replace(/\./g, '\\.')} succeeded; 532 failed\\. `));
    assert.match(r.answer, /532 failed logons as 29 accounts \(root 120× \[1\], admin 88× \[2\], user2 12× \[3\], user3 12× \[4\], user4 12× \[5\], and 24 more\), and no logon that succeeded/);
    assert.match(r.answer, /The hosts logged on to, in the 15 evidence lines read \(the most frequent accounts, not every line\): srv-bastion-01 \(0 succeeded, 15 failed\) \[6\]\.$/);
    citedThroughout(r.answer, r.citations);
    assert.deepEqual(r.citations.map((c) => c.kind), ['pivot', 'pivot', 'pivot', 'pivot', 'pivot', 'log']);
    assert.equal(r.citations[0]?.ref, `ip:${ATTACKER} out login_failed user:root`);
    assert.match(r.citations[5]?.snippet ?? '', /srv-bastion-01 sshd\[4242\]: Failed password for root/);
  });
});

test('was any login successful: yes, naming the account and the host it logged on to', async () => {
  await withAssistant(pivotsOf([{ user: 'bob', count: 1 }]), logs, async (a, id) => {
    const r = await a.chat(id, [{ role: 'user', content: 'did the attacker get in?' }]);
    assert.match(r.answer, new RegExp(`^Yes: 1 logon from ${ATTACKER.replace(/\./g, '\\.')} succeeded\\. `));
    assert.match(r.answer, /, and 1 logon that succeeded as 1 account \(bob 1× \[6\]\)/);
    assert.match(r.answer, /: srv-app-02 \(1 succeeded, 0 failed\) \[7\], srv-bastion-01 \(0 succeeded, 15 failed\) \[8\]\.$/);
    citedThroughout(r.answer, r.citations);
  });
});

test('which hosts did X reach: the logon attempts are told beside the flows, counts split, cited after them', async () => {
  await withAssistant(pivotsOf([]), logs, async (a, id) => {
    const r = await a.chat(id, [{ role: 'user', content: `Which hosts did ${ATTACKER} reach?` }]);
    assert.equal(r.intent, 'hosts');
    assert.match(r.answer, /itself reached 1 address: 10\.0\.1\.28 \(blocked 12×, alert 12×\) \[1\]\. By the relation index, 198\.51\.100\.217 made 532 failed logons as 29 accounts \(root 120× \[2\]/);
    assert.match(r.answer, /and no logon that succeeded in the last 7 days\. The hosts logged on to, .*srv-bastion-01 \(0 succeeded, 15 failed\) \[7\]\.$/);
    citedThroughout(r.answer, r.citations);
  });
});

test('no logon recorded, no relation index, no address: each said plainly, never the help text', async () => {
  const quiet: PivotSource = { pivot: (entity) => ({ entity: `ip:${entity}`, from: 0, to: 1, blocklist: [], articles: [], identity: null, groups: [], periods: 1, tookMs: 1 }) };
  await withAssistant(quiet, logs, async (a, id) => {
    const r = await a.chat(id, [{ role: 'user', content: 'Was any login from it successful?' }]);
    assert.equal(r.answer, `The relation index records no logon from ${ATTACKER} in the last 7 days, failed or successful [1].`);
    assert.equal(r.citations[0]?.kind, 'pivot');
  });
  await withAssistant(null, logs, async (a, id) => {
    const r = await a.chat(id, [{ role: 'user', content: 'Was any login from it successful?' }]);
    assert.match(r.answer, /^The relation index is not connected here, so I cannot say whether logins from 198\.51\.100\.217 succeeded\.$/);
  });
  const throwing: PivotSource = {
    pivot: () => {
      throw new Error('no relation index');
    },
  };
  await withAssistant(throwing, null, async (a) => {
    const r = await a.chat(undefined, [{ role: 'user', content: 'was any login successful?' }]);
    assert.match(r.answer, /^Logins from which address\?/);
    const s = await a.chat(undefined, [{ role: 'user', content: 'was any login from 203.0.113.9 successful?' }]);
    assert.equal(s.answer, 'The relation index could not be read for 203.0.113.9, so I cannot say whether logins from it succeeded.');
  });
});

test('the host of a syslog line: RFC 3164 and 5424 headers, none for other text', () => {
  assert.equal(syslogHost('<38>Dec  3 15:40:01 srv-bastion-01 sshd[1]: Failed password for root'), 'srv-bastion-01');
  assert.equal(syslogHost('<108>1 2026-12-03T15:57:51.000Z fw-01 app - - x'), 'fw-01');
  assert.equal(syslogHost('Dec 13 05:01:02 web-01 sshd[1]: Accepted'), 'web-01');
  assert.equal(syslogHost('fw: 198.51.100.7 -> 10.9.9.9 allow'), null);
});

test('each log and pivot citation carries the log search that shows it: the evidence of a pivot, the query and second of a line', async () => {
  await withAssistant(pivotsOf([]), logs, async (a, id) => {
    const r = await a.chat(id, [{ role: 'user', content: 'Was any login from it successful?' }]);
    // until 2026-12 a citation was a reference that nothing opened
    assert.deepEqual(r.citations[0]?.search, { q: `ip:${ATTACKER} user:root`, from: NOW - 3_600_000, to: NOW });
    const line = r.citations[5]!;
    assert.equal(line.kind, 'log');
    assert.deepEqual(line.search, { q: `ip:${ATTACKER} user:root`, from: NOW - 60_000, to: NOW - 59_000 });
  });
  const quiet: PivotSource = { pivot: (entity) => ({ entity: `ip:${entity}`, from: 0, to: 1, blocklist: [], articles: [], identity: null, groups: [], periods: 1, tookMs: 1 }) };
  await withAssistant(quiet, logs, async (a, id) => {
    const r = await a.chat(id, [{ role: 'user', content: 'Was any login from it successful?' }]);
    assert.equal(r.citations[0]?.search?.q, `ip:${ATTACKER}`);
  });
});

test('was any login successful, over a store with a damaged shard: the answer carries the shard, once for all the evidence searches', async () => {
  const shard = { file: 'shards/2026/12/03/15/0000-w0-0.db', from: NOW - 3_600_000, to: NOW - 1 };
  const damaged: LogPages = { page: async (...args) => ({ ...(await logs.page(...args)), skipped: [shard] }) };
  await withAssistant(pivotsOf([{ user: 'bob', count: 1 }]), damaged, async (a, id) => {
    const r = await a.chat(id, [{ role: 'user', content: 'did the attacker get in?' }]);
    assert.equal(r.intent, 'logins');
    // six evidence searches (bob's and five failed accounts'), each told of the same shard
    assert.deepEqual(r.skipped, [shard]);
  });
  await withAssistant(pivotsOf([{ user: 'bob', count: 1 }]), logs, async (a, id) => {
    assert.deepEqual((await a.chat(id, [{ role: 'user', content: 'did the attacker get in?' }])).skipped, []);
  });
});
