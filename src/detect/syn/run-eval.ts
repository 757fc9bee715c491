/** `nml eval syn`: runs every protocol and writes one markdown report (real and synthetic apart). */
import { AppError } from '../../core/index.js';
import { loadReal } from './data.js';
import { compareVariants, leaveOneCaptureOut, syntheticEval, type ScoredHost } from './evaluate.js';
import { metrics } from './metrics.js';
import { hostTable, packetSeedTable, packetTable, scannerTable, seedTable, toolTable } from './report.js';
import { VARIANTS, type Variant } from './samples.js';
import { generateSynthetic, PROFILES, type PortKnowledge } from './synth.js';
import type { StackKnowledge } from './synth-stacks.js';

export interface RunEvalOptions {
  datasets: string;
  seed: number;
  epochs: number;
  variant: Variant;
  /** leave-one-capture-out is repeated with this many training seeds (seed, seed+1, …); the spread is reported */
  trainSeeds: number;
  /** synthetic hosts per profile weight (train and test each) */
  synthPerWeight: number;
  /** also compare the image variants */
  variants: boolean;
  /** where the synthetic worm and P2P hosts get their ports (default `real`; see PortKnowledge) */
  syntheticPorts?: PortKnowledge;
  /** which stacks the synthetic benign hosts draw (default `real`; see StackKnowledge) */
  syntheticStacks?: StackKnowledge;
  /** false: models without the port-rarity input (as before 2026-11-29i) */
  portPrior?: boolean;
  log: (line: string) => void;
}

export function runEval(o: RunEvalOptions): string {
  const t0 = performance.now();
  const { hosts: real, missing } = loadReal(o.datasets);
  if (real.length === 0) {
    // the headline is leave-one-capture-out on real captures: a mistyped --datasets must not give minutes of synthetic figures in its place
    const why =
      missing.length === 2
        ? `syn evaluation: no real capture under ${o.datasets} (looked for ${missing.join(' and ')}); give --datasets DIR holding syn-pcaps/ or syn-more/`
        : `syn evaluation: no host labelled malicious or benign under ${o.datasets}: every labelled host is ambiguous, or none sent a SYN from its src_ip in the capture its row names; check the labels`;
    throw new AppError('SYN_DATASET_MISSING', 'bad_request', why, { datasets: o.datasets });
  }
  const ports = o.syntheticPorts ?? 'real';
  const stacks = o.syntheticStacks ?? 'real';
  const synthTrain = generateSynthetic(o.seed, o.synthPerWeight, undefined, ports, stacks);
  const synthTest = generateSynthetic(o.seed + 1000, o.synthPerWeight, undefined, ports, stacks);
  o.log(`loaded ${real.length} real hosts, ${synthTrain.length}+${synthTest.length} synthetic`);
  const eo = { seed: o.seed, epochs: o.epochs, variant: o.variant, portPrior: o.portPrior !== false, log: o.log };
  const out: string[] = [
    `# SYN detector evaluation`,
    '',
    `Seed ${o.seed} (leave-one-capture-out also with training seeds up to ${o.seed + o.trainSeeds - 1}), ${o.epochs} epochs per model, image variant \`${o.variant}\`, ${o.synthPerWeight} synthetic hosts per profile weight${ports === 'neutral' ? ', **synthetic worm and P2P ports neutral** (ports no real capture uses; 445/135/139 kept)' : ''}${stacks === 'real' ? ", **Windows XP's stack on synthetic worms only** (as before syn-2026-11-30)" : ", Windows XP's stack on synthetic benign hosts too"}${o.portPrior === false ? ', **without the port-rarity input**' : ", port rarity from each model's own training benign hosts"}. ` +
      `Real data: ${o.datasets}${missing.length > 0 ? ` (missing: ${missing.join(', ')})` : ''}. Per-packet scores, causal (what is known once the packet has arrived): the host's live CNN score over its filled 32-SYN windows and the partial one ending at the packet (the best mean of 4 consecutive windows, the mean of all for shorter hosts), as the live board computes it; the host's SYN count so far; ` +
      `with hindsight: the host's CNN score and its final baseline scores. Baseline accuracy/precision/recall use fixed thresholds (count ≥ 50, ports ≥ 20, rules ≥ 0.5); ROC-AUC and detection at 1% FPR need none.`,
    '',
  ];
  if (real.length > 0) {
    const runs = Array.from({ length: o.trainSeeds }, (_, i) => {
      const seed = o.seed + i;
      o.log(`leave-one-capture-out, training seed ${seed}`);
      return { seed, hosts: leaveOneCaptureOut(real, synthTrain, { ...eo, seed }) };
    });
    const runsNoFlood = runs.map((r) => ({ seed: r.seed, hosts: r.hosts.filter((h) => !h.flood) }));
    const auc = new Map(runsNoFlood.map((r) => [r.seed, metrics(r.hosts.map((h) => h.cnnRun), r.hosts.map((h) => h.label), 0.5).auc ?? 0]));
    const median = [...runs].sort((a, b) => auc.get(a.seed)! - auc.get(b.seed)!)[(runs.length - 1) >> 1]!;
    const loco = median.hosts;
    const hostsNoFlood = loco.filter((h) => !h.flood);
    out.push(
      '## Real captures, leave-one-capture-out (headline)',
      '',
      'Every capture holding a malicious host is its own fold; captures with benign hosts only are held out in 5 groups. Each fold trains on the other real captures plus the synthetic training set (floods capped at 1,500 hosts).',
      '',
      `### Per host over ${runs.length} training seed${runs.length === 1 ? '' : 's'}, without one-packet spoofed flood sources`,
      '',
      seedTable(runsNoFlood),
      '',
      `### Per packet over ${runs.length} training seed${runs.length === 1 ? '' : 's'}, without flood sources (ROC-AUC)`,
      '',
      packetSeedTable(runsNoFlood),
      '',
      `The tables below are the run of training seed ${median.seed}, the ${runs.length === 1 ? 'only one' : 'median by CNN ROC-AUC'}.`,
      '',
      `### Per host, without one-packet spoofed flood sources (${hostsNoFlood.filter((h) => h.label === 1).length} malicious, ${hostsNoFlood.filter((h) => h.label === 0).length} benign)`,
      '',
      hostTable(hostsNoFlood),
      '',
      `### Spoofed flood sources against the same benign hosts (${loco.filter((h) => h.flood).length} flood sources, one or few SYNs each: no host behaviour to see)`,
      '',
      hostTable(loco.filter((h) => h.flood || h.label === 0)),
      '',
      '### Per packet, without flood sources',
      '',
      packetTable(hostsNoFlood),
      '',
      '### Per packet, everything',
      '',
      packetTable(loco),
      '',
      '### Every real malicious host (flood sources left out)',
      '',
      scannerTable(hostsNoFlood),
      '',
    );
  }
  const unruled = PROFILES.filter((p) => p.label === 1 && !p.ruled && p.name !== 'spoofed-flood').map((p) => p.name);
  const syn = syntheticEval(real, synthTrain, synthTest, unruled, eo);
  out.push('## Synthetic (separate from real)', '', '### Held-out seed, all profiles', '', hostTable(syn.all.filter((h) => !h.flood)), '', toolTable(syn.all), '');
  const loto: ScoredHost[] = [];
  for (const [tool, hs] of syn.leaveOneToolOut) loto.push(...hs.filter((h) => h.label === 1 && h.category === tool));
  const benign = syn.all.filter((h) => h.label === 0);
  if (loto.length > 0) {
    out.push(
      '### Tools no fingerprint rule covers, each left out of training (leave-one-tool-out)',
      '',
      'Malicious: hosts of the left-out tool scored by a model that never saw it; benign: the held-out benign hosts (scored by the full model).',
      '',
      hostTable([...loto, ...benign]),
      '',
      toolTable([...loto, ...benign]),
      '',
    );
  }
  if (o.variants && real.length > 0) {
    const cmp = compareVariants(real, synthTrain, synthTest, VARIANTS, eo);
    out.push('## Image variants (validation: trained on syn-pcaps + synthetic, scored on syn-more and the synthetic test seed)', '');
    for (const [v, r] of cmp) {
      out.push(`### \`${v}\` (${(r.ms / 1000).toFixed(1)} s to train)`, '', 'syn-more hosts (floods left out):', '', hostTable(r.more.filter((h) => !h.flood)), '', 'synthetic test hosts:', '', hostTable(r.synth.filter((h) => !h.flood)), '');
    }
  }
  out.push(`Run time ${((performance.now() - t0) / 1000).toFixed(0)} s.`);
  return out.join('\n') + '\n';
}
