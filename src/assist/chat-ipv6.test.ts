/**
 * Chat about an IPv6 address: the address in a question or an incident, however written, is the relation index's key
 * for it (the extractors' canonical text), and the real Investigator answers for it. Until 2026-12 chat read IPv4 only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractRelations, parseLine } from '../parse/index.js';
import { Investigator } from '../investigate/index.js';
import { relationsOf } from './chat-test-support.js';
import type { Hit } from '../search/index.js';
import { Assistant } from './assistant.js';
import type { LogPages } from './chat-sources.js';
import { IncidentBase } from './incident-base.js';

const NOW = Date.UTC(2026, 11, 3, 16);
const edgesOf = (lines: readonly string[]) => lines.flatMap((line) => extractRelations(parseLine({ line, receivedAt: NOW, source: 't' })));
const ATTACKER = '2001:db8:5::5a35:c951';
const TARGET = '2001:db8:20::80';

/** What the bastion and the firewall logged: failed logons for root, one accepted for bob, a blocked SYN (ip6tables writes every zero). */
const LINES = [
  `<38>Dec  3 15:40:01 srv-bastion-01 sshd[4242]: Failed password for root from ${ATTACKER} port 40000 ssh2`,
  `<38>Dec  3 15:40:02 srv-bastion-01 sshd[4242]: Failed password for root from ${ATTACKER} port 40010 ssh2`,
  `<38>Dec  3 15:40:09 srv-bastion-01 sshd[4243]: Accepted password for bob from ${ATTACKER} port 40001 ssh2`,
  '<4>Dec  3 15:40:03 fw-01 kernel: DROP IN=eth0 OUT= SRC=2001:0db8:0005:0000:0000:0000:5a35:c951 DST=2001:0db8:0020:0000:0000:0000:0000:0080 LEN=80 PROTO=TCP SPT=40002 DPT=22 SYN URGP=0',
];

/** The evidence lines of a search: LINES that name the account it asks about. */
const logs: LogPages = {
  page: async (query) => {
    const user = /user:(\S+)/.exec(query)?.[1];
    const hits: Hit[] = LINES.filter((l) => user !== undefined && l.includes(` for ${user} `)).map((raw, i) => ({ shard: '2026/12/03/15.db', rowid: i + 1, time: NOW, receivedAt: NOW, source: 't', raw }));
    return { hits };
  },
};

async function withAssistant(run: (a: Assistant) => Promise<void>): Promise<void> {
  const base = new IncidentBase(':memory:');
  const investigator = new Investigator({ relations: relationsOf(edgesOf(LINES), NOW), now: () => NOW });
  try {
    await run(new Assistant({ base, pivots: investigator, logs, now: () => NOW }));
  } finally {
    investigator.close();
    base.close();
  }
}

test('which hosts did an IPv6 address reach, written with its zeros and in capitals: the index key, its logons told beside', async () => {
  await withAssistant(async (a) => {
    const r = await a.chat(undefined, [{ role: 'user', content: 'Which hosts did 2001:DB8:5:0:0:0:5A35:C951 reach?' }]);
    assert.equal(r.intent, 'hosts');
    assert.match(r.answer, /^In the last 7 days the relation index records no host talking to 2001:db8:5::5a35:c951, but 2001:db8:5::5a35:c951 itself reached 1 address: 2001:db8:20::80 \(blocked 1×\) \[1\]\. /);
    assert.match(r.answer, /made 2 failed logons as 1 account \(root 2× \[2\]\), and 1 logon that succeeded as 1 account \(bob 1× \[3\]\)/);
    assert.equal(r.citations[0]?.ref, `ip:${ATTACKER} out blocked ip:${TARGET}`);
  });
});

test('was any login from an IPv6 address successful: asked by address, or of the incident whose source it is', async () => {
  await withAssistant(async (a) => {
    const asked = await a.chat(undefined, [{ role: 'user', content: `was any login from ${ATTACKER} successful?` }]);
    assert.equal(asked.intent, 'logins');
    assert.match(asked.answer, new RegExp(`^Yes: 1 logon from ${ATTACKER} succeeded\\. `));
    assert.match(asked.answer, /srv-bastion-01 \(1 succeeded, 2 failed\)/);
    const report = await a.analyze(`SSH brute force against [${TARGET}]:22 from ${ATTACKER}, about 200 failed logins`);
    assert.deepEqual([report.record.fields.srcIp?.value, report.record.fields.dstIp?.value, report.record.fields.dstPort?.value], [ATTACKER, TARGET, '22']);
    const got = await a.chat(report.incident.id, [{ role: 'user', content: 'did the attacker get in?' }]);
    assert.match(got.answer, new RegExp(`^Yes: 1 logon from ${ATTACKER} succeeded\\. `));
    const what = await a.chat(report.incident.id, [{ role: 'user', content: 'what is this?' }]);
    assert.match(what.answer, new RegExp(`from ${ATTACKER}, to \\[${TARGET}\\]:22`), 'an IPv6 address and its port in brackets');
  });
});

test('with no relation index, the log search for an IPv6 address counts each other address once, however the lines write it', async () => {
  const base = new IncidentBase(':memory:');
  const queries: string[] = [];
  const lines: LogPages = {
    page: async (query) => {
      queries.push(query);
      const raw = [LINES[3]!, `fw-01: allow ${ATTACKER} -> [${TARGET}]:22`, 'fw-01: allow ::1 -> 2001:db8:20::80 at 15:40:03'];
      return { hits: raw.map((r, i) => ({ shard: 's', rowid: i, time: NOW, receivedAt: NOW, source: 't', raw: r })) };
    },
  };
  try {
    const r = await new Assistant({ base, logs: lines, now: () => NOW }).chat(undefined, [{ role: 'user', content: 'which other hosts talked to 2001:db8:20:0::80?' }]);
    assert.deepEqual(queries, [`ip:${TARGET}`]);
    assert.match(r.answer, new RegExp(`^In the last 7 days 2 other addresses appear in log lines with ${TARGET}: ${ATTACKER} \\(2 lines\\) \\[1\\], ::1 \\(1 line\\) \\[2\\]\\.$`));
  } finally {
    base.close();
  }
});
