/**
 * Experiment (not part of the product): how a SYN model scores benign pollers, clients that open a new
 * TCP connection to the same server and port at a steady pace (an app, an agent, a `curl` loop) instead
 * of keeping one open. A review's loopback curl loop to one HTTPS server, rewritten to a LAN address,
 * scored 0.970 with `syn-2026-11-30b` (a later capture of such a loop, 0.2 s apart: 0.995; with
 * `syn-2026-12-04`, 0.015). Synthetic pollers from the generator's own OS stacks, 10 hosts per row, one
 * server on port 443, gaps of the given length ±10%:
 *
 *   node --import tsx scripts/experiments/syn-pollers.ts [model.json]     # default: the shipped model
 *
 * Prints per stack, gap and SYN count the median and highest host score and how many of 10 reach the
 * model's threshold (0.95 for `syn-2026-11-30b`, 0.93 for `syn-2026-12-04`).
 * Results and what was tried: models/syn/MODEL_CARD.md, "Pollers".
 */
import { mulberry32 } from '../../src/core/random.js';
import { SynModel } from '../../src/detect/syn/model.js';
import { DEFAULT_SYN_MODEL } from '../../src/detect/syn/paths.js';
import { randomPublicIp, StackHost, STACKS } from '../../src/detect/syn/synth-stacks.js';
import type { SynPacket } from '../../src/detect/syn/types.js';
import { runScore } from '../../src/detect/syn/window-run.js';

const model = SynModel.load(process.argv[2] ?? DEFAULT_SYN_MODEL);
const r = mulberry32(5);
const thr = model.file.threshold;
console.log(`stack\tgap s\tSYNs\tmedian\tmax\tflagged ≥${thr} of 10`);
for (const stack of ['linux', 'windows', 'macos']) {
  for (const gap of [0.2e6, 1e6, 5e6, 30e6]) {
    for (const n of [32, 60, 200]) {
      const scores: number[] = [];
      for (let k = 0; k < 10; k++) {
        const h = new StackHost(r, ((10 << 24) | (1 << 16) | k) >>> 0, STACKS[stack]!);
        const dst = randomPublicIp(r);
        const syns: SynPacket[] = [];
        let t = 1e15;
        while (syns.length < n) {
          syns.push(...h.connect(t, dst, 443));
          t += gap * (0.9 + 0.2 * r());
        }
        scores.push(runScore(model.liveScores(syns).windows));
      }
      scores.sort((a, b) => a - b);
      console.log(`${stack}\t${gap / 1e6}\t${n}\t${scores[5]!.toFixed(3)}\t${scores[9]!.toFixed(3)}\t${scores.filter((s) => s >= thr).length}`);
    }
  }
}
