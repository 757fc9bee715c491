import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createGenerator } from './generator.js';

/** Each message family, by what its lines look like; every one must show up in a 100k sample. */
const FAMILIES: Record<string, RegExp> = {
  'sshd accepted': /sshd.* Accepted (password|publickey) for \S+ from \S+ port \d+ ssh2/,
  'sshd failed password': /sshd.* Failed password for (invalid user )?\S+ from \S+ port \d+ ssh2$/,
  'sshd invalid user': /sshd.* Invalid user \S+ from \S+ port \d+$/,
  'sshd disconnected': /sshd.* Disconnected from (user|authenticating user) \S+ \S+ port \d+/,
  'pam session opened': /pam_unix\(sshd:session\): session opened for user \S+\(uid=\d+\) by \(uid=0\)/,
  sudo: /sudo.* : TTY=pts\/\d ; PWD=\S+ ; USER=root ; COMMAND=/,
  iptables: /kernel.*\] (IPTABLES-DROP|FW-ACCEPT): IN=\S* OUT=\S* MAC=(\w\w:){13}\w\w SRC=\S+ DST=\S+ LEN=\d+ .*PROTO=(TCP|UDP) SPT=\d+ DPT=\d+/,
  nftables: /kernel.*\] nft-[a-z-]+: IN=\S* OUT=\S* MAC=\S+ SRC=\S+ DST=\S+ .*PROTO=TCP SPT=\d+ DPT=\d+ .*SYN/,
  'bind query': /named.* client @0x[0-9a-f]+ [\d.]+#\d+ \((\S+)\): query: \1 IN [A-Z]+ \+\S* \([\d.]+\)$/,
  'dnsmasq query': /dnsmasq.* query\[A\] \S+ from [\d.]+$/,
  'dnsmasq reply': /dnsmasq.* reply \S+ is [\d.]+$/,
  'dhcp discover': /dhcpd.* DHCPDISCOVER from ([0-9a-f]{2}:){5}[0-9a-f]{2} \(ws-\d{4}\) via \S+$/,
  'dhcp offer': /dhcpd.* DHCPOFFER on [\d.]+ to /,
  'dhcp request': /dhcpd.* DHCPREQUEST for [\d.]+ /,
  'dhcp ack': /dhcpd.* DHCPACK on [\d.]+ to ([0-9a-f]{2}:){5}[0-9a-f]{2} \(ws-\d{4}\) via \S+$/,
  'nginx access': /nginx.* [\d.]+ - \S+ \[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "(GET|POST) \S+ HTTP\/1\.1" \d{3} \d+ "[^"]*" "[^"]+"$/,
  'apache access': /apache2.* [\d.]+ - - \[[^\]]+\] "(GET|POST) \S+ HTTP\/1\.1" \d{3} \d+ "[^"]*" "[^"]+"$/,
  'pan-os traffic': /fw-pa-01 1,\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d,\d+,TRAFFIC,(end|deny),2561,/,
  'pan-os threat': /fw-pa-01 1,[^,]+,\d+,THREAT,(vulnerability|spyware|virus),2561,.*,"[^"]*",[^,]+\(\d+\),/,
  'wordpress brute force': /,THREAT,vulnerability,.*,"wp-login\.php",WordPress Login Brute Force Attempt\(40044\),.*,critical,client-to-server,/,
  kernel: /kernel.*\[\s*\d+\.\d{6}\] (TCP|perf|EXT4|audit|e1000e|nf_conntrack|Out of memory|usb|device)/,
  cron: /CRON\S* .*\(\S+\) CMD \(/,
  systemd: /systemd\S* .*(Started Session \d+ of User \S+\.|Starting .*\.\.\.|Deactivated successfully\.|Finished .*\.)$/,
};

test('every message family appears in a 100k sample', () => {
  const lines = createGenerator({ seed: 5 }).fill(100_000);
  const counts: Record<string, number> = {};
  for (const [name, re] of Object.entries(FAMILIES)) counts[name] = lines.filter((l) => re.test(l)).length;
  const missing = Object.entries(counts).filter(([, n]) => n === 0).map(([name]) => name);
  assert.deepEqual(missing, [], `missing families; counts ${JSON.stringify(counts)}`);
});

test('lines cross-reference: lookups precede connections, leases and user mapping are stable', () => {
  const lines = createGenerator({ seed: 9 }).fill(100_000);
  const lookedUp = new Set<string>();
  let accepts = 0;
  let afterLookup = 0;
  const leaseOf = new Map<string, string>();
  const userOf = new Map<string, string>();
  for (const line of lines) {
    const q = /client @0x\w+ ([\d.]+)#|query\[A\] \S+ from ([\d.]+)/.exec(line);
    if (q !== null) lookedUp.add(q[1] ?? q[2]!);
    const fw = /ACCEPT: IN=eth\d OUT=eth0 .* SRC=([\d.]+) /.exec(line) ?? /accept: IN=eth\d OUT=eth0 .* SRC=([\d.]+) /.exec(line);
    if (fw !== null) {
      accepts++;
      if (lookedUp.has(fw[1]!)) afterLookup++;
    }
    const ack = /DHCPACK on ([\d.]+) to (\S+) /.exec(line);
    if (ack !== null) {
      assert.equal(leaseOf.get(ack[2]!) ?? ack[1], ack[1], `mac ${ack[2]} leased two addresses`);
      leaseOf.set(ack[2]!, ack[1]!);
    }
    const pan = /,TRAFFIC,end,2561,[^,]+,([\d.]+),[^,]+,[^,]+,[^,]+,allow-outbound,(corp\\\w+),/.exec(line);
    if (pan !== null) {
      assert.equal(userOf.get(pan[1]!) ?? pan[2], pan[2], `address ${pan[1]} mapped to two users`);
      userOf.set(pan[1]!, pan[2]!);
    }
  }
  assert.ok(accepts > 1000 && afterLookup / accepts > 0.99, `${afterLookup} of ${accepts} connections followed a lookup`);
  assert.ok(leaseOf.size > 50 && userOf.size > 50);
});

test('storylines leave something to find: a brute force, a beacon, a scanner', () => {
  const lines = createGenerator({ seed: 2 }).fill(200_000);
  const failuresBySource = new Map<string, number>();
  for (const line of lines) {
    const m = /Failed password for .* from ([\d.]+) port/.exec(line);
    if (m !== null) failuresBySource.set(m[1]!, (failuresBySource.get(m[1]!) ?? 0) + 1);
  }
  assert.ok(Math.max(...failuresBySource.values()) >= 100, 'no source brute-forces ssh');
  assert.ok(lines.some((l) => /Suspicious DNS Query/.test(l)), 'no command-and-control threat');
  assert.ok(lines.some((l) => /query: \S+\.(top|xyz|click|info|biz|cyou|rest|icu) IN/.test(l)), 'no lookup of a bad domain');
  const scanned = new Map<string, Set<string>>();
  for (const line of lines) {
    const m = /DROP: IN=eth0 .* SRC=([\d.]+) .* DPT=(\d+)/.exec(line);
    if (m !== null) scanned.set(m[1]!, (scanned.get(m[1]!) ?? new Set()).add(m[2]!));
  }
  assert.ok(Math.max(...[...scanned.values()].map((s) => s.size)) >= 20, 'no source scans many ports');
});
