/** `nml train syn`: the shipped model, trained on every real capture plus synthetic traffic, early-stopped on a synthetic validation seed. */
import { AppError } from '../../core/index.js';
import { loadReal } from './data.js';
import { hostInputs, priorFor, shapeOf, weightSamples, type Variant } from './samples.js';
import { priorFile, type SynModelFile } from './model.js';
import { generateSynthetic } from './synth.js';
import type { StackKnowledge } from './synth-stacks.js';
import { trainCnn } from './train.js';
import { rng } from './cnn.js';

export interface RunTrainOptions {
  datasets: string;
  seed: number;
  epochs: number;
  patience: number;
  variant: Variant;
  synthPerWeight: number;
  version: string;
  command: string;
  /** the score at which a host becomes a finding, recorded in the model (default 0.5) */
  threshold?: number;
  /** false: no port-rarity input (as models before 2026-11-29i); default: the prior of the training benign hosts */
  portPrior?: boolean;
  /** which stacks the synthetic benign hosts draw (default `real`; see StackKnowledge) */
  syntheticStacks?: StackKnowledge;
  /** train on synthetic traffic alone when no real capture is found (else that is an error) */
  syntheticOnly?: boolean;
  log: (line: string) => void;
}

export function runTrain(o: RunTrainOptions): SynModelFile {
  const { hosts: real, missing } = loadReal(o.datasets);
  if (real.length === 0 && o.syntheticOnly !== true) {
    // a mistyped --datasets must not quietly replace the model with a synthetic-only one
    const why =
      missing.length === 2
        ? `syn training: no real capture under ${o.datasets} (looked for ${missing.join(' and ')}); give --datasets DIR holding syn-pcaps/ or syn-more/, or --synthetic-only`
        : `syn training: no host labelled malicious or benign under ${o.datasets}: every labelled host is ambiguous, or none sent a SYN from its src_ip in the capture its row names; check the labels, or --synthetic-only`;
    throw new AppError('SYN_DATASET_MISSING', 'bad_request', why, { datasets: o.datasets });
  }
  for (const m of missing) o.log(`dataset missing, trained without it: ${m}`);
  const r = rng(o.seed);
  const floods = real.filter((h) => h.flood);
  const keep = new Set(floods.map((f) => [r(), f] as const).sort((a, b) => a[0] - b[0]).slice(0, 1500).map(([, f]) => f));
  const trainHosts = [...real.filter((h) => !h.flood || keep.has(h)), ...generateSynthetic(o.seed, o.synthPerWeight, undefined, 'real', o.syntheticStacks ?? 'real')];
  const prior = priorFor(o.variant, trainHosts, o.portPrior !== false);
  // validation hosts are not in the prior; each benign training host is left out of its own ports' counts
  const val = weightSamples(generateSynthetic(o.seed + 2000, Math.max(2, Math.round(o.synthPerWeight / 2)), undefined, 'real', o.syntheticStacks ?? 'real').map((h) => hostInputs(o.variant, h, 8, prior && { prior, own: false })));
  const train = weightSamples(trainHosts.map((h) => hostInputs(o.variant, h, 8, prior && { prior, own: h.label === 0 })));
  o.log(`training on ${trainHosts.length} hosts (${real.length - floods.length + keep.size} real) = ${train.length} windows; validating on ${val.length} synthetic windows`);
  const res = trainCnn(train, val, {
    shape: shapeOf(o.variant),
    seed: o.seed,
    epochs: o.epochs,
    patience: o.patience,
    onEpoch: (e) => o.log(`epoch ${e.epoch}/${o.epochs}: loss ${e.loss.toFixed(4)}, validation loss ${e.valLoss?.toFixed(4) ?? '—'} (${(e.ms / 1000).toFixed(1)} s)`),
  });
  return { format: 'nml-syn-cnn/1', version: o.version, variant: o.variant, threshold: o.threshold ?? 0.5, weights: res.weights, trainedAt: new Date().toISOString(), command: o.command, seed: o.seed, ...(prior === null ? {} : { portPrior: priorFile(prior) }) };
}
