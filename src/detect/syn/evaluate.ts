/**
 * The evaluation protocols: leave-one-capture-out on the real captures (the headline), synthetic tools
 * (held-out seed, and leave-one-tool-out for tools no fingerprint rule covers), and image variants.
 */
import type { PortPrior } from './bag.js';
import { rng } from './cnn.js';
import { baselineScores } from './baselines.js';
import type { LabeledHost } from './data.js';
import { priorFile, SynModel } from './model.js';
import { hostInputs, priorFor, shapeOf, weightSamples, withRarity, type HostInputs, type TrainHost, type Variant } from './samples.js';
import type { SynthHost } from './synth.js';
import { runScore } from './window-run.js';
import { trainCnn } from './train.js';

export interface ScoredHost {
  capture: string;
  ip: string;
  label: 0 | 1;
  category: string;
  flood: boolean;
  packets: number;
  /** alternative aggregation: the highest window score */
  cnn: number;
  /** host score as shipped: the best mean of 4 consecutive windows (`runScore`) */
  cnnRun: number;
  count: number;
  ports: number;
  rules: number;
  /** per-packet CNN scores, causal: the host's live score once the packet has arrived (SynModel.liveScores); empty where scoreHosts was asked for host scores only */
  packetScores: number[];
  /** no SYN of the host carries a TCP option: what packet-crafting tools send (scapy's defaults too); OS stacks always send MSS */
  noOptions: boolean;
}

export interface EvalOptions {
  seed: number;
  epochs: number;
  variant: Variant;
  /** flood hosts kept for training (they are ~47k one-packet hosts) */
  floodCap?: number;
  /** real hosts that may be trained on (default all); test folds are never filtered */
  trainable?: (h: LabeledHost) => boolean;
  /** false: no port-rarity input (models before it); default: each model's prior from its own training benign hosts */
  portPrior?: boolean;
  log?: (line: string) => void;
}

/**
 * A model trained on `hosts` (inputs computed without a prior); with `prior` (built from these hosts'
 * benign ones), their port-rarity tokens are added first and the model keeps the prior.
 */
export function trainModel(v: Variant, hosts: readonly HostInputs[], seed: number, epochs: number, version = 'eval', prior: PortPrior | null = null): SynModel {
  const ins = prior === null ? hosts : hosts.map((h) => withRarity(v, h, { prior, own: h.host.label === 0 }));
  const r = trainCnn(weightSamples(ins), null, { shape: shapeOf(v), seed, epochs });
  return new SynModel({ format: 'nml-syn-cnn/1', version, variant: v, threshold: 0.5, weights: r.weights, trainedAt: '', command: '', seed, ...(prior === null ? {} : { portPrior: priorFile(prior) }) });
}


/**
 * Each host's scores; `perPacket` false leaves `packetScores` empty and costs a 32nd of the forward passes
 * (the synthetic and variant tables are per host: scoring every packet of the synthetic test set took
 * three quarters of `nml eval syn`).
 */
export function scoreHosts(model: SynModel, hosts: readonly (TrainHost & { capture?: string; ip: string; category?: string; tool?: string })[], perPacket = true): ScoredHost[] {
  return hosts.map((h) => {
    const { packets: packetScores, windows: scores } = model.liveScores(h.syns, perPacket);
    const b = baselineScores(h.syns);
    return {
      capture: h.capture ?? 'synthetic',
      ip: h.ip,
      label: h.label,
      category: h.category ?? h.tool ?? '',
      flood: h.flood === true,
      packets: h.syns.length,
      cnn: Math.max(...scores),
      cnnRun: runScore(scores),
      ...b,
      packetScores,
      noOptions: h.syns.every((p) => p.opts.length === 0),
    };
  });
}

/** Folds: one per capture holding a malicious host; captures with benign hosts only, in 5 groups. */
export function folds(hosts: readonly LabeledHost[]): Map<string, LabeledHost[]> {
  const byCap = new Map<string, LabeledHost[]>();
  for (const h of hosts) byCap.set(h.capture, [...(byCap.get(h.capture) ?? []), h]);
  const out = new Map<string, LabeledHost[]>();
  let i = 0;
  for (const [cap, hs] of [...byCap.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const key = hs.some((h) => h.label === 1) ? cap : `benign-only captures, group ${(i++ % 5) + 1}`;
    out.set(key, [...(out.get(key) ?? []), ...hs]);
  }
  return out;
}

function sampleFloods<T extends { host: TrainHost }>(xs: T[], cap: number, seed: number): T[] {
  const floods = xs.filter((x) => x.host.flood === true);
  if (floods.length <= cap) return xs;
  const r = rng(seed);
  const keep = new Set(floods.map((f) => [r(), f] as const).sort((a, b) => a[0] - b[0]).slice(0, cap).map(([, f]) => f));
  return xs.filter((x) => x.host.flood !== true || keep.has(x));
}

/** Leave-one-capture-out on real hosts; each fold trains on the other real captures plus `synthTrain`. */
export function leaveOneCaptureOut(real: readonly LabeledHost[], synthTrain: readonly SynthHost[], o: EvalOptions): ScoredHost[] {
  const inputs = new Map<LabeledHost, HostInputs>();
  for (const h of real) inputs.set(h, hostInputs(o.variant, h));
  const synth = synthTrain.map((h) => hostInputs(o.variant, h));
  const out: ScoredHost[] = [];
  const fs = folds(real);
  let k = 0;
  for (const [name, test] of fs) {
    const t0 = performance.now();
    const held = new Set(test);
    const trainReal = real.filter((h) => !held.has(h) && (o.trainable?.(h) ?? true));
    const train = sampleFloods([...trainReal.map((h) => inputs.get(h)!), ...synth], o.floodCap ?? 1500, o.seed + k);
    const model = trainModel(o.variant, train, o.seed + k, o.epochs, 'eval', priorFor(o.variant, [...trainReal, ...synthTrain], o.portPrior !== false));
    const scored = scoreHosts(model, test);
    out.push(...scored);
    k++;
    o.log?.(`fold ${k}/${fs.size} ${name}: ${test.length} hosts, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return out;
}

/**
 * Synthetic: train on real + synthetic (seed A), test on synthetic (seed B); the tools in `heldOut` are
 * left out of training one at a time, each model scoring that tool's hosts only. Host scores only
 * (`packetScores` empty): the report's synthetic tables are per host.
 */
export function syntheticEval(real: readonly LabeledHost[], synthTrain: readonly SynthHost[], synthTest: readonly SynthHost[], heldOut: readonly string[], o: EvalOptions): { all: ScoredHost[]; leaveOneToolOut: Map<string, ScoredHost[]> } {
  const realIn = sampleFloods(real.map((h) => hostInputs(o.variant, h)), o.floodCap ?? 1500, o.seed);
  const synthIn = synthTrain.map((h) => ({ tool: h.tool, inputs: hostInputs(o.variant, h) }));
  // the left-out tools are malicious: every model here has the same benign hosts, so the same prior
  const prior = priorFor(o.variant, [...real, ...synthTrain], o.portPrior !== false);
  const model = trainModel(o.variant, [...realIn, ...synthIn.map((s) => s.inputs)], o.seed, o.epochs, 'eval', prior);
  const all = scoreHosts(model, synthTest, false);
  o.log?.(`synthetic: ${synthTest.length} test hosts scored`);
  const loto = new Map<string, ScoredHost[]>();
  for (const tool of heldOut) {
    const m = trainModel(o.variant, [...realIn, ...synthIn.filter((s) => s.tool !== tool).map((s) => s.inputs)], o.seed, o.epochs, 'eval', prior);
    // the benign hosts of this table are the full model's (`all`): scoring them again with each model was unused
    loto.set(tool, scoreHosts(m, synthTest.filter((h) => h.tool === tool), false));
    o.log?.(`leave-one-tool-out: ${tool}`);
  }
  return { all, leaveOneToolOut: loto };
}

/** Image variants on validation data: trained on syn-pcaps + synthetic, validated on syn-more and a synthetic test seed. */
export function compareVariants(real: readonly LabeledHost[], synthTrain: readonly SynthHost[], synthVal: readonly SynthHost[], variants: readonly Variant[], o: EvalOptions): Map<Variant, { more: ScoredHost[]; synth: ScoredHost[]; ms: number }> {
  const train = real.filter((h) => !h.capture.startsWith('syn-more:'));
  const val = real.filter((h) => h.capture.startsWith('syn-more:'));
  const out = new Map<Variant, { more: ScoredHost[]; synth: ScoredHost[]; ms: number }>();
  for (const v of variants) {
    const t0 = performance.now();
    const ins = sampleFloods([...train, ...synthTrain].map((h) => hostInputs(v, h)), o.floodCap ?? 1500, o.seed);
    const m = trainModel(v, ins, o.seed, o.epochs, 'eval', priorFor(v, [...train, ...synthTrain], o.portPrior !== false));
    const ms = performance.now() - t0;
    out.set(v, { more: scoreHosts(m, val, false), synth: scoreHosts(m, synthVal, false), ms });
    o.log?.(`variant ${v}: ${(ms / 1000).toFixed(1)} s to train`);
  }
  return out;
}
