/**
 * Pollers: a client that opens a new connection to one server and port at a steady pace (an app or agent
 * checking in, a script in a loop) is benign, and a brute force paced the same way is not. Before the
 * generator had benign pollers (models/syn/MODEL_CARD.md, "Pollers"), the shipped model flagged these
 * held-out pollers at 0.2 s apart and many slower Windows and macOS ones; a poller profile alone taught
 * "a steady run to one port is benign" and lost steady brute force, so steady brute force is taught
 * beside it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../../cli/testing.js';
import { mulberry32 } from '../../core/random.js';
import { rocAuc } from '../../core/metrics.js';
import { SynModel } from './model.js';
import { randomPublicIp, StackHost, STACKS, type Rand } from './synth-stacks.js';
import type { SynPacket } from './types.js';

/** `n` connections from one stack to one server and port, `gap` µs apart ±10% */
function steady(r: Rand, k: number, stack: string, port: number, gap: number, n: number): SynPacket[] {
  const h = new StackHost(r, ((10 << 24) | (7 << 16) | k) >>> 0, STACKS[stack]!);
  const dst = randomPublicIp(r);
  const syns: SynPacket[] = [];
  for (let t = 1e15; syns.length < n; t += gap * (0.9 + 0.2 * r())) syns.push(...h.connect(t, dst, port));
  return syns.sort((a, b) => a.t - b.t);
}

const model = SynModel.load(join(REPO_ROOT, 'models/syn/model.json'));
const thr = model.file.threshold;
const r = mulberry32(5);
const pollers: number[] = [];
const brute: number[] = [];
let k = 0;
for (const gap of [0.2e6, 1e6, 5e6, 30e6]) {
  for (const stack of ['linux', 'windows', 'macos']) {
    for (const n of [40, 60, 120]) pollers.push(model.scoreHost(steady(r, k++, stack, 443, gap, n)).score);
  }
}
for (const gap of [0.5e6, 2e6, 5e6]) {
  for (const stack of ['linux', 'windows']) {
    for (const port of [22, 3389]) brute.push(model.scoreHost(steady(r, k++, stack, port, gap, 80)).score);
  }
}

test('held-out steady pollers to one HTTPS server are not flagged by the shipped model', () => {
  assert.equal(pollers.length, 36);
  const flagged = pollers.filter((s) => s > thr).length;
  assert.equal(flagged, 0, `${flagged} of ${pollers.length} pollers at or over ${thr}: ${pollers.map((s) => s.toFixed(3)).join(' ')}`);
});

test('a brute force paced like a poller still scores above the pollers', () => {
  const auc = rocAuc([...pollers, ...brute], [...pollers.map(() => 0), ...brute.map(() => 1)]);
  assert.ok(auc !== null && auc >= 0.95, `ROC-AUC of steady brute force (22, 3389) against steady pollers: ${auc}`);
  const found = brute.filter((s) => s > thr).length;
  assert.ok(found >= brute.length * 0.75, `${found} of ${brute.length} steady brute-force hosts flagged`);
});
