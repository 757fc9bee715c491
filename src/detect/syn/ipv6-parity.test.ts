/**
 * The shipped model over IPv6: the same held-out synthetic hosts sent over IPv6 (no IP ID, the MSS 20
 * bytes smaller) are flagged about as often as over IPv4. Before IPv6 SYNs had a token of their own and
 * the generator sent some hosts over IPv6, they read as "IP ID 0": 46 of these 64 malicious hosts were
 * flagged over IPv6 against 60 over IPv4 (docs/architecture.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../../cli/testing.js';
import { SynModel } from './model.js';
import { generateSynthetic } from './synth.js';
import { toIpv6 } from './synth-stacks.js';

test('held-out synthetic hosts score alike over IPv4 and IPv6 with the shipped model', () => {
  const model = SynModel.load(join(REPO_ROOT, 'models/syn/model.json'));
  const thr = model.file.threshold;
  const hosts = generateSynthetic(1001, 8).filter((h) => h.syns[0]!.v === 4 && h.tool !== 'mirai');
  const flagged = { 0: [0, 0], 1: [0, 0] };
  let diff = 0;
  for (const h of hosts) {
    const syns = [...h.syns].sort((a, b) => a.t - b.t);
    const a = model.scoreHost(syns).score;
    const b = model.scoreHost(syns.map(toIpv6)).score;
    flagged[h.label][0]! += a > thr ? 1 : 0;
    flagged[h.label][1]! += b > thr ? 1 : 0;
    if (h.label === 1) diff += Math.abs(a - b);
  }
  const mal = hosts.filter((h) => h.label === 1).length;
  assert.ok(mal >= 50, `${mal} malicious hosts`);
  // IPv6 keeps at least nine in ten of the IPv4 detections (syn-2026-11-29g: 57 of 60; -h: 58 of 60; -i: 54 of 60)
  assert.ok(flagged[1][1]! >= 0.9 * flagged[1][0]!, `malicious flagged over IPv4 ${flagged[1][0]}, over IPv6 ${flagged[1][1]} of ${mal}`);
  assert.ok(flagged[0][1]! <= flagged[0][0]! + 1, `benign flagged over IPv4 ${flagged[0][0]}, over IPv6 ${flagged[0][1]}`);
  // The old bug gave 0.124. Over training seeds the difference varies: seeds 1–4 of syn-2026-11-29i's
  // command gave 0.045, 0.043, 0.012, 0.031; the same without the port prior 0.030, 0.046, 0.013, 0.019.
  // The bound was 0.04 until then, set from one seed.
  assert.ok(diff / mal < 0.06, `mean |IPv4 − IPv6| score of the malicious hosts ${(diff / mal).toFixed(3)}`);
});
