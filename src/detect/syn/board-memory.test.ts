/**
 * The live board's memory per host is bounded: a host's distinct ports and destinations take at most a
 * set of 256 or an 8 KB bit map each (distinct.ts), where sets of 4,096 took 350–430 KB a host (7–8.6 GB
 * at the board's 20,000 hosts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SynLiveBoard } from './board.js';
import { ipv4ToString } from './decode.js';
import { tinyModel } from './testing.js';
import type { SynPacket } from './types.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** `per` SYNs of host `h`, each to another port and destination. */
function scan(h: number, per: number, t0: number): SynPacket[] {
  const src = ipv4ToString(0x0a000000 + h);
  return Array.from({ length: per }, (_, i) => {
    const d = 0xc0a80000 + ((h * 7919 + i) & 0xffffff);
    return { t: t0 + i * 10, v: 4, src, dst: ipv4ToString(d), src4: 0x0a000000 + h, dst4: d, sport: 40000, dport: 1 + i, ttl: 64, ipid: 0, win: 1024, seq: i, mss: 1460, ws: -1, sack: false, ts: false, opts: 'M', len: 44 } as SynPacket;
  });
}

const used = (): number => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

test('a host that scans thousands of ports and destinations takes tens of KB on the board, not hundreds', () => {
  const board = new SynLiveBoard({ model: tinyModel(), maxHosts: 20_000 });
  const HOSTS = 150;
  const before = used();
  for (let h = 0; h < HOSTS; h++) {
    board.add(scan(h, 4096, 1.7e15 + h * 1e8));
    // as a flush would: the filled windows scored and let go (scoring is not what is measured)
    for (const s of (board as unknown as { hosts: Map<string, { filled: unknown[] }> }).hosts.values()) s.filled = [];
  }
  const perHost = (used() - before) / HOSTS;
  assert.equal(board.size, HOSTS);
  assert.ok(perHost < 64_000, `${(perHost / 1e3).toFixed(1)} KB a host`);
});

test('distinct ports stay exact and destinations close past the old cap of 4,096', () => {
  const board = new SynLiveBoard({ model: tinyModel() });
  board.add(scan(1, 6000, 1.7e15));
  const h = board.list()[0]!;
  assert.equal(h.distinctPorts, 6000);
  assert.ok(Math.abs(h.distinctDsts - 6000) <= 60, `${h.distinctDsts} destinations`);
});
