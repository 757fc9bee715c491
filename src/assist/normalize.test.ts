/** Golden fixtures per input format; every field points at the text it came from. Set UPDATE_GOLDEN=1 to rewrite. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalize, normalizeText } from './normalize.js';
import { textAt, type IncidentRecord } from './record.js';
import { SCALAR_FIELDS } from './record-view.js';
import { allCategories, classify } from './categories.js';
import { fixturesDir } from '../cli/testing.js';

const DIR = fixturesDir('assist');
const FIXTURES: [string, string][] = [
  ['seed-verbatim.txt', 'alert'],
  ['alert.eml', 'email'],
  ['thread-ja.mbox', 'email'],
  ['vcdb-record.json', 'json'],
  ['plain.txt', 'text'],
  ['forward-gmail.eml', 'email'],
  ['forward-outlook.eml', 'email'],
  ['forward-apple.eml', 'email'],
];

/** The comparable part of a record: values and pointers, not the decoded parts. */
function golden(rec: IncidentRecord): unknown {
  const f = (x: { value: string; from: { part: string; start: number; end: number } }) => [x.value, `${x.from.part}:${x.from.start}-${x.from.end}`];
  return {
    format: rec.format,
    fields: Object.fromEntries(SCALAR_FIELDS.filter((n) => rec.fields[n] !== undefined).map((n) => [n, f(rec.fields[n] as never)])),
    assets: rec.assets.map(f),
    times: rec.times.map(f),
    steps: rec.steps.map(f),
    extra: Object.fromEntries(Object.entries(rec.extra).map(([k, v]) => [k, f(v)])),
  };
}

/** Every pointer leads to its value (a category points at the keyword or field that decided it). */
function assertPointers(rec: IncidentRecord): void {
  const all = [...Object.entries(rec.fields), ...rec.assets.map((x) => ['asset', x] as const), ...rec.times.map((x) => ['time', x] as const), ...rec.steps.map((x) => ['step', x] as const)];
  for (const [name, field] of all) {
    if (field === undefined) continue;
    assert.ok(rec.parts[field.from.part] !== undefined, `${name}: part ${field.from.part} exists`);
    const at = textAt(rec, field.from);
    if (name === 'category') assert.ok(at.length > 0 && (classify(at)?.category === field.value || rec.format === 'json'), `category points at its keyword: ${at}`);
    else assert.equal(at, field.value, `${name} points at its text`);
  }
}

for (const [file, format] of FIXTURES) {
  test(`golden: ${file}`, async () => {
    const rec = await normalize(readFileSync(join(DIR, file)));
    assert.equal(rec.format, format);
    assertPointers(rec);
    const path = join(DIR, 'golden', `${file}.json`);
    const got = golden(rec);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) writeFileSync(path, JSON.stringify(got, null, 2) + '\n');
    assert.deepEqual(got, JSON.parse(readFileSync(path, 'utf8')));
  });
}

test('the seed example report: every field it shows is extracted', async () => {
  const rec = await normalize(readFileSync(join(DIR, 'seed-verbatim.txt')));
  const v = Object.fromEntries(Object.entries(rec.fields).map(([k, f]) => [k, f?.value]));
  assert.deepEqual(
    {
      eventId: v.eventId,
      summary: v.summary,
      occurrenceCount: v.occurrenceCount,
      srcIp: v.srcIp,
      srcPort: v.srcPort,
      dstIp: v.dstIp,
      dstPort: v.dstPort,
      geolocation: v.geolocation,
      direction: v.direction,
      protocol: v.protocol,
      deviceAction: v.deviceAction,
      cvss: v.cvss,
      vendorClassification: v.vendorClassification,
      severity: v.severity,
      threatName: v.threatName,
      url: v.url,
      category: v.category,
    },
    {
      eventId: 'xxxxxxxxxxxxxxx',
      summary: 'WordPress Login Brute Force Attempt',
      occurrenceCount: '7',
      srcIp: '192.0.2.xxx',
      srcPort: 'aaaaa',
      dstIp: '10.0.0.yyy',
      dstPort: '80',
      geolocation: 'Somewhere, USA',
      direction: 'OUTGOING',
      protocol: 'TCP',
      deviceAction: 'Not Blocked',
      cvss: '-1',
      vendorClassification: 'THREAT,vulnerability',
      severity: 'critical',
      threatName: 'WordPress Login Brute Force Attempt',
      url: 'wp-login.php',
      category: 'brute-force',
    },
  );
  assert.deepEqual(rec.times.map((t) => t.value), ['2018-11-xx at 01:10:xx', '2018/11/xx 01:10:xx']);
  assert.equal(rec.extra['Threat ID']?.value, '40044');
  assert.equal(rec.extra['PAN-OS category']?.value, 'educational-institutions');
  assert.match(rec.extra['Event Detail']?.value ?? '', /THREAT,vulnerability.*client-to-server/s);
});

test('a complete PAN-OS threat line is read by the documented column order', async () => {
  const line =
    '<14>Nov 21 01:10:44 fw01 1,2026/11/21 01:10:44,012801000001,THREAT,vulnerability,2049,2026/11/21 01:10:44,198.51.100.23,10.0.0.80,0.0.0.0,0.0.0.0,allow-web,,,web-browsing,vsys1,untrust,trust,ethernet1/1,ethernet1/2,log-fwd,,123456,1,51234,80,0,0,0x80000000,tcp,alert,"wp-login.php",WordPress Login Brute Force Attempt(40044),educational-institutions,critical,client-to-server,7001,0x2000000000000000,United States,10.0.0.0-10.255.255.255,0,,0,,,0,,,,,,,,0,0,0,0,0,,fw01,';
  const rec = await normalize(`Event Detail:\n${line}\n`, 'alert');
  const v = Object.fromEntries(Object.entries(rec.fields).map(([k, f]) => [k, f?.value]));
  assert.equal(v.srcIp, '198.51.100.23');
  assert.equal(v.dstIp, '10.0.0.80');
  assert.equal(v.srcPort, '51234');
  assert.equal(v.dstPort, '80');
  assert.equal(v.protocol, 'tcp');
  assert.equal(v.deviceAction, 'alert');
  assert.equal(v.url, 'wp-login.php');
  assert.equal(v.threatName, 'WordPress Login Brute Force Attempt(40044)');
  assert.equal(v.severity, 'critical');
  assert.equal(v.direction, 'client-to-server');
  assert.equal(v.application, 'web-browsing');
  assertPointers(rec);
});

test('an e-mail thread: alert from the first message, response steps from the replies (Japanese encodings)', async () => {
  const rec = await normalize(readFileSync(join(DIR, 'thread-ja.mbox')));
  assert.equal(rec.fields.summary?.value, 'SSH Brute Force Attempt');
  assert.equal(rec.fields.srcIp?.value, '203.0.113.45');
  assert.equal(rec.fields.dstPort?.value, '22');
  assert.match(rec.fields.firstAction?.value ?? '', /隔離/);
  assert.equal(rec.fields.firstAction?.from.part, 'message[1].text');
  assert.match(rec.fields.countermeasure?.value ?? '', /公開鍵認証/);
  assert.match(rec.fields.outcome?.value ?? '', /侵入の痕跡はありませんでした/);
  // the quoted original in the reply is not read again as a reply's content
  assert.ok(!rec.steps.some((s) => s.value.startsWith('>')));
  assert.match(rec.parts['message[0].subject'] ?? '', /アラート/);
});

test('category keywords match whole words: "Source:", "brute force", "resource" and "AWS EC2" name no web attack or malware', () => {
  assert.equal(classify('Source: 203.0.113.9\nDestination: 10.0.0.5\nPersonal data of 2,000 customers exposed')?.category, 'data-breach');
  assert.equal(classify('Source: 162.142.125.9 probed every public address')?.category, 'scan');
  assert.deepEqual(allCategories('SSH brute force from 203.0.113.9 (source) on an AWS EC2 instance'), ['brute-force']);
  assert.equal(classify('RCE in the VPN appliance (remote code execution)')?.category, 'web-attack');
  assert.equal(classify('beacon to its C2 server')?.category, 'malware');
  assert.deepEqual(allCategories('the dispatcher of the call centre'), []);
  assert.equal(classify('servers left unpatched for a year')?.category, 'vulnerability');
});

test('a summary taken from the first line leaves out its own label, and points at the words it keeps', () => {
  const text = 'Event Summary: SSH brute force on the bastion\nSource: 203.0.113.9\n';
  const s = normalizeText(text).fields.summary!;
  assert.equal(s.value, 'SSH brute force on the bastion');
  assert.equal(text.slice(s.from.start, s.from.end), s.value);
  // a label alone says nothing: the next line that says something is the summary
  assert.equal(normalizeText('Summary:\nfiles encrypted on srv-file-01').fields.summary?.value, 'files encrypted on srv-file-01');
  assert.equal(normalizeText('0.973\n\nopen\n▾\nurl\nevil.example/x\nscore 0.973: most suspicious').fields.summary?.value, 'score 0.973: most suspicious', 'a score, a status, a URL alone are skipped');
  assert.equal(normalizeText('0.973\n42').fields.summary?.value, '0.973', 'with no line that says something, the first line');
  assert.equal(normalizeText('Ransom note found on srv-file-01\nmore text').fields.summary?.value, 'Ransom note found on srv-file-01');
});
