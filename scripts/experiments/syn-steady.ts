/**
 * Experiment (not part of the product): does a model that reads steady pollers as benign still flag a
 * steady-paced brute force? Held-out hosts (own seed), one server, one port, the given pace ±10%:
 * pollers to 443 and brute force to 22, 3389 and 21, 30 hosts per row, on the generator's stacks; and
 * each synthetic tool held out (generateSynthetic seeds 1001 and 3001, 8 per weight).
 *
 *   node --import tsx scripts/experiments/syn-steady.ts [model.json]     # default: the shipped model
 *
 * Prints how many reach the model's threshold and the median score. Results: models/syn/MODEL_CARD.md, "Pollers".
 */
import { mulberry32 } from '../../src/core/random.js';
import { SynModel } from '../../src/detect/syn/model.js';
import { DEFAULT_SYN_MODEL } from '../../src/detect/syn/paths.js';
import { generateSynthetic } from '../../src/detect/syn/synth.js';
import { randomPublicIp, StackHost, STACKS } from '../../src/detect/syn/synth-stacks.js';
import type { SynPacket } from '../../src/detect/syn/types.js';

const model = SynModel.load(process.argv[2] ?? DEFAULT_SYN_MODEL);
const thr = model.file.threshold;
const r = mulberry32(11);
console.log(`threshold ${thr}`);
console.log('kind\tport\tgap s\tflagged of 30\tmedian');
const steady = (stack: string, port: number, gap: number, n: number, k: number): SynPacket[] => {
  const h = new StackHost(r, ((10 << 24) | (2 << 16) | k) >>> 0, STACKS[stack]!);
  const dst = randomPublicIp(r);
  const syns: SynPacket[] = [];
  let t = 1e15;
  while (syns.length < n) {
    syns.push(...h.connect(t, dst, port));
    t += gap * (0.9 + 0.2 * r());
  }
  return syns;
};
for (const [kind, port, stacks] of [['poller', 443, ['linux', 'windows', 'macos']], ['brute', 22, ['linux', 'windows']], ['brute', 3389, ['linux', 'windows']], ['brute', 21, ['linux', 'windows']]] as const) {
  for (const gap of [0.2e6, 1e6, 5e6]) {
    const scores: number[] = [];
    for (let k = 0; k < 30; k++) scores.push(model.scoreHost(steady(stacks[k % stacks.length]!, port, gap, 60 + (k % 3) * 70, k)).score);
    scores.sort((a, b) => a - b);
    console.log(`${kind}\t${port}\t${gap / 1e6}\t${scores.filter((s) => s >= thr).length}\t${scores[15]!.toFixed(3)}`);
  }
}
console.log('\ntool (held-out seeds 1001, 3001)\thosts\tflagged');
const byTool = new Map<string, [number, number]>();
for (const seed of [1001, 3001]) {
  for (const h of generateSynthetic(seed, 8)) {
    const c = byTool.get(h.tool) ?? [0, 0];
    c[0]++;
    if (model.scoreHost(h.syns).score >= thr) c[1]++;
    byTool.set(h.tool, c);
  }
}
for (const [tool, [n, f]] of byTool) console.log(`${tool}\t${n}\t${f}`);
