/** E-mail threads: dates read from the raw header, attachments read, quoted text masked both ways. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskQuoted, normalizeEmail, threadOrder } from './email.js';
import { parseMailDate } from './mail-date.js';
import { normalize } from './normalize.js';
import { textAt, type IncidentRecord } from './record.js';

const crlf = (s: string) => Buffer.from(s.replace(/\n/g, '\r\n'));

function pointersHold(rec: IncidentRecord): void {
  for (const f of [...Object.values(rec.fields), ...rec.times, ...rec.steps, ...rec.assets]) if (f !== undefined && rec.fields.category !== f) assert.equal(textAt(rec, f.from), f.value);
}

test('a Date header that is no date is no date: the alert stays message[0], the reply gives the steps, no invented time', async () => {
  const mbox = `From siem@example.com Fri Nov 20 03:15:00 2026
From: siem@example.com
To: soc@example.com
Subject: SSH brute force on web-01
Date: Freitag, 20.11.2026 03:15
Content-Type: text/plain

Event Summary: SSH Brute Force Attempt
Source IP: 203.0.113.45
Destination IP: 10.1.2.15

From oncall@example.com Fri Nov 20 03:40:00 2026
From: oncall@example.com
To: soc@example.com
Subject: Re: SSH brute force on web-01
Date: Fri, 20 Nov 2026 03:40:00 +0900
Content-Type: text/plain

We blocked 203.0.113.45 at the firewall.
Result: no successful login.
`;
  const rec = await normalizeEmail(Buffer.from(mbox));
  assert.equal(rec.parts['message[0].subject'], 'SSH brute force on web-01');
  assert.equal(rec.fields.summary?.value, 'SSH Brute Force Attempt');
  assert.equal(rec.fields.firstAction?.value, 'We blocked 203.0.113.45 at the firewall.');
  assert.equal(rec.parts['message[0].date'], undefined);
  assert.deepEqual(
    rec.times.map((t) => t.value),
    ['2026-11-19T18:40:00.000Z'],
  );
  assert.match(rec.warnings?.[0] ?? '', /message 1: the Date header "Freitag, 20\.11\.2026 03:15" is not a date/);
  pointersHold(rec);
});

test('a SIEM-written numeric date with a zone is read, so the alert sorts before a reply written in the other order', async () => {
  const mbox = `From a Fri Nov 20 03:40:00 2026
From: oncall@example.com
Subject: Re: alert
Date: Fri, 20 Nov 2026 03:40:00 +0900

We blocked 203.0.113.45 at the firewall.

From b Fri Nov 20 03:15:00 2026
From: siem@example.com
Subject: alert
Date: 2026/11/20 03:15:00 JST

Event Summary: SSH Brute Force Attempt
`;
  const rec = await normalizeEmail(Buffer.from(mbox));
  assert.equal(rec.parts['message[0].subject'], 'alert');
  assert.equal(rec.parts['message[0].date'], '2026-11-19T18:15:00.000Z');
});

test('parseMailDate: RFC 5322 and its obsolete forms; anything out of range is null, never the current time', () => {
  assert.equal(parseMailDate('Sat, 21 Nov 2026 01:11:00 +0000'), Date.UTC(2026, 10, 21, 1, 11));
  assert.equal(parseMailDate('21 Nov 26 01:11 GMT'), Date.UTC(2026, 10, 21, 1, 11));
  assert.equal(parseMailDate('Fri, 20 Nov 2026 03:15:00 +0900 (JST)'), Date.UTC(2026, 10, 19, 18, 15));
  assert.equal(parseMailDate('Fri, 20 Nov 2026 03:15:00 EST'), Date.UTC(2026, 10, 20, 8, 15));
  assert.equal(parseMailDate('2026-11-20T03:15:00Z'), Date.UTC(2026, 10, 20, 3, 15));
  for (const bad of ['garbage', '', '0', 'Mon, 32 Foo 2024 99:99:99 +9999', 'Sat, 31 Feb 2026 01:00:00 +0000', 'Sat, 21 Nov 275760 01:11:00 +0000', 'Tue, 1 Jan 100000 00:00:00 +0000', 'Fri, 20 Nov 2026 25:00:00 +0000', '2026-11-20 03:15:00', '2026/11/20 03:15:00 XYZ']) {
    assert.equal(parseMailDate(bad), null, bad);
  }
});

test('threadOrder: dated messages in time order in the dated places, undated ones keep theirs, whatever the mix', () => {
  const m = (index: number, date: number | null) => ({ index, date });
  const order = (xs: { index: number; date: number | null }[]) => threadOrder(xs).map((x) => x.index);
  assert.deepEqual(order([m(0, null), m(1, 5), m(2, 1)]), [0, 2, 1]);
  assert.deepEqual(order([m(0, 9), m(1, null), m(2, 1), m(3, 5)]), [2, 1, 3, 0]);
  assert.deepEqual(order([m(0, 3), m(1, 3), m(2, null)]), [0, 1, 2]);
});

test('an alert forwarded as an attachment (message/rfc822) is read as the first message; a PDF is named in a warning', async () => {
  const rec = await normalizeEmail(
    crlf(`From: analyst@example.com
To: soc@example.com
Subject: Fwd: alert
Date: Sat, 21 Nov 2026 01:11:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain; charset=UTF-8

see attached

--outer
Content-Type: message/rfc822

From: siem@example.com
To: soc@example.com
Subject: SSH brute force on web-01
Content-Type: text/plain

Event Summary: SSH Brute Force Attempt
Source IP: 203.0.113.9
Destination IP: 10.0.0.5
Destination Port: 22
--outer
Content-Type: application/pdf; name="report.pdf"
Content-Disposition: attachment; filename="report.pdf"
Content-Transfer-Encoding: base64

JVBERi0=
--outer--
`),
  );
  // undated, the attached message keeps its place before the message that carries it
  assert.equal(rec.parts['message[0].subject'], 'SSH brute force on web-01');
  assert.equal(rec.fields.srcIp?.value, '203.0.113.9');
  assert.equal(rec.fields.dstPort?.value, '22');
  assert.equal(rec.fields.srcIp?.from.part, 'message[0].text');
  assert.deepEqual(rec.warnings, ['message 1: attachment "report.pdf" (application/pdf) skipped: not text']);
  pointersHold(rec);
});

test('an alert attached as a text file is read as a part labelled with the attachment and its file name', async () => {
  const rec = await normalizeEmail(
    crlf(`From: a@example.com
To: b@example.com
Subject: SIEM export
Date: Sat, 21 Nov 2026 01:11:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="o"

--o
Content-Type: text/plain; charset=utf-8

Please see the attached alert.
--o
Content-Type: text/plain; charset=utf-8; name="alert.txt"
Content-Disposition: attachment; filename="alert.txt"

Event Summary: SSH Brute Force Attempt
Source IP: 203.0.113.9
Destination IP: 10.0.0.5
--o--
`),
  );
  assert.equal(rec.fields.summary?.value, 'SSH Brute Force Attempt');
  assert.equal(rec.fields.srcIp?.from.part, 'message[0].attachment[0]');
  assert.equal(rec.parts['message[0].attachment[0].name'], 'alert.txt');
  assert.equal(rec.warnings, undefined);
  pointersHold(rec);
});

/** A one-message alert mail: a body and a text attachment, each naming a threat. */
function bodyAndAttachment(body: string, name: string, attached: string): Buffer {
  return crlf(`From: EDR <alerts@edr.example.net>
To: soc@example.co.jp
Subject: Defender alert
Date: Sat, 21 Nov 2026 03:14:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="o"

--o
Content-Type: text/plain; charset=utf-8

${body}
--o
Content-Type: text/plain; charset=utf-8; name="${name}"
Content-Disposition: attachment; filename="${name}"

${attached}
--o--
`);
}

test("the threat of a mail whose parts name different ones: the body's (a label, then one named in a sentence), then an attachment's, then a summary standing for one", async () => {
  const threat = async (body: string, name: string, attached: string) => (await normalizeEmail(bodyAndAttachment(body, name, attached))).fields.threatName;
  // the body that describes the alert names it in a sentence; an attached older alert labels another: until 2026-12 the label won
  const prose = await threat('Microsoft Defender detected Trojan:Win32/Emotet.A on WS-0231 at 03:10 UTC.', 'previous-alert.txt', 'Threat Name: HackTool:Win32/Mimikatz!pz\nHost: WS-0199');
  assert.deepEqual([prose?.value, prose?.from.part], ['Trojan:Win32/Emotet.A', 'message[0].text']);
  // a label in the body wins over the attachment's label and over a name in the body's sentences
  const label = await threat('Threat Name: Backdoor:MSIL/Bladabindi\nDefender also saw Trojan:Win32/Emotet.A earlier.', 'x.txt', 'Threat Name: HackTool:Win32/Mimikatz!pz');
  assert.equal(label?.value, 'Backdoor:MSIL/Bladabindi');
  // a file name is no threat name; the attachment's text names one when the body names none
  const named = await threat('Please see the attached export.', 'HackTool-Win32-Mimikatz.txt', 'Threat Name: Ransom:Win32/LockBit.A');
  assert.deepEqual([named?.value, named?.from.part], ['Ransom:Win32/LockBit.A', 'message[0].attachment[0]']);
  // a body summary that says "attempt" stands for the threat only when no part names one: until 2026-12 it beat the attachment's label
  const report = 'Event Summary: Exploit attempt against web-01\nSource IP: 198.51.100.7\nDestination IP: 10.0.0.80';
  assert.equal((await threat(report, 'export.txt', 'Threat Name: Apache Struts2 RCE (CVE-2017-5638)'))?.value, 'Apache Struts2 RCE (CVE-2017-5638)');
  assert.equal((await threat(report, 'edr.txt', 'Defender detected Exploit:Java/CVE-2012-1723 on web-01'))?.value, 'Exploit:Java/CVE-2012-1723');
  assert.equal((await threat(report, 'notes.txt', 'nothing more to add'))?.value, 'Exploit attempt against web-01');
  // a quoted older alert in a reply's body is masked, whatever it names
  const quoted = await normalizeEmail(
    crlf(`From: EDR <alerts@edr.example.net>\nTo: soc@example.co.jp\nSubject: Re: Defender alert\nDate: Sat, 21 Nov 2026 03:14:00 +0000\nContent-Type: text/plain\n\nMicrosoft Defender detected Trojan:Win32/Emotet.A on WS-0231.\n\nOn Fri, Nov 20, 2026 at 9:00 AM EDR <alerts@edr.example.net> wrote:\n> Threat Name: HackTool:Win32/Mimikatz!pz\n`),
  );
  assert.equal(quoted.fields.threatName?.value, 'Trojan:Win32/Emotet.A');
});

const THREAD_HEAD = `From siem@example.com Fri Nov 20 03:15:00 2026
From: siem@example.com
Subject: SSH brute force on web-01
Date: Fri, 20 Nov 2026 03:15:00 +0900

Event Summary: SSH Brute Force Attempt
Source IP: 203.0.113.45
The first 40 attempts were blocked by the IPS; later ones were not.

From oncall@example.com Fri Nov 20 03:40:00 2026
From: oncall@example.com
Subject: Re: SSH brute force on web-01
Date: Fri, 20 Nov 2026 03:40:00 +0900

`;

test('a bottom-posted reply: the attribution line and its > block are masked, the operator’s text below is read', async () => {
  const rec = await normalizeEmail(
    Buffer.from(`${THREAD_HEAD}On Fri, Nov 20, 2026 at 03:15 SIEM <siem@example.com> wrote:
> Event Summary: SSH Brute Force Attempt
> Source IP: 203.0.113.45

We blocked 203.0.113.45 at the firewall and reset the root password.
`),
  );
  assert.equal(rec.fields.firstAction?.value, 'We blocked 203.0.113.45 at the firewall and reset the root password.');
  assert.equal(rec.fields.firstAction?.from.part, 'message[1].text');
  // an attribution line with no > block after it starts the unquoted original: the rest is masked
  const masked = maskQuoted('Done.\nOn Fri, Nov 20, 2026 SIEM wrote:\n\nWe blocked it.\n');
  assert.equal(masked.trim(), 'Done.');
  assert.equal(masked.length, 'Done.\nOn Fri, Nov 20, 2026 SIEM wrote:\n\nWe blocked it.\n'.length);
});

test('Outlook’s rule line and From/Sent/To/Subject block (English and Japanese) start the quoted original of a reply', async () => {
  const rec = await normalizeEmail(
    Buffer.from(`${THREAD_HEAD}Looking into it now, will report back.

________________________________
From: siem@example.com
Sent: Friday, November 20, 2026 3:15 AM
To: soc@example.com
Subject: SSH brute force on web-01

Event Summary: SSH Brute Force Attempt
The first 40 attempts were blocked by the IPS; later ones were not.
`),
  );
  assert.equal(rec.fields.firstAction, undefined);
  assert.ok(!rec.steps.some((s) => s.from.part === 'message[1].text'));
  const ja = '了解です。\n\n差出人: siem@example.jp\n送信日時: 2026年11月20日 3:15\n宛先: soc@example.jp\n件名: アラート\n\n隔離しました。\n';
  assert.equal(maskQuoted(ja).trim(), '了解です。');
  assert.equal(maskQuoted('ok\n-----元のメッセージ-----\nx\n').trim(), 'ok');
  // the first message keeps what follows the block: that is how Outlook forwards the alert itself
  const fwd = 'FYI\n________________________________\nFrom: siem@example.com\nSent: Friday\nSubject: alert\n\nSource IP: 203.0.113.9\n';
  assert.match(maskQuoted(fwd, false), /Source IP: 203\.0\.113\.9/);
});

/** A mail copied out of a mail client: its Subject and From lines, then the text with no blank line between (review, 2026-12). */
const PASTED = `Subject: Suspicious email
From: helpdesk@corp.example
User k.sato (workstation 10.20.3.44) reported an email from "Microsoft 365" <no-reply@m365-verify-login.com> asking to re-validate the mailbox. She clicked the link https://m365-verify-login.com/owa/auth and typed her password.`;

test('a pasted mail with no blank line after its headers keeps its text: the headers end where non-header text starts', async () => {
  for (const input of [PASTED, crlf(PASTED)]) {
    const rec = await normalize(input);
    assert.equal(rec.format, 'email');
    assert.equal(rec.parts['message[0].subject'], 'Suspicious email');
    assert.match(rec.parts['message[0].text'] ?? '', /^User k\.sato \(workstation 10\.20\.3\.44\) reported/);
    assert.equal(rec.fields.domain?.value, 'm365-verify-login.com');
    assert.equal(rec.fields.user?.value, 'k.sato');
    pointersHold(rec);
  }
  // the same with the blank line reads alike; a body line shaped like a label (`Summary:`) is text, not a header
  const blank = await normalize(PASTED.replace('corp.example\n', 'corp.example\n\n'));
  assert.equal(blank.parts['message[0].text']?.trim(), (await normalize(PASTED)).parts['message[0].text']?.trim());
  const labelled = await normalize('Subject: SSH brute force\nFrom: siem@corp.example\nSummary: 4,000 failed logins\nSource: 203.0.113.77\n');
  assert.match(labelled.parts['message[0].text'] ?? '', /^Summary: 4,000 failed logins\nSource: 203\.0\.113\.77/);
  assert.equal(labelled.fields.srcIp?.value, '203.0.113.77');
});

test('asked for an e-mail, a text with no header line first is refused, not read as one empty message; a minimal message and an mbox pass', async () => {
  for (const text of ['x', 'SSH brute force from 203.0.113.9\n\nSubject: later', '\n\n  just words']) {
    await assert.rejects(normalize(text, 'email'), (e: Error & { code?: string }) => e.code === 'ASSIST_EMAIL_INVALID' && /not an e-mail: it does not start with a header line/.test(e.message), JSON.stringify(text));
  }
  const minimal = await normalize('Subject: SSH brute force on web-01\n\nFrom 203.0.113.9 since 02:00', 'email');
  assert.equal(minimal.format, 'email');
  assert.ok(Object.values(minimal.parts).some((t) => t.includes('203.0.113.9')), JSON.stringify(minimal.parts));
  const mbox = await normalize('From alert@example.com Thu Nov 20 02:00:00 2026\nSubject: alert\n\nbody\n', 'email');
  assert.equal(mbox.format, 'email');
});
