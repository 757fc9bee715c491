/** `nml serve --syn-pcap`: the node replays a capture into the SYN board; the API lists its hosts and a scanner becomes a finding. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { startNode } from '../../src/node.js';
import { generateSyntheticSyns } from '../../src/detect/index.js';
import { LINKTYPE } from '../../src/detect/syn/decode.js';
import { frame, synIpPacket, writePcapng } from '../../src/detect/syn/pcap-writer.js';
import { api, eventually, tempDir, testConfig, tokenOf } from './helpers.js';

test('serve --syn-pcap: hosts of the replayed capture are listed, the scanner is recorded as a finding', async () => {
  const tmp = tempDir('nml-e2e-syn-');
  const all = generateSyntheticSyns(21, 1);
  const scanner = all.find((h) => h.tool === 'masscan')!;
  const hosts = [scanner, ...all.filter((h) => h.tool === 'benign-browsing').slice(0, 2)];
  // every host starts at the same instant, so that none is evicted as idle (10 min) before the others end
  const t0 = 1_700_000_000_000_000;
  const syns = hosts.flatMap((h) => h.syns.slice(0, 60).map((s) => ({ ...s, t: s.t - h.syns[0]!.t + t0 }))).sort((a, b) => a.t - b.t);
  const file = join(tmp.dir, 'replay.pcapng');
  writeFileSync(file, writePcapng([{ linktype: LINKTYPE.ETHERNET, tsresol: 9 }], syns.map((s) => ({ t: s.t, frame: frame(synIpPacket(s), LINKTYPE.ETHERNET) }))));
  const node = await startNode(testConfig(tmp.dir, { syn: { pcap: file, speed: 0 } }), pino({ level: 'silent' }));
  try {
    const base = node.httpUrl!;
    const token = tokenOf(tmp.dir);
    type Hosts = { hosts: { ip: string; packets: number; score: number }[] };
    await eventually(async () => (await api<Hosts>(base, token, '/api/detect/syn/hosts')).body.hosts.length === hosts.length, 20_000, 'every host on the board');
    const listed = (await api<Hosts>(base, token, '/api/detect/syn/hosts?sort=score')).body.hosts;
    assert.equal(listed[0]!.ip, scanner.ip, 'the scanner is on top');
    assert.equal(listed.reduce((a, h) => a + h.packets, 0), syns.length);
    const one = await api<{ image: { pixels: number[] } }>(base, token, `/api/detect/syn/hosts/${scanner.ip}`);
    assert.equal(one.status, 200);
    await eventually(async () => (await api<{ findings: { entity: string }[] }>(base, token, '/api/findings?detector=syn')).body.findings.some((f) => f.entity === `ip:${scanner.ip}`), 20_000, 'a finding for the scanner');
  } finally {
    await node.stop();
    tmp.cleanup();
  }
});
