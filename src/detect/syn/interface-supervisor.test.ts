/** The supervised live capture: started again when tcpdump exits, its state told; a first start that fails is an error. Runs a stand-in tcpdump (a node script), so no capture rights are needed. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAppError } from '../../core/index.js';
import { superviseCapture } from './interface-supervisor.js';
import { LINKTYPE } from './decode.js';
import { frame, synIpPacket, writePcap } from './pcap-writer.js';
import { generateSynthetic } from './synth.js';
import type { BoardSource } from './board-types.js';
import type { SynPacket } from './types.js';

/** A stand-in tcpdump: `refuse` says there is no such device; else it listens, writes `syns` and exits after 200 ms the first time, and stays the next. */
function fakeTcpdump(dir: string, mode: 'refuse' | 'die-once', syns: readonly SynPacket[]): string {
  const pcap = join(dir, 'syns.pcap');
  writeFileSync(pcap, writePcap(syns.map((s) => ({ t: s.t, frame: frame(synIpPacket(s), LINKTYPE.ETHERNET) })), { linktype: LINKTYPE.ETHERNET }));
  const program = join(dir, 'tcpdump');
  const runs = join(dir, 'runs');
  writeFileSync(
    program,
    `#!${process.execPath}
const fs = require('node:fs');
const n = Number(fs.existsSync(${JSON.stringify(runs)}) ? fs.readFileSync(${JSON.stringify(runs)}, 'utf8') : '0') + 1;
fs.writeFileSync(${JSON.stringify(runs)}, String(n));
if (${JSON.stringify(mode)} === 'refuse') { process.stderr.write('tcpdump: fake0: No such device exists\\n'); process.exit(1); }
process.on('SIGTERM', () => process.exit(0));
process.stderr.write('tcpdump: listening on fake0, link-type EN10MB (Ethernet), snapshot length 160 bytes\\n');
process.stdout.write(fs.readFileSync(${JSON.stringify(pcap)}));
if (n === 1) setTimeout(() => process.exit(0), 200); else setInterval(() => {}, 1000);
`,
  );
  chmodSync(program, 0o755);
  return program;
}

const syns = generateSynthetic(1, 1).find((h) => h.syns.length >= 5)!.syns.slice(0, 5);

test('a capture whose tcpdump exits is started again after a pause, and the state says so meanwhile; stop ends it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-supervise-'));
  try {
    const got: SynPacket[] = [];
    const states: BoardSource[] = [];
    const errors: string[] = [];
    const cap = superviseCapture({ iface: 'lo', tcpdump: fakeTcpdump(dir, 'die-once', syns), onSyns: (s) => got.push(...s), source: (s) => states.push({ ...s }), onError: (e) => errors.push(String(e)), pauseMs: { first: 50, max: 100 } });
    await cap.ready;
    for (let i = 0; i < 100 && got.length < 10; i++) await sleep(50);
    assert.equal(got.length, 10, 'the SYNs of both runs');
    assert.deepEqual(states.map((s) => s.state), ['starting', 'running', 'restarting', 'running']);
    const restarting = states[2]!;
    assert.equal(restarting.restarts, 1);
    assert.match(restarting.error!, /tcpdump stopped \(0\) without being asked: killed, or its interface went away/);
    assert.doesNotMatch(restarting.error!, /listening on|check the interface name/, 'neither its listening line nor advice for a refused start');
    assert.match(errors[0]!, /starting it again in 0 s/);
    cap.stop();
    const total = await cap.done;
    assert.equal(total.syns, 10);
    assert.equal(states.at(-1)!.state, 'ended');
    // it read "syn capture on lo: syn capture on lo: tcpdump stopped …"
    assert.match(errors[0]!, /^Error: syn capture on lo: tcpdump stopped \(0\)/);
    assert.doesNotMatch(restarting.error!, /syn capture on/, 'the board note names the interface itself');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a first start that fails (no such device) rejects ready with what tcpdump said, and is not tried again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-supervise-'));
  try {
    const states: BoardSource[] = [];
    const cap = superviseCapture({ iface: 'lo', tcpdump: fakeTcpdump(dir, 'refuse', []), onSyns: () => {}, source: (s) => states.push({ ...s }), onError: () => assert.fail('not a restart'), pauseMs: { first: 10, max: 10 } });
    await assert.rejects(cap.ready, (e: unknown) => isAppError(e) && e.code === 'SYN_CAPTURE_FAILED' && /No such device exists; check the interface name/.test(e.message));
    await cap.done;
    assert.equal(states.at(-1)!.state, 'failed');
    assert.match(states.at(-1)!.error!, /No such device/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
