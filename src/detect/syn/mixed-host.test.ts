/**
 * An ordinary host that also scans: a synthetic browsing or busy client and a scanner's SYNs under one
 * source address, the scan starting halfway through. With the plain mean over windows the browsing hid
 * the scan (8 of 28 such hosts flagged by the shipped model); the host score is now the best run of 4
 * windows (window-run.ts), which sees it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { REPO_ROOT } from '../../cli/testing.js';
import { SynModel } from './model.js';
import { generateSynthetic } from './synth.js';

test('an ordinary host that also scans is flagged by the shipped model', () => {
  const model = SynModel.load(join(REPO_ROOT, 'models/syn/model.json'));
  const thr = model.file.threshold;
  const hosts = generateSynthetic(1001, 8).filter((h) => h.syns[0]!.v === 4);
  const benign = hosts.filter((h) => h.tool === 'benign-busy-client' || h.tool === 'benign-browsing');
  let n = 0;
  let run = 0;
  let mean = 0;
  for (const tool of ['nmap-sT', 'nmap-sS', 'masscan', 'brute-force', 'angry-ip']) {
    const scans = hosts.filter((h) => h.tool === tool).slice(0, 6);
    scans.forEach((m, i) => {
      const b = benign[i]!;
      const at = b.syns[b.syns.length >> 1]!.t - m.syns[0]!.t;
      const syns = [...b.syns, ...m.syns.map((s) => ({ ...s, src: b.syns[0]!.src, src4: b.syns[0]!.src4, t: s.t + at }))].sort((p, q) => p.t - q.t);
      const w = model.liveScores(syns).windows;
      n++;
      run += model.scoreHost(syns).score > thr ? 1 : 0;
      mean += w.reduce((a, c) => a + c, 0) / w.length > thr ? 1 : 0;
    });
  }
  assert.ok(n >= 25, `${n} mixed hosts`);
  assert.ok(run >= 15 && run >= 2 * mean, `flagged: best run of 4 windows ${run}, plain mean ${mean}, of ${n}`);
  // the ordinary hosts alone stay below the threshold
  const alone = benign.slice(0, 6).filter((b) => model.scoreHost(b.syns).score > thr).length;
  assert.equal(alone, 0);
});
