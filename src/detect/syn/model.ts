/** A trained SYN model: scores a host (max over its windows) and explains the window that decided it. */
import { readFileSync } from 'node:fs';
import { AppError, isAppError, pathFailureKind, unreadableWhy } from '../../core/index.js';
import type { PortPrior, Rarity } from './bag.js';
import { Cnn, type CnnWeights } from './cnn.js';
import { FIELD_COLUMNS, hostWindows, ROWS, STAT_NAMES, type HostWindow } from './image.js';
import { shapeOf, VARIANTS, windowInput, type Variant } from './samples.js';
import { synOnnxSession, type SynOnnxSession } from './onnx.js';
import type { SynPacket } from './types.js';
import { WindowRun } from './window-run.js';

export interface SynModelFile {
  format: 'nml-syn-cnn/1';
  version: string;
  variant: Variant;
  threshold: number;
  weights: CnnWeights;
  trainedAt: string;
  command: string;
  seed: number;
  /** the training benign hosts' destination ports (bag.ts `PortPrior`): `ports[i]` was used by `counts[i]` of `hosts`; absent in models trained before it */
  portPrior?: { hosts: number; ports: number[]; counts: number[] };
}

/** A prior as a model file stores it, ports in ascending order. */
export function priorFile(p: PortPrior): NonNullable<SynModelFile['portPrior']> {
  const ports = [...p.counts.keys()].sort((a, b) => a - b);
  return { hosts: p.hosts, ports, counts: ports.map((q) => p.counts.get(q)!) };
}

export interface HostScore {
  score: number;
  windows: number;
  /** the window with the highest score */
  best: HostWindow;
}

export interface WindowExplanation {
  window: { from: number; to: number };
  /** per row: sum of gradient × input over the row's fields (positive pushes toward malicious) */
  rows: number[];
  /** per field (column): sum over rows */
  fields: { name: string; weight: number }[];
  stats: { name: string; value: number; weight: number }[];
  /**
   * the wide input's fingerprint tokens (bag.ts) with their exact share of the logit (weight × value),
   * strongest first, at most 16; empty for models without one
   */
  tokens: { name: string; value: number; weight: number }[];
  /** per pixel (row-major), when asked for */
  pixels?: number[];
}

export class SynModel {
  readonly net: Cnn;
  /** the port-rarity input: the prior the model was trained with (null for models without one) */
  readonly rarity: Rarity | null = null;

  constructor(readonly file: SynModelFile) {
    if (file.format !== 'nml-syn-cnn/1' || !VARIANTS.includes(file.variant)) throw new AppError('MODEL_INVALID', 'bad_request', `syn model ${file.version ?? '?'} has an unknown format or variant; retrain with nml train syn`);
    const want = shapeOf(file.variant);
    const got = file.weights.shape;
    if (want.rows !== got.rows || want.cols !== got.cols || want.stats !== got.stats || (want.wide ?? 0) !== (got.wide ?? 0)) throw new AppError('MODEL_INVALID', 'bad_request', `syn model ${file.version} was trained on another image layout; retrain with nml train syn`);
    this.net = new Cnn(file.weights);
    const pp = file.portPrior;
    if (pp !== undefined) {
      if (!Array.isArray(pp.ports) || !Array.isArray(pp.counts) || pp.ports.length !== pp.counts.length) throw new AppError('MODEL_INVALID', 'bad_request', `syn model ${file.version}: its port prior is malformed; retrain with nml train syn`);
      this.rarity = { prior: { hosts: pp.hosts, counts: new Map(pp.ports.map((q, i) => [q, pp.counts[i]!])) }, own: false };
    }
  }

  static load(path: string): SynModel {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      // `ENOENT` or `EISDIR` alone said neither what was wrong nor what --model takes
      const why = unreadableWhy(e, 'a syn model is one JSON file (the shipped one is models/syn/model.json)');
      throw new AppError('MODEL_NOT_FOUND', pathFailureKind(e), `cannot read syn model ${path}: ${why}; train one with nml train syn or pass --model FILE`, undefined, e);
    }
    let file: SynModelFile;
    try {
      file = JSON.parse(text) as SynModelFile;
    } catch (e) {
      throw new AppError('MODEL_INVALID', 'bad_request', `syn model ${path} is not JSON; retrain with nml train syn`, undefined, e);
    }
    if (typeof file !== 'object' || file === null || Array.isArray(file)) throw new AppError('MODEL_INVALID', 'bad_request', `syn model ${path} is not a JSON object; retrain with nml train syn or pass another --model`);
    try {
      return new SynModel(file);
    } catch (e) {
      // the file's name in the message: the version a broken file claims says little
      const why = isAppError(e) ? e.message.replace(/^syn model \S* ?/, '') : 'is malformed (a field is missing or of the wrong type)';
      throw new AppError('MODEL_INVALID', 'bad_request', `syn model ${path} ${why.replace(/; retrain with nml train syn$/, '')}; retrain with nml train syn or pass another --model`, undefined, e);
    }
  }

  get variant(): Variant {
    return this.file.variant;
  }

  windowScore(syns: readonly SynPacket[], w: HostWindow): number {
    const { x, s, b } = windowInput(this.variant, syns, w, false, this.rarity);
    return this.net.forward(x, s, false, b).p;
  }

  /**
   * For evaluation: per packet, the score the live board gives the host once that packet has arrived
   * (`WindowRun` over its filled 32-SYN windows and the partial one ending at the packet; one forward pass
   * per packet), and the score of each of its windows (SYNs 1–32, 33–64, …, the last one partial). The
   * last packet's score is the board's and `scoreHost`'s score of the whole host (every window kept).
   * `perPacket` false: `packets` empty, and one forward pass a window (tables of host scores need no more).
   */
  liveScores(syns: readonly SynPacket[], perPacket = true): { packets: number[]; windows: number[] } {
    const packets: number[] = [];
    const windows: number[] = [];
    const ports = new Set<number>();
    const dsts = new Set<string>();
    const run = new WindowRun();
    for (let i = 0; i < syns.length; i++) {
      ports.add(syns[i]!.dport);
      dsts.add(syns[i]!.dst);
      const from = i - (i % ROWS);
      // without per-packet scores only a window's last packet needs its pass: the same window scores, a 32nd of the passes
      if (!perPacket && (i + 1) % ROWS !== 0 && i !== syns.length - 1) continue;
      const p = this.windowScore(syns, { from, to: i + 1, ctx: { count: i + 1, distinctPorts: ports.size, distinctDsts: dsts.size, firstSeen: syns[0]!.t, lastSeen: syns[i]!.t } });
      if (perPacket) packets.push(run.score(p));
      if ((i + 1) % ROWS === 0 || i === syns.length - 1) windows.push(p);
      if ((i + 1) % ROWS === 0) run.push(p);
    }
    return { packets, windows };
  }

  /**
   * A host's score: `runScore` over every one of its windows, in time order: the best mean of 4
   * consecutive windows, the mean of all for shorter hosts; `best` is the highest-scoring window, the
   * one explanations show. A mean flagged 0.9% of synthetic benign hosts where the maximum of single
   * windows flagged 8% (models/syn/eval-loco.md). Every window, not a sample: runs of a sample spread
   * over a busy host join windows far apart, and a short scan inside it read as one window among browsing
   * (0.26 where the board, over every window, gave 1.0).
   */
  scoreHost(syns: readonly SynPacket[]): HostScore {
    const ws = hostWindows(syns);
    let best = ws[0]!;
    let top = -1;
    const run = new WindowRun();
    for (const w of ws) {
      const p = this.windowScore(syns, w);
      run.push(p);
      if (p > top) {
        top = p;
        best = w;
      }
    }
    return { score: run.score(), windows: ws.length, best };
  }

  /** Gradient × input over the window's image and statistics. */
  explain(syns: readonly SynPacket[], w: HostWindow, withPixels = false): WindowExplanation {
    const { x, s, b } = windowInput(this.variant, syns, w, true, this.rarity);
    const tr = this.net.forward(x, s, true, b);
    const g = new Float64Array(this.net.P.length);
    const dx = this.net.backward(x, tr, 1, g, true);
    const cols = this.net.w.shape.cols;
    const rows = new Array<number>(ROWS).fill(0);
    const fieldW = new Array<number>(cols).fill(0);
    const pixels = withPixels ? new Array<number>(ROWS * cols).fill(0) : undefined;
    if (dx !== null) {
      if (pixels !== undefined) for (let i = 0; i < pixels.length; i++) pixels[i] = round(dx[i]! * x[i]!);
      for (let r = 0; r < ROWS; r++) {
        for (let c = 0; c < cols; c++) {
          const v = dx[r * cols + c]! * x[r * cols + c]!;
          rows[r] = rows[r]! + v;
          fieldW[c] = fieldW[c]! + v;
        }
      }
    }
    // statistics enter the dense layer directly: gradient × input through it
    const L = this.net.L;
    const sh = this.net.w.shape;
    const h2 = sh.conv ? sh.h2 : 0;
    const stats: WindowExplanation['stats'] = [];
    for (let i = 0; i < sh.stats; i++) {
      let gi = 0;
      for (let k = 0; k < sh.dense; k++) if (tr.d[k]! > 0) gi += this.net.P[L.wo + k]! * this.net.P[L.wd + k * L.zLen + 2 * h2 + i]!;
      stats.push({ name: STAT_NAMES[i]!, value: round(s[i]!), weight: round(gi * s[i]!) });
    }
    const names = this.variant === 'bits' ? Array.from({ length: cols }, (_, i) => (i < 8 ? `gap bit ${i}` : i < 24 ? `window bit ${i - 8}` : `seq bit ${i - 24}`)) : [...FIELD_COLUMNS];
    const tokens = Array.from(b.idx, (k, i) => ({ name: b.names?.[i]?.join(' / ') ?? `bucket ${k}`, value: round(b.val[i]!), weight: round(this.net.P[L.ww + k]! * b.val[i]!) }))
      .filter((t) => t.weight !== 0)
      .sort((p, q) => Math.abs(q.weight) - Math.abs(p.weight))
      .slice(0, 16);
    const out: WindowExplanation = { window: { from: w.from, to: w.to }, rows: rows.map(round), fields: fieldW.map((v, i) => ({ name: names[i]!, weight: round(v) })), stats, tokens };
    if (pixels !== undefined) out.pixels = pixels;
    return out;
  }
}

const round = (v: number): number => Math.round(v * 1e4) / 1e4;

/** Batch scoring through onnxruntime: host score = `runScore` of its window scores, as `SynModel.scoreHost`. */
export class SynBatchScorer {
  private constructor(
    private readonly model: SynModel,
    private readonly session: SynOnnxSession,
  ) {}

  static async create(model: SynModel, threads = 1): Promise<SynBatchScorer> {
    return new SynBatchScorer(model, await synOnnxSession(model.file.weights, threads));
  }

  /** Host scores over every window of each host (as `scoreHost`), `batch` windows at a time. */
  async scoreHosts(hosts: readonly (readonly SynPacket[])[], batch = 4096): Promise<number[]> {
    const items: { syns: readonly SynPacket[]; w: HostWindow }[] = [];
    const owner: number[] = [];
    hosts.forEach((syns, h) => {
      if (syns.length === 0) return;
      for (const w of hostWindows(syns)) {
        items.push({ syns, w });
        owner.push(h);
      }
    });
    const y = await this.scoreWindows(items, batch);
    const runs = hosts.map(() => new WindowRun());
    owner.forEach((h, i) => runs[h]!.push(y[i]!));
    return runs.map((r) => r.score());
  }

  /** Scores windows as given (what `SynModel.windowScore` gives, to float32), `batch` at a time through onnxruntime. */
  async scoreWindows(items: readonly { syns: readonly SynPacket[]; w: HostWindow }[], batch = 4096): Promise<Float32Array> {
    const sh = this.model.net.w.shape;
    const px = sh.conv ? sh.rows * sh.cols : 0;
    const out = new Float32Array(items.length);
    for (let at = 0; at < items.length; at += batch) {
      const n = Math.min(batch, items.length - at);
      const x = new Float32Array(n * px);
      const s = new Float32Array(n * sh.stats);
      const b = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const it = items[at + i]!;
        const inp = windowInput(this.model.variant, it.syns, it.w, false, this.model.rarity);
        if (px > 0) x.set(inp.x, i * px);
        if (sh.stats > 0) s.set(inp.s, i * sh.stats);
        b[i] = this.model.net.wideLogit(inp.b);
      }
      out.set((await this.session.run(x, s, n, b)).subarray(0, n), at);
    }
    return out;
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
