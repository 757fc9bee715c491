/** Live capture from an interface through tcpdump: refused names, a missing program, a missing device, and real SYNs on loopback. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { isAppError } from '../../core/index.js';
import { captureInterface, knownInterfaces } from './interface-capture.js';
import { closedLoopbackPort, knock, liveCaptureSkip } from './testing.js';
import type { SynPacket } from './types.js';

const hasTcpdump = spawnSync('tcpdump', ['--version']).status === 0;
const noLive = liveCaptureSkip();

test('an interface name that is not one is refused before anything runs', () => {
  for (const bad of ['', 'eth0; rm -rf /', '-i', 'a'.repeat(80), 'eth 0']) {
    assert.throws(
      () => captureInterface({ iface: bad, onSyns: () => {} }),
      (e: unknown) => isAppError(e) && e.code === 'SYN_CAPTURE_INTERFACE',
      bad,
    );
  }
});

test('without tcpdump the capture fails with what to install', async () => {
  const cap = captureInterface({ iface: 'lo', tcpdump: '/nonexistent/tcpdump', onSyns: () => {} });
  await assert.rejects(cap.done, (e: unknown) => isAppError(e) && e.code === 'SYN_CAPTURE_UNAVAILABLE' && /apt-get install tcpdump/.test(e.message));
});

test('an interface this machine does not have is refused before anything runs, with the ones it has', { skip: knownInterfaces() === null ? 'no /sys/class/net here' : false }, () => {
  const have = knownInterfaces()!;
  assert.ok(have.includes('lo'), have.join(', '));
  assert.throws(
    () => captureInterface({ iface: 'nmlnosuch0', tcpdump: '/nonexistent/tcpdump', onSyns: () => {} }),
    (e: unknown) => isAppError(e) && e.code === 'SYN_CAPTURE_INTERFACE' && e.kind === 'bad_request' && /no network interface nmlnosuch0; it has .*\blo\b.*\(or any: all of them\)/.test(e.message),
  );
  // libpcap's own names are no kernel interface and are left to tcpdump (here: the program is missing)
  for (const iface of ['any', 'nflog', 'usbmon0', '2']) {
    assert.doesNotThrow(() => captureInterface({ iface, tcpdump: '/nonexistent/tcpdump', onSyns: () => {} }).done.catch(() => undefined), iface);
  }
});

test('where interfaces cannot be listed, tcpdump says the interface does not exist and the error carries it', { skip: hasTcpdump ? false : 'tcpdump is not installed (apt-get install tcpdump)' }, async () => {
  const cap = captureInterface({ iface: 'nmlnosuch0', sysNet: '/nonexistent/sys/class/net', onSyns: () => {} });
  await assert.rejects(cap.done, (e: unknown) => isAppError(e) && e.code === 'SYN_CAPTURE_FAILED' && /nmlnosuch0/.test(e.message));
});

test('SYNs sent on loopback arrive as they are sent, with their header fields', { skip: noLive }, async () => {
  const port = await closedLoopbackPort();
  const got: SynPacket[] = [];
  let listening!: () => void;
  const ready = new Promise<void>((r) => (listening = r));
  const cap = captureInterface({ iface: 'lo', onSyns: (s) => got.push(...s), onListening: () => listening() });
  try {
    await Promise.race([ready, cap.done.then(() => Promise.reject(new Error('tcpdump ended before listening')))]);
    await knock(port, 3);
    const deadline = Date.now() + 5000;
    while (got.filter((s) => s.dport === port).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  } finally {
    cap.stop();
  }
  const stats = await cap.done;
  const mine = got.filter((s) => s.dport === port);
  assert.equal(mine.length, 3, `SYNs to port ${port}: ${mine.length} of ${got.length} captured`);
  for (const s of mine) {
    assert.equal(s.src, '127.0.0.1');
    assert.equal(s.dst, '127.0.0.1');
    assert.equal(s.v, 4);
    assert.ok(s.win > 0 && s.mss > 0, 'window and MSS of the Linux stack');
    assert.ok(Math.abs(s.t / 1000 - Date.now()) < 60_000, 'capture time is now (µs)');
  }
  assert.equal(new Set(mine.map((s) => s.sport)).size, 3, 'three connections');
  assert.ok(stats.syns >= 3 && stats.format === 'pcap');
});
