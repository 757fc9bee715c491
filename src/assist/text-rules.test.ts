/**
 * Text rules: what they find on ordinary text, and the same on hundreds of kB built to make the old patterns backtrack
 * (response-step sentences without a full stop, blank runs after a label, dash-joined `host` words). No timings: the
 * old patterns took minutes on these inputs, so a return of them hangs this file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accountsIn, applyStepRules, applyTextRules } from './text-rules.js';
import { emptyRecord, textAt, type IncidentRecord } from './record.js';
import { normalize, normalizeText } from './normalize.js';
import type { Finding } from '../detect/detector.js';
import { findingLogLine } from '../detect/findings/log-line.js';

function steps(text: string): IncidentRecord {
  const rec = emptyRecord('text', { body: text });
  applyStepRules(rec, 'body', text);
  return rec;
}

function fields(text: string): IncidentRecord {
  const rec = emptyRecord('text', { body: text });
  applyTextRules(rec, 'body', text);
  return rec;
}

const values = (rec: IncidentRecord): string[] => rec.steps.map((s) => s.value);

test('response steps: a doer then an action verb in one clause, or a Japanese action word; sentence ends kept', () => {
  const text = 'Alert at 09:00. We blocked 10.0.0.5 at the firewall. Blocked by nobody\nThe admins have reset the password\n端末をネットワークから隔離しました。 e.g.x we then notified HR.';
  assert.deepEqual(values(steps(text)), ['We blocked 10.0.0.5 at the firewall.', 'The admins have reset the password', '端末をネットワークから隔離しました。', 'e.g.x we then notified HR.']);
  const rec = steps(text);
  const first = rec.steps[0]!;
  assert.equal(text.slice(first.from.start, first.from.end), first.value);
  assert.equal(rec.fields.firstAction?.value, 'We blocked 10.0.0.5 at the firewall.');
  assert.deepEqual(values(steps('Blocked, then we looked.')), [], 'the verb must come after the doer');
  assert.deepEqual(values(steps('We looked. Then blocked it.')), [], 'doer and verb in different sentences');
  assert.deepEqual(values(steps('we saw 1.2 then blocked it')), [], 'a `.` inside the clause separates doer and verb');
  assert.deepEqual(values(steps('it was blockedx, we were resetting')), [], 'whole words only');
  assert.deepEqual(values(steps('First action: isolate the host\nwe isolated it.')), ['isolate the host', 'we isolated it.']);
});

test('response steps: a labelled step is not repeated by the sentence that holds it; equal sentences once', () => {
  assert.deepEqual(values(steps('Containment: we blocked the IP.\nwe blocked the IP.\nwe blocked the IP.')), ['we blocked the IP.']);
});

test('response steps on a 300 kB line with doers and no action verb or full stop, then a real step', () => {
  const line = 'the user was on the host and we saw it '.repeat(7700);
  assert.deepEqual(values(steps(line)), []);
  assert.deepEqual(values(steps('we '.repeat(100_000))), []);
  const rec = steps(line + '. We blocked the source.');
  assert.deepEqual(values(rec), ['We blocked the source.']);
  assert.equal(normalizeText(line + '. We blocked the source.').fields.firstAction?.value, 'We blocked the source.');
});

test('response steps: 100,000 distinct step sentences are all kept, in order (each was compared with all before)', () => {
  const text = Array.from({ length: 100_000 }, (_, i) => `we blocked host${i}. `).join('');
  const found = values(steps(text));
  assert.equal(found.length, 100_000);
  assert.equal(found[99_999], 'we blocked host99999.');
});

test('fields after a label: blanks and a separator between, as before', () => {
  const rec = fields('Source IP address : 10.1.2.3\ndst=10.9.9.9\nsrc port# 5555 and port: 443\nserver:\tweb01.corp\n重要度： 高');
  assert.equal(rec.fields.srcIp?.value, '10.1.2.3');
  assert.equal(rec.fields.dstIp?.value, '10.9.9.9');
  assert.equal(rec.fields.srcPort?.value, '5555');
  assert.equal(rec.fields.dstPort?.value, '443');
  assert.equal(rec.fields.severity?.value, '高');
  assert.deepEqual(rec.assets.map((a) => a.value), ['web01.corp']);
});

test('fields after a label followed by 200,000 blanks and no value', () => {
  const blank = '\n'.repeat(200_000);
  assert.equal(fields(`from${blank}x\nsource: 10.0.0.9`).fields.srcIp?.value, '10.0.0.9');
  assert.equal(fields(`to${blank}x\ndst 10.0.0.7`).fields.dstIp?.value, '10.0.0.7');
  const port = fields(`port${blank}x\nsrc${blank}x\nport 8443`);
  assert.equal(port.fields.dstPort?.value, '8443');
  assert.equal(port.fields.srcPort, undefined);
  assert.deepEqual(fields(`host${blank}-\nhost: web01.corp`).assets.map((a) => a.value), ['web01.corp']);
  assert.equal(fields(`重要度${blank}`).fields.severity, undefined);
  assert.equal(fields(`ユーザー${blank}-\nユーザー： alice`).fields.user?.value, 'alice');
  assert.equal(fields(`from 10.0.0.1${blank}port 22`).fields.dstPort?.value, '22', 'the source is looked for just before `port`');
});

test('host names: 600 kB of dash-joined `host` words without a digit or dot, then a real one', () => {
  const rec = fields('hosta-'.repeat(100_000) + ' host: srv-db-07');
  assert.deepEqual(rec.assets.map((a) => a.value), ['srv-db-07']);
  assert.deepEqual(fields('host ' + 'a1'.repeat(126)).assets.map((a) => a.value), ['a1'.repeat(126)]);
  assert.deepEqual(fields('host ' + 'a1'.repeat(127)).assets, [], 'longer than a DNS name (253) is not a host name');
});

/** A finding as NML writes it to the log store (findingLogLine), the line an operator copies from the evidence search. */
function findingLine(detector: string, entity: string, modelVersion: string, summary: string): string {
  const f: Finding = {
    detector,
    entity,
    score: 0.991,
    threshold: 0.95,
    modelVersion,
    time: Date.parse('2026-12-01T10:14:03Z'),
    explanation: { summary, detail: null },
    evidence: { query: entity, from: 0, to: 0 },
    triage: { status: 'open', note: '', by: null, at: null, reopenedAt: null, assignee: null, assignedAt: null },
    id: 1,
    firstSeen: 0,
    lastSeen: 0,
    count: 1,
    sightedAt: 0,
  };
  return findingLogLine(f, 'nml');
}

/** A pasted SYN finding with the sshd line that shows the source (as the demo's brute force writes it). */
const SYN_PASTE = `${findingLine('syn', 'ip:203.0.113.191', 'syn-2026-11-30b', '412 SYNs, 380 ports, 1 destinations; 13 windows of 32 SYNs, best run of 4: 0.991')}
<38>Dec  1 10:14:05 srv-bastion-01 sshd[68597]: Failed password for root from 203.0.113.191 port 40865 ssh2`;

test('a port after "from <address>" is the source port; a qualifier or a destination still decides', () => {
  const rec = normalizeText(SYN_PASTE);
  assert.equal(rec.fields.srcIp?.value, '203.0.113.191');
  assert.equal(rec.fields.srcPort?.value, '40865');
  assert.equal(rec.fields.dstPort, undefined);
  const both = fields('Connection from 203.0.113.191 port 40865 to 10.0.1.10 port 22');
  assert.deepEqual([both.fields.srcPort?.value, both.fields.dstPort?.value], ['40865', '22']);
  const labelled = fields('Source: 185.220.101.34 port 51234\nDestination: 10.0.1.10 port 22');
  assert.deepEqual([labelled.fields.srcPort?.value, labelled.fields.dstPort?.value], ['51234', '22']);
  assert.equal(fields('from 10.0.0.1 dst port 443').fields.dstPort?.value, '443', 'an explicit qualifier wins');
  assert.equal(fields('traffic from outside port 22').fields.dstPort?.value, '22', 'a word is not an address');
  assert.equal(fields('from host ws-042 to 203.0.113.77 on port 4444').fields.dstPort?.value, '4444');
});

test('a date inside a hyphenated token (a model version) is not a time; a date and time stay one', () => {
  const rec = normalizeText(SYN_PASTE);
  assert.deepEqual(
    rec.times.map((t) => t.value),
    ['2026-12-01T10:14:03.000Z'],
  );
  assert.deepEqual(
    fields('model ngram-2026-11-30-pop-s1, run 2026-11-30_b, seen 2026-11-30, 2026/12/01 08:00:00 and 2026-11-22T08:15:00Z.').times.map((t) => t.value),
    ['2026-11-30', '2026/12/01 08:00:00', '2026-11-22T08:15:00Z'],
  );
});

/** The demo's beacon as the URL finding and its evidence: the PAN-OS URL-filtering line (storylines.ts `beacon`). */
const URL_PASTE = `${findingLine('url', 'url:ocsp-check-upd.icu/update.bin', 'ngram-2026-12-01-pop-s1', 'score 0.991: most suspicious "ocsp-check-upd" (host), "/update.bin" (path), ".icu" (host)')}
<14>Jan  6 08:00:00 fw-pa-01 1,2025/01/06 08:00:00,016401002737,THREAT,url,2561,2025/01/06 08:00:00,192.168.10.49,52.211.108.14,203.0.113.10,52.211.108.14,allow-outbound,corp\\herbert,,web-browsing,vsys1,trust,untrust,ethernet1/2,ethernet1/1,log-fwd,2025/01/06 08:00:00,239009,1,41076,80,55374,80,0x400000,tcp,alert,"ocsp-check-upd.icu/update.bin",(9999),unknown,high,client-to-server,796,0x8000000000000000,10.0.0.0-10.255.255.255,Singapore,,,0,,,0,,,,,,,,0,0,0,0,0,,fw-pa-01,,,,,0,,0,,N/A,command-and-control,AppThreat-8727-8140,0x0,0,4294967295`;

test("a URL finding: its C2 domain and the PAN-OS source user are fields, each pointing at its text", async () => {
  const rec = await normalize(URL_PASTE);
  assert.equal(rec.fields.domain?.value, 'ocsp-check-upd.icu');
  assert.equal(rec.fields.user?.value, 'corp\\herbert');
  assert.equal(rec.fields.url?.value, 'ocsp-check-upd.icu/update.bin');
  for (const f of [rec.fields.domain, rec.fields.user]) assert.equal(textAt(rec, f!.from), f!.value);
  // told in prose: the domain by the same rule, the user by the rule the first action hides accounts with
  const prose = normalizeText('DNS lookups every 60 seconds to update-cdn-check.top from the workstation of alice; billing@paypa1-secure.com sent wp-login.php.');
  assert.equal(prose.fields.domain?.value, 'update-cdn-check.top');
  assert.equal(prose.fields.user?.value, 'alice');
  const none = normalizeText('Mail from billing@paypa1-secure.com about wp-login.php; reset the user\'s password.');
  assert.deepEqual([none.fields.domain, none.fields.user], [undefined, undefined], 'a mail address, a file name and a role are none');
});

test('domain names: 600 kB of dotted labels without a known TLD, then a real one', () => {
  assert.equal(fields('a1.'.repeat(200_000) + 'x update-cdn-check.top').fields.domain?.value, 'update-cdn-check.top');
});

test('an account named with no colon: `User m.ito`, `account svc_backup`; prose after "user" is no account', () => {
  const names = (t: string) => accountsIn(t).map((a) => a.value);
  assert.deepEqual(names('Possible Cobalt Strike. User m.ito.'), ['m.ito']);
  assert.deepEqual(names('One success for account svc_backup at 01:38.'), ['svc_backup']);
  assert.deepEqual(names('user m.ito logged in; account m.ito locked; user corp\\wendy; user k.sato@corp.example.'), ['m.ito', 'm.ito', 'corp\\wendy', 'k.sato@corp.example']);
  assert.deepEqual(names('Reported by the helpdesk. User bob.'), ['bob'], 'a plain name that ends the sentence "User …" starts');
  // after `the user` a verb is prose; a name marked as one (`k.tanaka`) or a short plain one (`fred`) is still an account
  for (const prose of ['the user clicked the link', 'The user opened the attachment and the user reported it', 'the user says it was fine', 'as the user was away'])
    assert.deepEqual(names(prose), [], prose);
  assert.deepEqual(names('the user k.tanaka clicked it; for the user jsmith; the user fred'), ['k.tanaka', 'jsmith', 'fred']);
  for (const prose of ['User agent string unknown.', 'User reported.', 'A user account was locked.', 'C:\\Users\\m.ito\\AppData', 'trying usernames root, admin', 'each user accounts for it.', 'a user clicks here', 'run key HKLM\\Run added', 'dropped to corp\\share.files\\x', '\\\\fs01\\public\\a.doc'])
    assert.deepEqual(names(prose), [], prose);
  // a domain-qualified name with no label is an account (an operator review: "names no account", so no credential reset)
  assert.deepEqual(names('ALERT: host 10.0.2.94 (ws-0029, corp\\adam) beaconing to 185.220.101.47.'), ['corp\\adam']);
  assert.deepEqual(names('Logon by CORP\\svc_backup.'), ['CORP\\svc_backup']);
  assert.deepEqual(names('User: corp\\wendy'), ['corp\\wendy'], 'found once, by its label');
  const rec = normalizeText('EDR alert: host FIN-WS-112 (10.8.1.112) beaconing to 185.220.101.47, loading C:\\Users\\m.ito\\AppData\\Local\\Temp\\upd.dll. User m.ito.');
  assert.equal(rec.fields.user?.value, 'm.ito');
  assert.equal(textAt(rec, rec.fields.user!.from), 'm.ito');
});

test('a host named at the end of a sentence is an asset without the full stop', () => {
  for (const [text, host] of [
    ['Ransomware on the file server fs-02.', 'fs-02'],
    ['Beacon seen from host ws-0231. Isolated it.', 'ws-0231'],
    ['Defaced: server www.example.com.', 'www.example.com'],
  ] as const) {
    const rec = normalizeText(text);
    // until 2026-12 the value was `fs-02.`, and the action told for the report named it so
    assert.deepEqual(rec.assets.map((a) => a.value), [host], text);
    const a = rec.assets[0]!;
    assert.equal(textAt(rec, a.from), host);
  }
});

test('a host named in a sentence: on, host, server or workstation before a name shaped as a host\'s', () => {
  const assets = (text: string) => normalizeText(text).assets.map((a) => a.value);
  // until 2026-12 only `host`/`server` and labels named one: Defender's `… on WS-0231` gave no asset
  assert.deepEqual(assets('Microsoft Defender detected Trojan:Win32/Emotet.A on WS-0231 at 09:12.'), ['WS-0231']);
  assert.deepEqual(assets('the host FS-02 was encrypted'), ['FS-02']);
  assert.deepEqual(assets('Beacons from workstation WIN-7K3J2P and on the laptop fin-ws-112.'), ['WIN-7K3J2P', 'fin-ws-112']);
  assert.deepEqual(assets('Seen on srv-db-07, then on WS-0231; isolated WS-0231.'), ['srv-db-07', 'WS-0231'], 'in the order written, once each');
  const rec = normalizeText('Ransomware ran on FS-02.');
  assert.equal(textAt(rec, rec.assets[0]!.from), 'FS-02', 'the full stop is not the name\'s');
  for (const text of [
    'The alert fired on Monday.',
    'Seen on WS and on the server.',
    'Exploitation of Log4Shell on the server.',
    'It relies on CVE-2021-44228 and ran on Windows-10 and x86-64.',
    'We met on Day-2 of Phase-2, on COVID-19 leave, on Nov-30.',
    'The payload was hosted on cdn.evil.example and on evil.com.',
    'Fixed on T1059-001 per ISO-27001.',
  ]) assert.deepEqual(assets(text), [], text);
  assert.deepEqual(assets('on ws-1' + '-ab1'.repeat(100_000) + ' and on ' + 'on the '.repeat(50_000) + 'WS-0231'), ['WS-0231'], 'a name longer than a DNS name is none; 400 kB read once');
});

test('a dotted host name in a sentence is an asset inside the domains of the report\'s labelled hosts only', () => {
  const assets = (text: string) => normalizeText(text).assets.map((a) => a.value);
  assert.deepEqual(assets('Host: web01.corp.example.org\nLateral movement on db02.corp.example.org; payload on cdn.evil.example.'), ['web01.corp.example.org', 'db02.corp.example.org']);
  assert.deepEqual(assets('server: web01.corp\nthen on fs02.corp'), ['web01.corp', 'fs02.corp'], 'a private suffix is a domain of its own');
  assert.deepEqual(assets('server www.example.com hit; links on evil.com and on cdn.example.net.'), ['www.example.com'], 'a public suffix (com) is no one\'s own domain');
  assert.deepEqual(assets('Host: shop.example.co.uk\nredirects on evil.co.uk'), ['shop.example.co.uk'], 'nor a second-level one (co.uk)');
});

test('severity: a grade word counts only where it grades the incident, not "a high volume of DNS queries"', () => {
  const sev = (text: string): string | undefined => fields(text).fields.severity?.value;
  // until 2026-12 any grade word anywhere was the severity: a burst of DNS queries was a high-severity incident
  assert.equal(sev('a high volume of DNS queries from 10.0.0.5 to a new domain'), undefined);
  assert.equal(sev('high-traffic web server answered slowly; low TTL records'), undefined);
  assert.equal(sev('phishing campaign against critical infrastructure operators'), undefined);
  assert.equal(sev('a medium-sized company lost a laptop; the team was put on high alert'), undefined);
  assert.equal(sev('the actor used a low-and-slow password spray'), undefined);
  // where it grades: a label, a grade before severity/priority or incident/alert, a severity stated in a sentence
  assert.equal(sev('SSH brute force on srv-bastion-01\nSeverity: High'), 'High');
  assert.equal(sev('Priority = critical; a high volume of logins'), 'critical');
  assert.equal(sev('a high volume of DNS queries, raised as a high-severity alert'), 'high');
  assert.equal(sev('EDR raised a critical alert on WS-0231'), 'critical');
  assert.equal(sev('This is a critical incident: ransomware on the file server'), 'critical');
  assert.equal(sev('high volume of DNS queries. The severity is medium.'), 'medium');
  assert.equal(sev('tunnelling suspected; risk level: low'), 'low');
  assert.equal(sev('[HIGH] Suspicious PowerShell on WS-0231'), 'HIGH');
  assert.equal(sev('重要度：高 不審な通信'), '高');
  assert.equal(sev('深刻度: 中'), '中');
  // Japanese puts no space after the grade: until 2026-12 the rest of the sentence was the severity
  assert.equal(sev('重要度が高いアラートです。送信元 10.0.0.5'), '高');
  assert.equal(sev('重要度は中程度です'), '中');
  assert.equal(sev('深刻度「緊急」の通知'), '緊急');
  assert.equal(sev('重要度:高、対応要'), '高');
  assert.equal(sev('重要度: High'), 'High');
  assert.equal(sev('優先度が低下した'), undefined, 'a change of priority, no grade');
  assert.equal(sev('重要度が高まる中'), undefined);
  assert.equal(sev('重要度の判定は保留'), undefined);
  // the label with 200,000 blanks before a word that is no grade: no severity, and no hang
  assert.equal(sev(`severity${' '.repeat(200_000)}x`), undefined);
  assert.equal(sev(`high${' '.repeat(200_000)}x`), undefined);
});
