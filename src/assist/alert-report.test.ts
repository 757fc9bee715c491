/** Alert reports: labelled address and port values are the address or port, not the rest of the line. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeReport, proseKey } from './alert-report.js';
import { normalize } from './normalize.js';
import { textAt } from './record.js';

test('Source IP: 198.51.100.23 (RU) is the address alone, its pointer on just that; a value with no address is skipped', () => {
  const rec = normalizeReport('Event Summary: WordPress Login Brute Force Attempt\nSource IP: 198.51.100.23 (RU)\nSource Port: 51234/tcp\nDestination IP: [10.0.0.80]:443\nDestination Port: 80 (http)\n');
  const v = (n: 'srcIp' | 'dstIp' | 'srcPort' | 'dstPort') => rec.fields[n]?.value;
  assert.deepEqual([v('srcIp'), v('srcPort'), v('dstIp'), v('dstPort')], ['198.51.100.23', '51234', '10.0.0.80', '80']);
  for (const n of ['srcIp', 'srcPort', 'dstIp', 'dstPort'] as const) assert.equal(textAt(rec, rec.fields[n]!.from), v(n));
  const v6 = normalizeReport('Source IP: 2001:db8::1, Germany\nDestination IP: ::ffff:10.0.0.5 inside\n');
  assert.equal(v6.fields.srcIp?.value, '2001:db8::1');
  assert.equal(v6.fields.dstIp?.value, '::ffff:10.0.0.5');
  const none = normalizeReport('Event Summary: x\nSource IP: unknown (RU)\nSource Port: any\nDestination IP: internal\nDestination Port: n/a\n');
  assert.deepEqual([none.fields.srcIp, none.fields.srcPort, none.fields.dstIp, none.fields.dstPort], [undefined, undefined, undefined, undefined]);
});

test('two Event Detail blocks: the first vendor line is the panos part, and every field read from it points inside it (fuzz seed 5700)', () => {
  const rec = normalizeReport('Event Detail:\nEvent Detail:\n,THREAT,');
  const panos = rec.parts.panos;
  assert.ok(panos !== undefined);
  for (const f of [...Object.values(rec.fields), ...Object.values(rec.extra)]) {
    if (f === undefined) continue;
    assert.ok(f.from.end <= rec.parts[f.from.part]!.length, JSON.stringify(f));
    assert.equal(textAt(rec, f.from).trim(), f.value.trim(), JSON.stringify(f));
  }
  assert.equal(rec.fields.vendorClassification?.value, 'THREAT');
});

test('a sentence with a colon in it is prose, not an extra field; a label-like key stays one', () => {
  const report = [
    'Event Summary: Emotet on a workstation',
    'Severity: High',
    'Threat ID: 1234',
    'Device name: WS-0231',
    'Last logged on user: corp\\bob',
    'Action taken: quarantined',
    'Tool: Nmap/7.94',
    'Microsoft Defender detected Trojan:Win32/Emotet.A on WS-0231 at 09:12.',
    'Backdoor:MSIL/Bladabindi.AJ',
    'The alert fired at: 09:12',
    'EDR flagged the process: rundll32.exe',
    'Sentinel detected Suspicious PowerShell: encoded command',
  ].join('\n');
  const rec = normalizeReport(report);
  // until 2026-12 every line here was an extra field, `Microsoft Defender detected Trojan` = `Win32/Emotet.A on WS-0231 at 09:12.`
  assert.deepEqual(Object.keys(rec.extra).sort(), ['Action taken', 'Device name', 'Last logged on user', 'Threat ID', 'Tool']);
  assert.equal(rec.extra['Threat ID']?.value, '1234');
  assert.equal(textAt(rec, rec.extra['Threat ID']!.from), '1234');
  assert.equal(rec.extra.Tool?.value, 'Nmap/7.94', 'a slash in a value is no malware name unless its platform is one');
});

test('proseKey: the key and the value decide', () => {
  for (const [key, value] of [
    ['Microsoft Defender detected Trojan', 'Win32/Emotet.A on WS-0231'],
    ['Trojan', 'Win32/Emotet.A'],
    ['Blocked Ransom', 'Win64/LockBit.B'],
    ['Found TrojanDownloader', 'O97M/Donoff'],
    ['We found the following', 'two hosts'],
    ['Analyst notes that the user clicked the link and', 'then'],
    ['Defender blocked the', 'file'],
  ] as const) assert.equal(proseKey(key, value), true, `${key}: ${value}`);
  for (const [key, value] of [
    ['Threat ID', '1234'],
    ['Threat', 'Trojan'],
    ['Trojan', 'Emotet'],
    ['Detected By', 'Defender'],
    ['Date detected', '2026-12-01'],
    ['Files encrypted', '312'],
    ['Last logged on user', 'bob'],
    ['Source IP Geolocation', 'RU'],
    ['User-Agent', 'curl/8.0'],
    ['Affected Host Name', 'WS-1'],
  ] as const) assert.equal(proseKey(key, value), false, `${key}: ${value}`);
});

test("a malware named in Microsoft's scheme in a sentence is the threat when no label names one; a labelled threat name wins", async () => {
  const prose = 'Event Summary: Exploit attempt on a workstation\nSeverity: High\nMicrosoft Defender detected Trojan:Win32/Emotet.A on WS-0231 at 09:12.\nAction taken: quarantined\n';
  const rec = normalizeReport(prose);
  // until 2026-12 the record had no threat name here (and the summary, which says `Exploit`, stood in for one)
  assert.equal(rec.fields.threatName?.value, 'Trojan:Win32/Emotet.A');
  assert.equal(textAt(rec, rec.fields.threatName!.from), 'Trojan:Win32/Emotet.A');
  const labelled = normalizeReport(`Threat Name: Emotet loader\n${prose}`);
  assert.equal(labelled.fields.threatName?.value, 'Emotet loader');
  // plain text and an e-mail read the sentence too; suffixes and variants are the name's, a full stop is not
  for (const [text, name] of [
    ['Defender quarantined TrojanDownloader:O97M/Emotet.AK!MTB from the mail of j.doe.', 'TrojanDownloader:O97M/Emotet.AK!MTB'],
    ['EDR blocked HackTool:Win32/Mimikatz!pz on srv-db-07', 'HackTool:Win32/Mimikatz!pz'],
    ['we saw Ransom:Win64/LockBit.', 'Ransom:Win64/LockBit'],
    ['Exploit:Java/CVE-2012-1723 was found in a cached applet', 'Exploit:Java/CVE-2012-1723'],
  ] as const) assert.equal((await normalize(text, 'text')).fields.threatName?.value, name, text);
  // no platform of Microsoft's list, or not the type as written: no name
  for (const text of ['Tool: Nmap/7.94 scanned the subnet', 'the trojan:win32/emotet sample', 'see Worm:Foo/Bar']) assert.equal((await normalize(text, 'text')).fields.threatName, undefined, text);
});
