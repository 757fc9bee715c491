/** What a chat question about hosts or logons is about when the question names an address that is none, or the incident's URL has no host. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answer, badAddressIn, subjectOf, type ChatContext } from './chat.js';
import type { Incident } from './incident.js';

const NOW = Date.UTC(2026, 11, 6);
const withUrl = (url: string) => ({ id: 'report:1', record: { fields: { url: { value: url } } } }) as unknown as Incident;
const ctx = (incident: Incident | null): ChatContext => ({ incident, similar: [], suggestion: null, logs: null, now: NOW });

test('an address the question writes that is none is said so, not answered for the incident\'s own subject', async () => {
  assert.match(badAddressIn('which hosts talked to 999.1.1.1?') ?? '', /^999\.1\.1\.1 is not an IPv4 address: 999 is over 255/);
  assert.match(badAddressIn('which other hosts talked to 1.2.3.4/33') ?? '', /^1\.2\.3\.4\/33 is not an IPv4 network: a prefix is \/0 to \/32/);
  for (const fine of ['which hosts talked to 10.0.0.1?', 'hosts in 10.0.0.0/8', 'version 1.2.3.4.5 of the agent', 'what is this?']) assert.equal(badAddressIn(fine), null, fine);
  // the incident names a host; the question an address that is none: the answer is about the question
  const incident = withUrl('evil.example/wp-login.php');
  for (const q of ['which other hosts talked to 999.1.1.1?', 'was any login from 300.2.3.4 successful?']) {
    const a = await answer([{ role: 'user', content: q }], ctx(incident));
    assert.match(a.answer, /is not an IPv4 address: \d+ is over 255/, q);
    assert.deepEqual(a.citations, []);
  }
});

test("an incident's URL without a host (a PAN-OS URL cell of a file name) is no subject to pivot on", () => {
  assert.equal(subjectOf('which hosts talked to it?', withUrl('wp-login.php')), null);
  assert.equal(subjectOf('which hosts talked to it?', withUrl('evil.example/wp-login.php')), 'evil.example');
  assert.equal(subjectOf('which hosts talked to it?', withUrl('http://evil.example/x')), 'evil.example');
});

test("an incident that names a site only as its record's domain (an e-mail's phishing link) is asked about that site, not told it has none", async () => {
  const phish = { id: 'report:2', record: { fields: { domain: { value: 'paypal.com.secure-login.verify-account.xyz' }, user: { value: 'corp\\andrea' } } } } as unknown as Incident;
  assert.equal(subjectOf('which other hosts talked to this IP?', phish), 'paypal.com.secure-login.verify-account.xyz');
  const a = await answer([{ role: 'user', content: 'which other hosts talked to this IP?' }], ctx(phish));
  assert.doesNotMatch(a.answer, /^Which address or site\?/);
  assert.match(a.answer, /paypal\.com\.secure-login\.verify-account\.xyz/);
  const withBoth = { id: 'report:3', record: { fields: { url: { value: 'http://evil.example/x' }, domain: { value: 'other.example' } } } } as unknown as Incident;
  assert.equal(subjectOf('which hosts talked to it?', withBoth), 'evil.example', "the URL's host first");
});
