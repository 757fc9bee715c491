/**
 * Experiment (not part of the product): which real benign hosts carry the benign packets whose causal
 * (live) score reaches 0.5 in leave-one-capture-out, for one training seed. `nml eval syn` reports the
 * share alone; it moved from 5.2% to 22.3% between the median runs of two models, which were runs of
 * different seeds (models/syn/MODEL_CARD.md, "Pollers and steady brute force in the generator").
 *
 *   node --import tsx scripts/experiments/syn-benign-packets.ts [training seed, default 3] [datasets dir]
 *
 * Prints the share and the 15 hosts with most such packets: SYNs, how many reach 0.5, the first that
 * does, the host's score and its highest live score.
 */
import { loadReal } from '../../src/detect/syn/data.js';
import { leaveOneCaptureOut } from '../../src/detect/syn/evaluate.js';
import { generateSynthetic } from '../../src/detect/syn/synth.js';

const seed = Number(process.argv[2] ?? 3);
const { hosts: real } = loadReal(process.argv[3] ?? '../shared/datasets');
// as `nml eval syn` trains its fold models: seed 1's synthetic hosts, 8 per weight, XP's stack shared
const synthTrain = generateSynthetic(1, 8, undefined, 'real', 'shared');
const hosts = leaveOneCaptureOut(real, synthTrain, { seed, epochs: 4, variant: 'fields+stats+bag', portPrior: true, log: () => {} });
const benign = hosts.filter((h) => h.label === 0 && !h.flood);
let total = 0;
let high = 0;
const rows = benign.map((h) => {
  const k = h.packetScores.filter((s) => s >= 0.5).length;
  total += h.packetScores.length;
  high += k;
  return { ip: h.ip, capture: h.capture, syns: h.packetScores.length, atHalf: k, first: h.packetScores.findIndex((s) => s >= 0.5), host: h.cnnRun.toFixed(3), max: Math.max(...h.packetScores).toFixed(3) };
});
console.log(`training seed ${seed}: ${high} of ${total} benign packets at 0.5 or more (${((100 * high) / total).toFixed(1)}%), from ${rows.filter((r) => r.atHalf > 0).length} of ${benign.length} benign hosts`);
for (const r of rows.sort((a, b) => b.atHalf - a.atHalf).slice(0, 15)) console.log(JSON.stringify(r));
