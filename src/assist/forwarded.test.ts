/** Forwarded messages (Gmail, Outlook, Apple Mail) are read as the original message: its subject, time, fields and hosts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesDir } from '../cli/testing.js';
import { parseForwardedDate } from './mail-date.js';
import { normalize } from './normalize.js';
import { textAt, type IncidentRecord } from './record.js';

const DIR = fixturesDir('assist');

async function read(file: string): Promise<IncidentRecord> {
  const rec = await normalize(readFileSync(join(DIR, file)));
  for (const f of [...Object.values(rec.fields), ...rec.assets, ...rec.times, ...rec.steps]) if (f !== undefined && f !== rec.fields.category) assert.equal(textAt(rec, f.from), f.value);
  return rec;
}

test("Gmail's forward: the original's subject, its time (in the forwarder's zone), its fields and its device; its header lines are no extra fields", async () => {
  const rec = await read('forward-gmail.eml');
  assert.equal(rec.format, 'email');
  assert.equal(rec.fields.summary?.value, 'Suspicious activity on WS-0231');
  assert.equal(rec.fields.summary?.from.part, 'message[0].subject', "the original's subject, not the forward's Fwd: one");
  // Sat, Nov 21, 2026 at 3:14 AM, written in the forwarder's +0900
  assert.deepEqual(
    rec.times.map((t) => t.value),
    ['2026-11-20T18:14:00.000Z', '2026-11-23T01:05:12.000Z'],
  );
  assert.ok(
    rec.assets.some((a) => a.value === 'WS-0231'),
    JSON.stringify(rec.assets),
  );
  assert.equal(rec.fields.srcIp?.value, '10.20.31.7');
  assert.equal(rec.fields.user?.value, 'k.tanaka');
  for (const k of ['From', 'Date', 'Subject', 'To']) assert.equal(rec.extra[k], undefined, `no extra ${k}`);
  assert.equal(rec.parts['message[1].text']?.trim(), 'Please take a look, this came in over the weekend.', "the forwarder's own words");
  // the original's response is read as a lone message's
  assert.equal(rec.fields.firstAction?.value, 'The process was blocked and the device isolated.');
});

test("Outlook's forward (FW:, -----Original Message-----, Sent:) is read; a reply's quoted original is not a message of its own", async () => {
  const rec = await read('forward-outlook.eml');
  assert.equal(rec.fields.summary?.value, 'Firewall alert - outbound connection to known C2');
  assert.equal(rec.fields.threatName?.value, 'Cobalt Strike beacon');
  assert.equal(rec.fields.dstIp?.value, '198.51.100.7');
  assert.equal(rec.times[0]?.value, '2026-11-23T14:52:00.000Z');
  assert.equal(rec.extra.Sent, undefined);
  // the same block under RE: quotes what the thread holds already: masked as before
  const reply = readFileSync(join(DIR, 'forward-outlook.eml'), 'utf8').replace('Subject: FW:', 'Subject: RE:');
  const r = await normalize(reply);
  assert.equal(r.parts['message[1].text'], undefined);
  assert.equal(r.fields.threatName, undefined, "a reply's quoted original is not read");
});

test("Apple Mail's forward (Begin forwarded message:) with its zone", async () => {
  const rec = await read('forward-apple.eml');
  assert.equal(rec.fields.summary?.value, 'Unusual sign-in activity');
  assert.equal(rec.times[0]?.value, '2026-11-24T10:41:09.000Z');
  assert.equal(rec.fields.srcIp?.value, '203.0.113.99');
  assert.equal(rec.extra.From, undefined);
});

test('a forwarded date as clients write it; none when it is no date', () => {
  const jst = 540;
  assert.equal(parseForwardedDate('Sat, Nov 21, 2026 at 3:14 AM', jst), Date.UTC(2026, 10, 20, 18, 14));
  assert.equal(parseForwardedDate('Sat, Nov 21, 2026 at 12:05 PM', 0), Date.UTC(2026, 10, 21, 12, 5));
  assert.equal(parseForwardedDate('Sat, Nov 21, 2026 at 12:05 AM', 0), Date.UTC(2026, 10, 21, 0, 5));
  assert.equal(parseForwardedDate('November 24, 2026 at 7:41:09 PM GMT+9', 0), Date.UTC(2026, 10, 24, 10, 41, 9));
  assert.equal(parseForwardedDate('Monday, November 23, 2026 11:52 PM', jst), Date.UTC(2026, 10, 23, 14, 52));
  assert.equal(parseForwardedDate('2026年11月21日(土) 3:14', jst), Date.UTC(2026, 10, 20, 18, 14));
  assert.equal(parseForwardedDate('Sat, 21 Nov 2026 03:14:00 +0100', jst), Date.UTC(2026, 10, 21, 2, 14), 'an RFC date keeps its own zone');
  assert.equal(parseForwardedDate('Sat, Nov 21, 2026 at 13:14 PM', 0), null);
  assert.equal(parseForwardedDate('last Saturday', 0), null);
});

test('a forward whose date is unreadable keeps its place before the forward and says so', async () => {
  const mail = readFileSync(join(DIR, 'forward-gmail.eml'), 'utf8').replace('Date: Sat, Nov 21, 2026 at 3:14 AM', 'Date: sometime on Saturday');
  const rec = await normalize(mail);
  assert.equal(rec.fields.summary?.value, 'Suspicious activity on WS-0231');
  assert.deepEqual(
    rec.times.map((t) => t.value),
    ['2026-11-23T01:05:12.000Z'],
  );
  assert.match(rec.warnings?.[0] ?? '', /the message forwarded in message 1: its Date line "sometime on Saturday" is not a date/);
});

test("the forwarder's labels above the forwarded block are read after the original's: they fill what it left", async () => {
  const mail = [
    'From: soc-lead@corp.example',
    'To: oncall@corp.example',
    'Subject: Fwd: Suspicious PowerShell',
    'Date: Mon, 07 Dec 2026 02:10:00 +0000',
    'Content-Type: text/plain',
    '',
    'Priority: critical',
    'Owner: alice',
    'Ticket: INC-4411',
    'Source IP: 10.9.9.9',
    '',
    '---------- Forwarded message ---------',
    'From: Defender <alerts@defender.example>',
    'Date: Mon, Dec 7, 2026 at 1:55 AM',
    'Subject: Suspicious PowerShell',
    'To: <soc@corp.example>',
    '',
    'Source IP: 10.0.2.94',
    'Defender detected suspicious PowerShell on host WS-0231.',
    '',
  ].join('\r\n');
  const rec = await normalize(Buffer.from(mail));
  for (const f of [...Object.values(rec.fields), ...Object.values(rec.extra)]) if (f !== undefined && f !== rec.fields.category) assert.equal(textAt(rec, f.from), f.value);
  assert.equal(rec.extra.Ticket?.value, 'INC-4411');
  assert.equal(rec.extra.Owner?.value, 'alice');
  assert.equal(rec.extra.Ticket?.from.part, 'message[1].text', "the forwarder's message");
  assert.equal(rec.fields.severity?.value, 'critical');
  assert.equal(rec.fields.srcIp?.value, '10.0.2.94', "the original's own field wins");
});
