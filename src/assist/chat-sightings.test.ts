/**
 * Chat: "which hosts were affected?", "have we seen these indicators?": every indicator of the incident looked for in a
 * small store (a DNS query, a firewall flow, a PAN-OS URL line with its user) and the real relation index made of it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractRelations, parseLine } from '../parse/index.js';
import { Investigator } from '../investigate/index.js';
import type { Hit, SkippedShard } from '../search/index.js';
import { Assistant } from './assistant.js';
import { detectIntent, HELP_ANSWER } from './chat.js';
import { INDICATORS_MAX, LINES_PER_INDICATOR } from './chat-sightings.js';
import type { Citation, LogPages } from './chat-sources.js';
import { relationsOf } from './chat-test-support.js';
import { IncidentBase } from './incident-base.js';

const NOW = Date.UTC(2026, 11, 3, 16);
const edgesOf = (lines: readonly string[]) => lines.flatMap((line) => extractRelations(parseLine({ line, receivedAt: NOW, source: 't' })));
const C2 = '203.0.113.66';
const DOMAIN = 'c2.evil-cdn.top';

/** What the store holds: 10.0.2.16 asked for the C2 name and reached its address; 10.0.3.31 (carol) requested its URL. */
const LINES = [
  `<30>Dec  3 15:40:01 dns-01 named[812]: client @0x7f703ebce6f4 10.0.2.16#32074 (${DOMAIN}): query: ${DOMAIN} IN A +E(0)K (10.0.0.53)`,
  `<4>Dec  3 15:40:02 fw-01 kernel: FW-ACCEPT: IN=eth2 OUT=eth0 SRC=10.0.2.16 DST=${C2} LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=58548 DF PROTO=TCP SPT=51505 DPT=443 WINDOW=64240 RES=0x00 SYN URGP=0`,
  `<14>Dec  3 15:40:03 fw-pa-01 1,2026/12/03 15:40:03,016401002737,THREAT,url,2561,2026/12/03 15:40:03,10.0.3.31,${C2},203.0.113.10,${C2},allow-outbound,corp\\carol,,web-browsing,vsys1,trust,untrust,ethernet1/2,ethernet1/1,log-fwd,2026/12/03 15:40:03,250628,1,43526,80,36570,80,0x400000,tcp,alert,"${DOMAIN}/gate.php",(9999),unknown,high,client-to-server,32582,0x8000000000000000,10.0.0.0-10.255.255.255,Brazil,,,0,,,0,,,,,,,,0,0,0,0,0,,fw-pa-01,,,,,0,,0,,N/A,command-and-control,AppThreat-8727-8140,0x0,0,4294967295`,
  // the same person by her bare name: a logon from her workstation (the answer names her once, corp\\carol)
  '<38>Dec  3 15:41:00 srv-git-01 sshd[4121]: Accepted publickey for carol from 10.0.3.31 port 50522 ssh2',
];

/** The store as a searcher reads it: `ip:X` and `domain:X` find the lines naming X, a URL's `sub:` terms each its text. */
function storeOf(lines: readonly string[], queries: string[] = [], skipped: SkippedShard[] = []): LogPages {
  return {
    page: async (query, _range, limit) => {
      queries.push(query);
      const words = [...query.matchAll(/(?:ip|domain):(\S+)|sub:"([^"]+)"/g)].map((m) => (m[1] ?? m[2])!.toLowerCase());
      const hits: Hit[] = lines
        .map((raw, i) => ({ shard: '2026/12/03/15.db', rowid: i + 1, time: NOW - 3_600_000 + i * 1000, receivedAt: NOW, source: 't', raw }))
        .filter((h) => words.length > 0 && words.every((w) => h.raw.toLowerCase().includes(w)))
        .reverse()
        .slice(0, limit);
      return { hits, skipped };
    },
  };
}

async function withAssistant(opts: { lines?: readonly string[]; index?: boolean; logs?: LogPages }, run: (a: Assistant) => Promise<void>): Promise<void> {
  const base = new IncidentBase(':memory:');
  const lines = opts.lines ?? LINES;
  const investigator = opts.index === false ? null : new Investigator({ relations: relationsOf(edgesOf(lines), NOW), now: () => NOW });
  try {
    await run(new Assistant({ base, pivots: investigator, logs: opts.logs ?? storeOf(lines), now: () => NOW }));
  } finally {
    investigator?.close();
    base.close();
  }
}

/** Every [n] of an answer has its citation, in order, and every citation is used. */
function citedThroughout(answer: string, citations: readonly Citation[]): void {
  const marks = [...answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  assert.deepEqual(marks, citations.map((_, i) => i + 1), answer);
}

const REPORT = `Event Summary: Workstation beaconing to a command-and-control server
Source: 10.0.2.16
Destination: ${C2} port 443
Indicators: hxxp://c2.evil-cdn[.]top/gate.php, c2[.]evil-cdn[.]top, 198.51.100.77
Threat Name: Cobalt Strike beacon`;

test('the phrases of the sightings intent, English and Japanese; the questions of the other intents stay theirs', () => {
  const sightings = [
    // affected, impacted, compromised hosts
    'which hosts were affected?',
    'Affected hosts?',
    'were any machines compromised?',
    'which systems are impacted',
    'who else was hit?',
    // seen these indicators, IOCs, IPs, domains (in our logs, before, on our network)
    'have we seen these indicators in our logs?',
    'have we seen these IPs before?',
    'did we see the IOCs on our network?',
    'have we seen evil.example in our logs?',
    'has the domain shown up in the logs?',
    // any hits, where else
    'any hits?',
    'where else have we seen this?',
    // Japanese
    '影響を受けたホストは？',
    'このIOCはログで見つかった？',
    '痕跡はありますか',
    '感染端末はどれ？',
  ];
  for (const q of sightings) assert.equal(detectIntent(q), 'sightings', q);
  const others: [string, string][] = [
    ['which hosts talked to it?', 'hosts'],
    ['which other hosts talked to this IP?', 'hosts'],
    ['who visited login-verify-portal.info?', 'hosts'],
    ['was any login from it successful?', 'logins'],
    ['did the attacker get in?', 'logins'],
    ['have we seen this before?', 'last-time'],
    ['what did we do before?', 'last-time'],
    ['what is this?', 'what-is'],
    ['show similar incidents', 'similar'],
    ['which users are good at this?', 'help'],
    ['who opened this incident?', 'help'],
  ];
  for (const [q, intent] of others) assert.equal(detectIntent(q), intent, q);
  assert.equal(detectIntent(`${'x'.repeat(500)} which hosts were affected?`), 'help', 'read up to QUESTION_MAX');
  assert.match(HELP_ANSWER, /"which hosts were affected\?"/);
});

test('which hosts were affected: each indicator seen or not, its lines, first and last seen, the internal hosts and users, cited', async () => {
  await withAssistant({}, async (a) => {
    const r = await a.analyze(REPORT);
    const got = await a.chat(r.incident.id, [{ role: 'user', content: 'which hosts were affected?' }]);
    assert.equal(got.intent, 'sightings');
    citedThroughout(got.answer, got.citations);
    assert.deepEqual(got.skipped, []);
    // the defanged URL and name re-fanged, the destination, the unseen address; the source is the network's own
    assert.match(got.answer, /^The report names 4 indicators \[1\]; 3 are in the logs of the last 7 days, touched by 2 internal hosts: 10\.0\.3\.31, 10\.0\.2\.16\. /);
    assert.deepEqual(got.citations[0], { kind: 'incident', ref: r.incident.id, snippet: `http://${DOMAIN}/gate.php, ${DOMAIN}, ${C2}, 198.51.100.77, 10.0.2.16` });
    assert.match(got.answer, /The URL http:\/\/c2\.evil-cdn\.top\/gate\.php: 1 line, first seen 2026-12-03T15:00:02Z, last 2026-12-03T15:00:02Z \[2\]; internal host: 10\.0\.3\.31 \(in 1 line read\) \[3\]\./);
    assert.match(got.answer, /The domain c2\.evil-cdn\.top: 2 lines, first seen 2026-12-03T15:00:00Z, last 2026-12-03T15:00:02Z \[4\]; internal hosts: (?=.*10\.0\.2\.16 \(query 1×, in 1 line read\))(?=.*10\.0\.3\.31 \(request 1×, in 1 line read; user corp\\carol\))/, 'one person once: corp\\carol, not carol too');
    assert.match(got.answer, /203\.0\.113\.66: 2 lines, first seen 2026-12-03T15:00:01Z, last 2026-12-03T15:00:02Z \[\d+\]; internal hosts: /);
    assert.match(got.answer, /Not in the logs of the last 7 days nor in the relation index: 198\.51\.100\.77 \[\d+\]\./);
    assert.match(got.answer, /The report names an internal address too, 10\.0\.2\.16: a host of the network, not looked for as an indicator/);
    // the range column of the PAN-OS line names no host
    assert.doesNotMatch(got.answer, /10\.0\.0\.0|10\.255\.255\.255|10\.0\.0\.53/);
    const line = got.citations[1]!;
    assert.equal(line.kind, 'log');
    assert.equal(line.ref, '2026/12/03/15.db#3');
    assert.deepEqual(line.search, { q: 'sub:"c2.evil-cdn.top" sub:"/gate.php"', from: NOW - 7 * 86_400_000, to: NOW + 60_000 }, 'the search of every line counted');
    const unseen = got.citations.at(-1)!;
    assert.equal(unseen.ref, 'ip:198.51.100.77 (no line)');
    assert.equal(unseen.search?.q, 'ip:198.51.100.77');
    assert.ok(got.citations.some((c) => c.kind === 'pivot' && c.ref === `domain:${DOMAIN} in query ip:10.0.2.16`), JSON.stringify(got.citations));
  });
});

test('have we seen them: none seen is the answer; an indicator the question names is the one looked for', async () => {
  await withAssistant({}, async (a) => {
    const r = await a.analyze('Phishing mail linking hxxps://login-verify[.]example/reset sent from 192.0.2.200');
    const none = await a.chat(r.incident.id, [{ role: 'user', content: 'have we seen these indicators in our logs?' }]);
    assert.equal(none.intent, 'sightings');
    citedThroughout(none.answer, none.citations);
    assert.match(none.answer, /^The report names 3 indicators \[1\]; none of them is in the logs of the last 7 days nor in the relation index: the URL https:\/\/login-verify\.example\/reset \[2\], the domain login-verify\.example \[3\], 192\.0\.2\.200 \[4\]\.$/);
    const asked = await a.chat(r.incident.id, [{ role: 'user', content: `have we seen ${C2} in our logs?` }]);
    assert.match(asked.answer, /^The question names 1 indicator; it is in the logs of the last 7 days, touched by 2 internal hosts: /);
    assert.equal(asked.citations[0]?.kind, 'log', 'the incident is not cited for what the question named');
  });
});

test(`at most ${INDICATORS_MAX} indicators are looked for, the rest counted and named`, async () => {
  const queries: string[] = [];
  const addresses = Array.from({ length: 13 }, (_, i) => `198.51.100.${i + 1}`);
  await withAssistant({ logs: storeOf(LINES, queries) }, async (a) => {
    const r = await a.analyze(`Scan from many sources: ${addresses.join(', ')}`);
    queries.length = 0;
    const got = await a.chat(r.incident.id, [{ role: 'user', content: 'any hits?' }]);
    assert.equal(got.intent, 'sightings');
    assert.equal(queries.length, INDICATORS_MAX, 'one search per indicator looked for');
    assert.match(got.answer, /^The report names 13 indicators \[1\]; none of them is in the logs of the last 7 days nor in the relation index \(the first 10 looked for\): /);
    assert.match(got.answer, /3 more indicators were not looked for \(10 at most a question\): 198\.51\.100\.11, 198\.51\.100\.12, 198\.51\.100\.13; ask "have we seen 198\.51\.100\.11 in our logs\?" for one\./);
    citedThroughout(got.answer, got.citations);
  });
});

test('a report with no indicator is told so, with what to ask instead', async () => {
  await withAssistant({}, async (a) => {
    const r = await a.analyze('Ransom note found on the file server; shares encrypted overnight');
    const got = await a.chat(r.incident.id, [{ role: 'user', content: '影響を受けたホストは？' }]);
    assert.equal(got.intent, 'sightings');
    assert.match(got.answer, /^The report \[1\] names no address, domain or URL to look for in the logs\. Name one in the question/);
    assert.equal(got.citations[0]?.ref, r.incident.id);
    const bare = await a.chat(undefined, [{ role: 'user', content: 'which hosts were affected?' }]);
    assert.match(bare.answer, /^Open or paste an incident first, or name an address, domain or URL/);
  });
});

test('without the relation index the hosts are those the lines name; a damaged shard makes the answer partial', async () => {
  const skipped: SkippedShard[] = [{ file: '2026/12/03/14.db', from: NOW - 7_200_000, to: NOW - 3_600_000 }];
  // a relay's line: the structured data names the device that sent it, no host that touched the C2
  const relayed = `<14>1 2026-12-03T15:40:04Z fw-pa-01 - - TRAFFIC [origin ip="10.0.0.2"][meta sequenceId="44874"] 1,2026/12/03 15:40:04,016401002737,TRAFFIC,end,2561,2026/12/03 15:40:04,10.0.4.4,${C2},203.0.113.10,${C2},allow-outbound`;
  await withAssistant({ index: false, logs: storeOf([...LINES, relayed], [], skipped) }, async (a) => {
    const got = await a.chat(undefined, [{ role: 'user', content: `where else have we seen ${C2}?` }]);
    assert.equal(got.intent, 'sightings');
    citedThroughout(got.answer, got.citations);
    assert.match(got.answer, /203\.0\.113\.66: 3 lines, .*; internal hosts: 10\.0\.2\.16 \(in 1 line read\) \[2\], 10\.0\.3\.31 \(in 1 line read\) \[3\], 10\.0\.4\.4 \(in 1 line read\) \[4\]\./);
    assert.doesNotMatch(got.answer, /10\.0\.0\.0|10\.255\.255\.255|10\.0\.0\.2\b/, 'a range column and a relay are no hosts');
    assert.match(got.answer, /A damaged shard was left out of the searches .* the counts are lower bounds\./);
    assert.deepEqual(got.skipped, skipped);
    assert.deepEqual(got.citations[1]?.search, { q: `ip:${C2}`, from: NOW - 3_600_000 + 1000, to: NOW - 3_600_000 + 2000 });
  });
});

test(`a full page of ${LINES_PER_INDICATOR} lines is a lower bound; an address that is none is refused; the hosts question stays hosts`, async () => {
  const many = Array.from({ length: LINES_PER_INDICATOR + 20 }, (_, i) => `<4>Dec  3 15:${String(i % 60).padStart(2, '0')}:00 fw-01 kernel: FW-ACCEPT: SRC=10.0.2.${(i % 3) + 1} DST=${C2} PROTO=TCP`);
  await withAssistant({ lines: many, index: false }, async (a) => {
    const got = await a.chat(undefined, [{ role: 'user', content: `have we seen ${C2} on our network?` }]);
    assert.match(got.answer, new RegExp(`${C2.replace(/\./g, '\\.')}: at least ${LINES_PER_INDICATOR} lines, first seen \\S+ of the newest read, last `));
    const bad = await a.chat(undefined, [{ role: 'user', content: 'have we seen 999.1.1.1 in our logs?' }]);
    assert.match(bad.answer, /^999\.1\.1\.1 is not an IPv4 address/);
    const r = await a.analyze(REPORT);
    const hosts = await a.chat(r.incident.id, [{ role: 'user', content: 'which hosts talked to it?' }]);
    assert.equal(hosts.intent, 'hosts');
  });
});
