/** Review findings of 2026-12: binary input, negated keywords, phishing without the word, defanged links, protocol, zones. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../core/index.js';
import { Assistant } from './assistant.js';
import { classify } from './categories.js';
import { IncidentBase } from './incident-base.js';
import { normalize } from './normalize.js';
import { textAt } from './record.js';

const PHISH = `Incident report: the user at 10.20.30.40 clicked the link and entered her credentials.
Authentication-Results: mx.example.net; spf=fail smtp.mailfrom=paypal.com; dmarc=fail
Reply-To: support@paypa1-security.com (a look-alike Reply-To)
Link (via redirect https://urldefense.example.com/v2/url?u=x): hxxps://secure-paypa1[.]com/signin?id=7
Log in on hxxps://secure-paypa1[.]com/signin now
`;

test('binary input is refused by normalize itself, whatever the caller', async () => {
  const noise = Buffer.concat([Buffer.from('SsH R.co malware '), randomBytes(300_000)]);
  await assert.rejects(normalize(noise), (e: unknown) => isAppError(e) && e.code === 'ASSIST_NOT_TEXT');
  await assert.rejects(normalize(' \n'), (e: unknown) => isAppError(e) && e.code === 'ASSIST_NO_INPUT');
});

test('a negated keyword does not count for its category', () => {
  assert.equal(classify('This is not phishing, it is a false positive… No malware found.'), null);
  assert.equal(classify('このメールはフィッシングではありません。'), null);
  assert.equal(classify('調査の結果、マルウェア感染なし。'), null);
  assert.equal(classify('Phishing was ruled out.'), null);
  // not negated: a negation of something else, or of the false positive
  assert.equal(classify('Not phishing but malware dropped by a macro.')?.category, 'malware');
  assert.equal(classify('No one noticed the ransomware until Monday.')?.category, 'ransomware');
  assert.equal(classify('Confirmed, not a false positive: phishing.')?.category, 'phishing');
  // "benign" rules a keyword out only when the alert is called so, not a benign-looking file
  assert.equal(classify('A benign-looking attachment installed ransomware on the file server.')?.category, 'ransomware');
  assert.equal(classify('The phishing alert was benign: a training campaign.'), null);
});

test('a false positive report gets no phishing advice', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-review-'));
  const base = new IncidentBase(join(dir, 'incidents.db'));
  try {
    const a = await new Assistant({ base }).analyze('This is not phishing, it is a false positive… No malware found.');
    assert.equal(a.record.fields.category, undefined);
    assert.doesNotMatch(a.suggestion.action, /Purge the mail/);
  } finally {
    base.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('credential harvesting is phishing without the word; defanged indicators are the ones extracted', async () => {
  assert.equal(classify('The user clicked the link and entered her credentials on the page.')?.category, 'phishing');
  assert.equal(classify('spf=fail; the mail links to https://a.example/x')?.category, 'phishing');
  assert.equal(classify('spf=fail and nothing else'), null);
  const rec = await normalize(PHISH, 'alert');
  assert.equal(rec.fields.category?.value, 'phishing');
  assert.equal(rec.fields.domain?.value, 'secure-paypa1.com');
  assert.equal(rec.fields.url?.value, 'https://secure-paypa1.com/signin?id=7');
  // the pointer spans the indicator as written
  assert.equal(textAt(rec, rec.fields.url!.from), 'hxxps://secure-paypa1[.]com/signin?id=7');
  assert.equal(textAt(rec, rec.fields.domain!.from), 'secure-paypa1[.]com');
  assert.ok(!Object.keys(rec.extra).some((k) => /hxxps?$/i.test(k)), Object.keys(rec.extra).join(', '));
  // the address of the user who clicked is the victim's, not the attack's source
  assert.equal(rec.fields.srcIp, undefined);
  assert.ok(rec.assets.some((a) => a.value === '10.20.30.40'));
  assert.notEqual(rec.fields.protocol?.value.toLowerCase(), 'smtp', 'smtp.mailfrom names no protocol');
});

test('a protocol the report states wins over a link scheme', async () => {
  const rec = await normalize('Ransomware encrypted FS-01; the attack came over SMB from 198.51.100.7. The note says pay at http://abcd1234.onion/pay.');
  assert.equal(rec.fields.protocol?.value, 'SMB');
  const link = await normalize('Ransomware note: pay at http://abcd1234.onion/pay.');
  assert.equal(link.fields.protocol?.value, 'http', 'with no statement the scheme is all there is');
});

test('times keep their zone as written', async () => {
  const rec = await normalize('Detected 2026-11-10 03:05 UTC, again 2026-11-10 12:05 JST and 2026年11月10日 12:05 (UTC+9).');
  assert.deepEqual(rec.times.map((t) => t.value), ['2026-11-10 03:05 UTC', '2026-11-10 12:05 JST', '2026年11月10日 12:05 (UTC+9)']);
  for (const t of rec.times) assert.equal(textAt(rec, t.from), t.value);
});

test('an unsaved analysis id can be asked about; an unknown id names what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-review-'));
  const base = new IncidentBase(join(dir, 'incidents.db'));
  try {
    const assistant = new Assistant({ base });
    const a = await assistant.analyze('SSH brute force from 203.0.113.9 against web-01');
    assert.equal(base.count(), 0, 'not saved');
    assert.equal(assistant.get(a.incident.id).id, a.incident.id);
    const chat = await assistant.chat(a.incident.id, [{ role: 'user', content: 'what is this?' }]);
    assert.ok(chat.answer.length > 0);
    assert.throws(() => assistant.get('report:0000'), (e: unknown) => isAppError(e) && e.code === 'ASSIST_INCIDENT_NOT_FOUND' && !/assist list/.test(e.message) && /save/.test(e.message));
  } finally {
    base.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('credential dumping is account compromise: Mimikatz, an lsass dump, pass-the-hash; negated, it is none', async () => {
  // until 2026-12 these got the 'other' playbook ("scope the incident"), nothing about the exposed credentials
  const cat = (text: string) => classify(text)?.category ?? null;
  assert.equal(cat('EDR blocked HackTool:Win32/Mimikatz!pz on srv-db-07'), 'account-compromise');
  assert.equal(cat('Sysmon: lsass memory was dumped by rundll32 comsvcs.dll MiniDump on WS-0231'), 'account-compromise');
  assert.equal(cat('procdump -ma lsass.exe ran from C:\\Temp on srv-db-07'), 'account-compromise');
  assert.equal(cat('logons from 10.0.0.5 to six servers with one NTLM hash: pass-the-hash'), 'account-compromise');
  assert.equal(cat('the actor dumped domain credentials with DCSync'), 'account-compromise');
  assert.equal(cat('ntds.dit copied from the domain controller'), 'account-compromise');
  assert.equal(cat('DC01で認証情報の窃取（クレデンシャルダンプ）を検知'), 'account-compromise');
  // a malware infection that also dumped credentials keeps the malware playbook (the first rule that matches decides)
  assert.equal(cat('Emotet trojan on WS-0231 dumped lsass memory'), 'malware');
  // negated, or lsass named without a dump
  assert.equal(cat('no evidence of Mimikatz on srv-db-07'), null);
  assert.equal(cat('Mimikatz was not found on the host.'), null);
  assert.equal(cat('lsass was not dumped: the EDR blocked the handle request'), null);
  assert.equal(cat('lsass memory was not dumped'), null);
  assert.equal(cat('Pass-the-hash was ruled out.'), null);
  assert.equal(cat('DC01で認証情報の窃取は確認されませんでした。'), null);
  assert.equal(cat('lsass.exe crashed after the update'), null);
  const dir = mkdtempSync(join(tmpdir(), 'nml-assist-creds-'));
  const base = new IncidentBase(join(dir, 'incidents.db'));
  try {
    const a = await new Assistant({ base }).analyze('Microsoft Defender for Endpoint: EDR blocked HackTool:Win32/Mimikatz!pz on srv-db-07');
    assert.equal(a.record.fields.category?.value, 'account-compromise');
    assert.equal(a.record.fields.threatName?.value, 'HackTool:Win32/Mimikatz!pz');
    assert.equal(a.suggestion.playbook?.category, 'account-compromise');
    // a dump exposes every account that logged on to the host, not only the one the alert names
    assert.match(a.suggestion.action, /reset the compromised accounts \(where credentials were dumped on a host: every account that logged on to it\)/i);
  } finally {
    base.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
