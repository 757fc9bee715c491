/** The SYN detector: a host's SYN packets in, the probability that the host is malicious out, with the rows and fields that mattered. */
import type { Detector, ScoreResult } from '../detector.js';
import { FIELD_COLUMNS, ROWS } from './image.js';
import { plural, windowsText } from './board-text.js';
import { weighedMost } from './feature-words.js';
import { SynBatchScorer, SynModel } from './model.js';
import type { SynPacket } from './types.js';
import { RUN } from './window-run.js';

/** A source host and the SYNs it sent (any order; sorted by time before scoring). */
export interface SynHostInput {
  ip: string;
  syns: readonly SynPacket[];
}

const NUM_FIELDS = ['t', 'src4', 'dst4', 'sport', 'dport', 'ttl', 'ipid', 'win', 'seq', 'mss', 'ws', 'len'] as const;

function invalid(h: SynHostInput): string | null {
  if (typeof h?.ip !== 'string' || h.ip.length === 0 || h.ip.length > 64) return 'the host has no valid ip';
  if (!Array.isArray(h.syns)) return 'syns is not an array';
  if (h.syns.length === 0) return 'the host sent no SYN packets';
  for (const s of h.syns) {
    if (typeof s !== 'object' || s === null) return 'a SYN is not an object';
    for (const f of NUM_FIELDS) if (typeof s[f] !== 'number' || !Number.isFinite(s[f])) return `a SYN has a bad ${f}`;
    if (typeof s.opts !== 'string' || typeof s.dst !== 'string') return 'a SYN has bad options or destination';
  }
  return null;
}

export class SynDetector implements Detector<SynHostInput> {
  readonly name = 'syn';
  readonly modelVersion: string;

  constructor(readonly model: SynModel) {
    this.modelVersion = model.file.version;
  }

  static fromFile(path: string): SynDetector {
    return new SynDetector(SynModel.load(path));
  }

  get threshold(): number {
    return this.model.file.threshold;
  }

  scoreOne(h: SynHostInput): ScoreResult {
    const why = invalid(h);
    if (why !== null) return { subject: typeof h?.ip === 'string' ? h.ip : String(h?.ip), error: { code: 'SYN_BAD_INPUT', message: `cannot score host: ${why}` } };
    const syns = [...h.syns].sort((a, b) => a.t - b.t);
    const r = this.model.scoreHost(syns);
    const ex = this.model.explain(syns, r.best);
    const topRows = ex.rows.map((w, i) => ({ row: i, weight: w })).sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)).slice(0, 5);
    const summary =
      `${plural(syns.length, 'SYN')}, ${plural(new Set(syns.map((s) => s.dport)).size, 'port')}, ${plural(new Set(syns.map((s) => s.dst)).size, 'destination')}; ` +
      `${windowsText(syns.length, ROWS)}, ${r.windows > RUN ? `best run of ${RUN}` : 'mean'}: ${r.score.toFixed(3)}, highest SYNs ${r.best.from + 1}–${r.best.to}; ` +
      weighedMost(ex, r.score >= this.threshold);
    return {
      subject: h.ip,
      score: Math.min(1, Math.max(0, r.score)),
      explanation: { summary, detail: { ...ex, windows: r.windows, packets: syns.length, topRows, columns: FIELD_COLUMNS } },
    };
  }

  async score(inputs: readonly SynHostInput[]): Promise<ScoreResult[]> {
    return inputs.map((h) => {
      try {
        return this.scoreOne(h);
      } catch (e) {
        return { subject: String(h?.ip), error: { code: 'SYN_BAD_INPUT', message: `cannot score host: ${(e as Error).message}` } };
      }
    });
  }

  private batch: Promise<SynBatchScorer> | null = null;

  /** Scores only (no explanation), in batches through onnxruntime; an invalid host scores NaN. */
  async scoreFast(inputs: readonly SynHostInput[]): Promise<number[]> {
    this.batch ??= SynBatchScorer.create(this.model);
    const scorer = await this.batch;
    const ok = inputs.map((h) => invalid(h) === null);
    const scores = await scorer.scoreHosts(inputs.map((h, i) => (ok[i] ? [...h.syns].sort((a, b) => a.t - b.t) : [])));
    return scores.map((s, i) => (ok[i] ? s : Number.NaN));
  }

  async close(): Promise<void> {
    const b = this.batch;
    this.batch = null;
    if (b !== null) await (await b).close();
  }
}

/** Groups SYNs by source address, in first-seen order. */
export function groupByHost(syns: readonly SynPacket[]): SynHostInput[] {
  const m = new Map<string, SynPacket[]>();
  for (const s of syns) {
    let a = m.get(s.src);
    if (a === undefined) m.set(s.src, (a = []));
    a.push(s);
  }
  return [...m].map(([ip, ss]) => ({ ip, syns: ss }));
}
