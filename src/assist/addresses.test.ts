/** Which address of a report is the attacker's and which the victim's: the direction words decide, not the order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressesIn } from './addresses.js';
import { normalize, normalizeText } from './normalize.js';
import { textAt } from './record.js';

/** srcIp, dstIp and the assets a text normalizes to; every address field points at its text. */
function roles(text: string): { src?: string; dst?: string; assets: string[] } {
  const rec = normalizeText(text);
  for (const f of [rec.fields.srcIp, rec.fields.dstIp]) if (f !== undefined) assert.equal(textAt(rec, f.from), f.value);
  return { src: rec.fields.srcIp?.value, dst: rec.fields.dstIp?.value, assets: rec.assets.map((a) => a.value) };
}

test('the SYN-flood finding of the review: the address "against" introduces is the victim (dstIp), no source is invented', () => {
  const r = roles('SYN flood against 10.20.0.80 port 443: 243 sources of 1-2 SYNs scored >= 0.95 since 2026-12-03T15:40:09Z, likely spoofed');
  assert.equal(r.src, undefined);
  assert.equal(r.dst, '10.20.0.80');
  assert.ok(r.assets.includes('10.20.0.80'), 'an internal victim is an asset of the incident');
});

test('each direction word gives its role, whichever address comes first', () => {
  const cases: [string, string | undefined, string | undefined][] = [
    ['Brute force against 10.0.1.10 from 203.0.113.191 over SSH', '203.0.113.191', '10.0.1.10'],
    ['Brute force from 203.0.113.191 against 10.0.1.10 over SSH', '203.0.113.191', '10.0.1.10'],
    ['Scan targeting 198.51.100.20 by 162.142.125.9', '162.142.125.9', '198.51.100.20'],
    ['Beacon to 185.220.101.47 every 60 s, source 10.0.2.57', '10.0.2.57', '185.220.101.47'],
    ['Traffic towards 203.0.113.80 hitting port 80, attacker 45.142.212.61', '45.142.212.61', '203.0.113.80'],
    ['Login attempts on 10.0.1.10 from the host 198.51.100.217.', '198.51.100.217', '10.0.1.10'],
    ['Flood hitting 10.20.0.80 and nothing else', undefined, '10.20.0.80'],
    ['10.20.0.80 was attacked by 198.51.100.3', '198.51.100.3', '10.20.0.80'],
    ['10.20.0.80 under a SYN flood', undefined, '10.20.0.80'],
    ['Source IP address : 10.1.2.3\ndst=10.9.9.9', '10.1.2.3', '10.9.9.9'],
    ['198.51.100.9から10.0.0.5へのSSH総当たり', '198.51.100.9', '10.0.0.5'],
    // no direction word: the first address is the source, as before
    ['10.8.1.112 beaconing to 185.220.101.47', '10.8.1.112', '185.220.101.47'],
  ];
  for (const [text, src, dst] of cases) {
    const r = roles(text);
    assert.deepEqual([r.src, r.dst], [src, dst], text);
  }
});

test('several addresses in one report: a list shares its role, the other targets are assets, a response step adds no role', () => {
  const r = roles('Port scan targeting 203.0.113.5, 203.0.113.6 and 203.0.113.7 from 162.142.125.9 and 162.142.125.10.');
  assert.equal(r.src, '162.142.125.9');
  assert.equal(r.dst, '203.0.113.5');
  assert.ok(r.assets.includes('203.0.113.6') && r.assets.includes('203.0.113.7'), r.assets.join(', '));
  assert.ok(!r.assets.includes('162.142.125.10'), 'a second source is no asset');
  assert.deepEqual(
    addressesIn('from 162.142.125.9 and 162.142.125.10 to 10.0.0.1').map((a) => [a.value, a.role]),
    [['162.142.125.9', 'src'], ['162.142.125.10', 'src'], ['10.0.0.1', 'dst']],
  );
  // the address blocked in the response is the destination named before, not a new source
  const step = roles('Outbound traffic from host ws-042 to 203.0.113.77 on port 4444. We isolated ws-042 from the network and blocked 203.0.113.77 at the firewall.');
  assert.deepEqual([step.src, step.dst], [undefined, '203.0.113.77']);
});

test('IPv6 addresses take roles too, in both orders; times and MAC addresses are no addresses', () => {
  assert.deepEqual(roles('Attacker 2001:db8:5::5a35:c951 hitting 2001:db8:20::80 on port 443 at 15:39:38'), { src: '2001:db8:5::5a35:c951', dst: '2001:db8:20::80', assets: [] });
  const r = roles('SYN flood against 2001:db8:20::80 from fd00::17, first at 12:05:00 UTC, mac aa:bb:cc:dd:ee:ff.');
  assert.deepEqual([r.src, r.dst], ['fd00::17', '2001:db8:20::80']);
  assert.ok(r.assets.includes('fd00::17'), 'a unique-local address is internal');
  assert.deepEqual(addressesIn('at 15:39:38 from aa:bb:cc:dd:ee:ff, entity ip:2001:db8::1.').map((a) => a.value), ['2001:db8::1']);
});

test('a victim named as the user who clicked stays an asset, never a role; an address ending a sentence is read', async () => {
  const r = roles('The user at 10.1.2.3 clicked the link. The payload came from 203.0.113.9.');
  assert.equal(r.src, '203.0.113.9');
  assert.equal(r.dst, undefined);
  assert.ok(r.assets.includes('10.1.2.3'));
  // an alert report's labels still decide before the text
  const rec = await normalize('Event Summary: SYN flood against 10.20.0.80\nSource IP: 198.51.100.23\nDestination IP: 10.20.0.80\nSeverity: high\nProtocol: TCP');
  assert.deepEqual([rec.fields.srcIp?.value, rec.fields.dstIp?.value], ['198.51.100.23', '10.20.0.80']);
});

test('addresses of 400 kB of text are read in one pass, direction words 200,000 blanks away left alone', () => {
  const many = Array.from({ length: 20_000 }, (_, i) => `to 10.${(i >> 8) & 255}.${i & 255}.1`).join(' and ');
  const found = addressesIn(many);
  assert.equal(found.length, 20_000);
  assert.ok(found.every((a) => a.role === 'dst'));
  assert.equal(addressesIn(`from${' '.repeat(200_000)}10.0.0.1`)[0]?.role, null);
});

test('an address given as an example of many takes no role: a flood\'s example sources are not its source', () => {
  // the syn-flood finding's explanation as detect/syn/board-findings.ts writes it
  const flood = 'SYN flood against 10.20.0.80 port 443: 243 sources of 1–2 SYNs scored ≥ 0.95 since 2026-12-03T15:56:51.333Z, none of them a finding of its own (so many, so brief: likely spoofed), e.g. 203.0.113.7 0.991, 198.51.100.4 0.987; the evidence lists every SYN to the port in that time';
  assert.deepEqual(
    addressesIn(flood).map((a) => [a.value, a.example]),
    [['10.20.0.80', false], ['203.0.113.7', true], ['198.51.100.4', true]],
  );
  assert.deepEqual(roles(flood), { src: undefined, dst: '10.20.0.80', assets: ['10.20.0.80'] });
  const cases: [string, string][] = [
    ['SYN flood against 10.20.0.80 from 4,000 sources, e.g. 203.0.113.7 and 198.51.100.4', '10.20.0.80'],
    ['SYN flood against 10.20.0.80 from many sources such as 203.0.113.7', '10.20.0.80'],
    ['Flood on 2001:db8:20::80 from a botnet, for example 2001:db8:5::7', '2001:db8:20::80'],
  ];
  for (const [text, dst] of cases) {
    const r = roles(text);
    assert.deepEqual([r.src, r.dst], [undefined, dst], text);
    assert.ok(!r.assets.some((a) => a.startsWith('203.') || a.startsWith('198.') || a.startsWith('2001:db8:5:')), `no example is an asset: ${text}`);
  }
  // the examples end with their clause, or where a direction word gives an address a role of its own
  assert.deepEqual([roles('Probes from many sources, e.g. 203.0.113.7; then a login from 198.51.100.9').src, roles('Probes from sources such as 203.0.113.7, then a login from 198.51.100.9').src], ['198.51.100.9', '198.51.100.9']);
  assert.equal(roles('Brute force from 203.0.113.9 against 10.0.1.10, including root logins').src, '203.0.113.9', 'an example word after the address says nothing of it');
});

test('a port written on an address is the port of its role: 10.0.0.5:445, [2001:db8::1]:443, an IDS flow with an arrow', () => {
  const cases: [string, (string | undefined)[]][] = [
    ['SMB exploit attempts against 10.0.0.5:445 from 203.0.113.9', ['203.0.113.9', undefined, '10.0.0.5', '445']],
    ['Connections from 203.0.113.9:51544 to 10.0.0.5:445.', ['203.0.113.9', '51544', '10.0.0.5', '445']],
    // Snort/Suricata fast.log: no direction word, the arrow says which end is which
    ['[**] [1:2001219:20] ET SCAN Potential SSH Scan [**] [Priority: 2] {TCP} 203.0.113.9:51544 -> 10.0.0.5:22', ['203.0.113.9', '51544', '10.0.0.5', '22']],
    ['TLS beacon to [2001:db8::1]:443 from fd00::17', ['fd00::17', undefined, '2001:db8::1', '443']],
    ['Brute force from [2001:db8:5::7]:40000 → [fd00::80]:22', ['2001:db8:5::7', '40000', 'fd00::80', '22']],
    // with no source said the first address is the source, and its port the source's, as the report wrote it
    ['10.8.1.112:51544 beaconing to 185.220.101.47:443', ['10.8.1.112', '51544', '185.220.101.47', '443']],
    // a further target's port is not the destination's; a number past 65535 is no port; a URL's port is its server's
    ['Port scan targeting 203.0.113.5:22, 203.0.113.6:23 from 162.142.125.9', ['162.142.125.9', undefined, '203.0.113.5', '22']],
    ['Brute force on 10.0.0.5:99999 from 203.0.113.9', ['203.0.113.9', undefined, '10.0.0.5', undefined]],
    ['The payload came from http://203.0.113.5:8080/x.exe', ['203.0.113.5', undefined, undefined, undefined]],
  ];
  for (const [text, want] of cases) {
    const rec = normalizeText(text);
    const f = rec.fields;
    assert.deepEqual([f.srcIp?.value, f.srcPort?.value, f.dstIp?.value, f.dstPort?.value], want, text);
    for (const x of [f.srcPort, f.dstPort]) if (x !== undefined) assert.equal(textAt(rec, x.from), x.value);
  }
  assert.deepEqual(
    addressesIn('to [2001:db8::1]:443, 10.0.0.5:445 and [fd00::1]').map((a) => [a.value, a.port?.value ?? null, a.role]),
    [['2001:db8::1', '443', 'dst'], ['10.0.0.5', '445', 'dst'], ['fd00::1', null, 'dst']],
  );
});

test("a URL's host address is the server reached, not the source: its port is the destination's; a source said still is one", () => {
  const ports = (text: string) => {
    const rec = normalizeText(text);
    return { src: rec.fields.srcIp?.value, dst: rec.fields.dstIp?.value, srcPort: rec.fields.srcPort?.value, dstPort: rec.fields.dstPort?.value };
  };
  assert.deepEqual(ports('The user downloaded http://203.0.113.5:8080/x.exe and ran it'), { src: undefined, dst: '203.0.113.5', srcPort: undefined, dstPort: '8080' });
  assert.deepEqual(ports('Beacon to https://[2001:db8::7]:8443/gate.php every minute'), { src: undefined, dst: '2001:db8::7', srcPort: undefined, dstPort: '8443' });
  assert.deepEqual(ports('10.0.2.52 fetched http://198.51.100.9/payload.bin'), { src: '10.0.2.52', dst: '198.51.100.9', srcPort: undefined, dstPort: undefined });
  // a role word still decides
  assert.equal(ports('Requests from http://198.51.100.9/ seen by the proxy').src, '198.51.100.9');
});

test('a network is no address: "scan from 203.0.113.0/24" names no source host, and the next address keeps its role', () => {
  assert.deepEqual(roles('Port scan from 203.0.113.0/24 against 10.0.1.10'), { src: undefined, dst: '10.0.1.10', assets: ['10.0.1.10'] });
  const v6 = roles('Beacons from 2001:db8:5::/48 to 2001:db8::80');
  assert.deepEqual([v6.src, v6.dst], [undefined, '2001:db8::80']);
  // a slash that is no prefix length leaves the address as it was
  assert.equal(roles('Login from 198.51.100.7/ssh on 10.0.1.10').src, '198.51.100.7');
});

test('"of" after a scan, a sweep, a probe or a flood names the target; after any other word ("a list of", "one of") it names none', () => {
  const cases: [string, string | undefined, string | undefined][] = [
    ['SYN scan of fd00::80 from 10.0.0.5', '10.0.0.5', 'fd00::80'],
    ['Port scan of 10.0.1.10 by 162.142.125.9', '162.142.125.9', '10.0.1.10'],
    ['A ping sweep of the host 10.0.1.10 from 203.0.113.4', '203.0.113.4', '10.0.1.10'],
    ['SYN flood of 10.20.0.80 port 443', undefined, '10.20.0.80'],
    // no target: the first address with no role is the source, as before
    ['One of 10.0.0.7 and 10.0.0.8 beaconed', '10.0.0.7', undefined],
    ['A list of 203.0.113.4, 203.0.113.5 was blocked', '203.0.113.4', undefined],
  ];
  for (const [text, src, dst] of cases) {
    const r = roles(text);
    assert.deepEqual([r.src, r.dst], [src, dst], text);
  }
  assert.deepEqual(
    addressesIn('a list of 10.0.0.7, one of 10.0.0.8, the IP of 10.0.0.9, scans of 10.0.0.10').map((a) => [a.value, a.role]),
    [['10.0.0.7', null], ['10.0.0.8', null], ['10.0.0.9', null], ['10.0.0.10', 'dst']],
  );
});

test('an IPv6 address with a port: "[v6]:443" and "v6 port 443" are address and port; a bare "fd00::80:443" stays one address', () => {
  const ports = (text: string) => {
    const rec = normalizeText(text);
    const f = rec.fields;
    for (const x of [f.srcIp, f.dstIp, f.srcPort, f.dstPort]) if (x !== undefined) assert.equal(textAt(rec, x.from), x.value);
    return [f.srcIp?.value, f.srcPort?.value, f.dstIp?.value, f.dstPort?.value];
  };
  const cases: [string, (string | undefined)[]][] = [
    ['SYN flood against [2001:db8::1]:443', [undefined, undefined, '2001:db8::1', '443']],
    ['SYN flood against 2001:db8::1 port 443', [undefined, undefined, '2001:db8::1', '443']],
    // a bare address ending in a group is a valid IPv6 address (fd00::80:443 is fd00::80:0443): it is not cut
    ['SYN flood against fd00::80:443', [undefined, undefined, 'fd00::80:443', undefined]],
    ['Brute force from [2001:db8::5]:51234 against [2001:db8::1]:22', ['2001:db8::5', '51234', '2001:db8::1', '22']],
    ['Brute force from 2001:db8::5 port 51234 against 2001:db8::1 port 22', ['2001:db8::5', '51234', '2001:db8::1', '22']],
    // the port after a bracketed source is the source's (it was the destination's)
    ['Brute force from [2001:db8::5] port 51234 to [2001:db8::1] port 22', ['2001:db8::5', '51234', '2001:db8::1', '22']],
    // an arrow after the port makes it the source's, as it makes the address before it the source
    ['SSH 2001:db8::5 port 51234 -> 2001:db8::1 port 22', ['2001:db8::5', '51234', '2001:db8::1', '22']],
  ];
  for (const [text, want] of cases) assert.deepEqual(ports(text), want, text);
  assert.deepEqual(
    addressesIn('to [2001:db8::1]:443 and fd00::80:443').map((a) => [a.value, a.port?.value ?? null]),
    [['2001:db8::1', '443'], ['fd00::80:443', null]],
  );
});

test('the reporter\'s own machine ("my workstation is WS-0231 (10.20.4.31)") is an asset, not the source', () => {
  for (const text of [
    'I clicked the link and entered my password. My workstation is WS-0231 (10.20.4.31). Please advise.',
    'My laptop IP is 10.20.4.31; I opened the attachment.',
    'my pc: 10.20.4.31',
  ]) {
    const r = roles(text);
    // until 2026-12 the only address without a role was made the source: the phished user's machine, the attacker
    assert.equal(r.src, undefined, text);
    assert.ok(r.assets.includes('10.20.4.31'), text);
  }
  // "the attacking host is …" is still a source, not a victim
  assert.equal(roles('The attacking host is 203.0.113.9.').src, '203.0.113.9');
});
