/**
 * Bag of byte n-grams: every 1- to 5-byte sequence of the host (lower case) and of the path, with a
 * begin and end mark around each part, hashed into 2^20 weights of one logistic regression. Like
 * Bag-of-Bytes the grams are raw bytes, nothing hand-made; unlike it, they keep which bytes follow which.
 * The score is sigmoid(b + Σ w[gram] / √grams + p[popularity]), where p is one of six weights when the
 * host or a parent domain is on the model's popularity table (popularity.ts; models without one have no
 * p). A model reads its grams one of two ways (`NgramGrams`, model.json `grams`): `distinct`, each gram
 * bucket once per part (the default since ngram-2026-12-03-distinct-s1), or `counted`, every occurrence
 * (models without the field). The explanation is exact: each gram's term shared out over the bytes it
 * covers, the popularity term over the matched domain.
 */
import { SparseScratch, hostEndBytes, schemelessBytes } from './features.js';
import { explainByBytes, type UrlExplanationDetail } from './explain.js';
import type { ModelMeta } from './model-io.js';
import type { NgramGrams } from './ngram-grams.js';
import { POP_FEATURES, PopularityTable, describeFeature } from './popularity.js';

export const NGRAM_BITS = 20;
export const NGRAM_DIM = 1 << NGRAM_BITS;
export const NGRAM_MIN = 1;
export const NGRAM_MAX = 5;
/** most training epochs unless told otherwise (early stopping keeps the best) */
export const NGRAM_EPOCHS = 4;
/** bytes of each part read at most (a DNS name has ≤ 253; longer paths add nothing the first KiB lacks) */
export const HOST_CAP = 256;
export const PATH_CAP = 1024;
/** the marks before and after a part: values no byte has */
const BEGIN = 256;
const END = 257;

export const NGRAM_TENSORS: ModelMeta['tensors'] = [
  { name: 'w', shape: [NGRAM_DIM] },
  { name: 'b', shape: [1] },
];

export interface NgramWeights {
  w: Float32Array;
  b: Float32Array;
  /** how the weights read grams (absent: `counted`, the reading of models before 2026-12-03) */
  grams?: NgramGrams;
  /** the popularity weights (POP_FEATURES) and table, when the model was trained with one */
  pop?: { w: Float32Array; table: PopularityTable };
}

/** The weights of a model's tensors; `grams` is its model.json `grams` (absent: counted). */
export function ngramWeights(t: Record<string, Float32Array>, grams: NgramGrams = 'counted'): NgramWeights {
  const w = t.w;
  const b = t.b;
  if (w === undefined || w.length !== NGRAM_DIM) throw new Error(`tensor w missing or not of ${NGRAM_DIM} floats`);
  if (b === undefined || b.length !== 1) throw new Error('tensor b missing or not of 1 float');
  if (t.pop_w === undefined) return { w, b, grams };
  if (t.pop_w.length !== POP_FEATURES) throw new Error(`tensor pop_w not of ${POP_FEATURES} floats`);
  if (t.pop_hi === undefined || t.pop_lo === undefined || t.pop_tier === undefined) throw new Error('tensor pop_w without pop_hi, pop_lo and pop_tier');
  return { w, b, grams, pop: { w: t.pop_w, table: PopularityTable.fromTensors(t.pop_hi, t.pop_lo, t.pop_tier) } };
}

/** The tensors of trained weights, and their list for model.json (the popularity ones only when present). */
export function ngramTensors(m: NgramWeights): { tensors: Record<string, Float32Array>; list: ModelMeta['tensors'] } {
  if (m.pop === undefined) return { tensors: { w: m.w, b: m.b }, list: NGRAM_TENSORS };
  const t = m.pop.table.toTensors();
  const n = t.pop_hi.length;
  return {
    tensors: { w: m.w, b: m.b, pop_w: m.pop.w, ...t },
    list: [...NGRAM_TENSORS, { name: 'pop_w', shape: [POP_FEATURES] }, { name: 'pop_hi', shape: [n] }, { name: 'pop_lo', shape: [n] }, { name: 'pop_tier', shape: [n] }],
  };
}

/** The part's values with its marks: v[0] = BEGIN, v[1…len] its bytes (ASCII upper case lowered when `lower`), v[len+1] = END. */
function partValues(bytes: Uint8Array, from: number, to: number, lower: boolean, v: Int32Array): number {
  const len = to - from;
  v[0] = BEGIN;
  for (let i = 0; i < len; i++) {
    const c = bytes[from + i]!;
    v[i + 1] = lower && c >= 65 && c <= 90 ? c + 32 : c;
  }
  v[len + 1] = END;
  return len + 2;
}

/** The bucket of the gram of length k whose running FNV-1a hash is h. */
function bucket(h: number, k: number): number {
  let x = (h ^ Math.imul(k, 0x85ebca6b)) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x2c1b3c6d) >>> 0;
  x ^= x >>> 12;
  return x & (NGRAM_DIM - 1);
}

/**
 * The buckets already given in the part being read (distinct grams), without a Set per URL: a small
 * open-addressed table whose slots hold stamp << 20 | bucket, the stamp new for every part, so a slot of
 * another stamp is free and nothing is cleared between parts (11-bit stamps: the table is cleared once
 * every 2,047 parts). 2^14 slots, under a third full (a part gives at most 5 × (PATH_CAP + 2) grams);
 * a part uses the first 2^k of them, k from its length, so a short host probes a few hundred slots that
 * stay in the nearest cache. One for the module: partGrams runs start to end without yielding, and a
 * worker thread has its own. A 16-bit stamp per bucket (2 MiB read beside the 4 MiB of weights) scored
 * 108k URLs per CPU second where this table scored 111k–130k and counted grams 142k–186k (2026-12-03,
 * one process, passes alternated, a shared machine at load 8–9).
 */
const SEEN_SLOTS = 1 << 14;
const MAX_STAMP = (1 << 11) - 1;
const seen = { slots: null as Int32Array | null, stamp: MAX_STAMP };
const NO_SLOTS = new Int32Array(0);

/** A stamp no slot holds yet, for one part. */
function nextStamp(): number {
  if (seen.slots === null || seen.stamp === MAX_STAMP) {
    if (seen.slots === null) seen.slots = new Int32Array(SEEN_SLOTS);
    else seen.slots.fill(0);
    seen.stamp = 0;
  }
  return ++seen.stamp;
}

/** Where each gram partGrams gave lies: its first byte (−1 for the begin mark) and its length (1…5). */
interface GramSpans {
  start: Int32Array;
  len: Uint8Array;
}

/**
 * Gram buckets of one part (bytes[from, to) with its marks) into out[at…]; `spans`, when given, gets each
 * gram's first byte and length. Grams come start by start, lengths 1…5. `distinct`: a bucket already given
 * in this part is skipped. Returns the new end.
 */
function partGrams(bytes: Uint8Array, from: number, to: number, part: number, lower: boolean, v: Int32Array, out: Uint32Array, at: number, distinct: boolean, spans?: GramSpans): number {
  const m = partValues(bytes, from, to, lower, v);
  const seed = (0x811c9dc5 ^ (part * 0x9e3779b1)) >>> 0;
  const stamp = distinct ? nextStamp() : 0;
  const slots = distinct ? seen.slots! : NO_SLOTS;
  // 2^bits slots for this part: over four times its grams (≤ 5m), at most SEEN_SLOTS
  const bits = Math.min(32 - Math.clz32(20 * m), 14);
  const mask = (1 << bits) - 1;
  const tag = stamp << 20;
  for (let i = 0; i < m; i++) {
    let h = seed;
    const kmax = Math.min(NGRAM_MAX, m - i);
    grams: for (let k = 1; k <= kmax; k++) {
      h = Math.imul(h ^ v[i + k - 1]!, 0x01000193) >>> 0;
      if (k < NGRAM_MIN) continue;
      const g = bucket(h, k);
      if (distinct) {
        // linear probing from the bucket's slot: its own key is a repeat; a slot of another stamp is free
        for (let j = Math.imul(g, 0x9e3779b1) >>> (32 - bits); ; j = (j + 1) & mask) {
          const e = slots[j]!;
          if (e === (tag | g)) continue grams;
          if (e >>> 20 !== stamp) {
            slots[j] = tag | g;
            break;
          }
        }
      }
      if (spans !== undefined) {
        spans.start[at] = i - 1;
        spans.len[at] = k;
      }
      out[at++] = g;
    }
  }
  return at;
}

/** Grams a part of `len` bytes gives: every start (marks included) times every length that fits. */
function gramCount(len: number): number {
  let c = 0;
  for (let k = NGRAM_MIN; k <= NGRAM_MAX; k++) c += Math.max(0, len + 3 - k);
  return c;
}

/** Scratch for one URL's grams (reuse it across calls). */
export class NgramScratch {
  readonly sc = new SparseScratch();
  readonly v = new Int32Array(Math.max(HOST_CAP, PATH_CAP) + 2);
  idx = new Uint32Array(gramCount(HOST_CAP) + gramCount(PATH_CAP));
  n = 0;
  /** the popularity feature (0…POP_FEATURES-1), -1 for none */
  pop = -1;
}

/**
 * The gram buckets of a URL (string or raw bytes; scheme stripped) into `s.idx[0, s.n)`, read as `grams`
 * says (default counted), and its popularity feature into `s.pop` when a table is given.
 */
export function ngramIndices(url: string | Uint8Array, s: NgramScratch, table?: PopularityTable, grams: NgramGrams = 'counted'): void {
  const { bytes, n } = schemelessBytes(url, s.sc);
  const h = hostEndBytes(bytes, n);
  const distinct = grams === 'distinct';
  let at = partGrams(bytes, 0, Math.min(h, HOST_CAP), 0, true, s.v, s.idx, 0, distinct);
  at = partGrams(bytes, h, Math.min(n, h + PATH_CAP), 1, false, s.v, s.idx, at, distinct);
  s.n = at;
  s.pop = table === undefined ? -1 : (table.match(bytes, h)?.feature ?? -1);
}

/** the logistic the n-gram scores and their training read (not mlp.ts's overflow-safe form: the last bits of a score would move) */
export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/**
 * URLs (without their scheme) longer than this many bytes are also scored on windows that padding
 * cannot dilute (`ngramWindows`); shorter ones have one logit, the whole URL's.
 */
export const LONG_URL = 128;
/** bytes of the path the host-and-leading-path window reads */
export const LEAD_PATH = 32;

/** When a URL is long (over `longUrl` bytes without its scheme) and how much path its leading window reads. */
export interface NgramWindowOptions {
  longUrl: number;
  leadPath: number;
}
const DEFAULT_WINDOWS: NgramWindowOptions = { longUrl: LONG_URL, leadPath: LEAD_PATH };
/** every URL on one window, its whole (the scoring before windows; training's validation loss) */
export const WHOLE_URL: NgramWindowOptions = { longUrl: Infinity, leadPath: LEAD_PATH };

/** which part of a URL gave its score: all of it, all but the query string and fragment, the host and LEAD_PATH bytes of path */
export type NgramWindowKind = 'full' | 'no-query' | 'leading-path';

/**
 * The path ends (offsets into `bytes`, host ending at h, n bytes in all) of the windows a URL is scored
 * on, into `ends`; returns how many. The first is the whole URL's (path capped at PATH_CAP); a URL over
 * LONG_URL bytes adds, when shorter than the ones before, the end before its query string or fragment
 * (the first `?` or `#` of the path) and the end after LEAD_PATH bytes of path.
 */
export function ngramWindows(bytes: Uint8Array, h: number, n: number, ends: Int32Array, kinds?: NgramWindowKind[], o: NgramWindowOptions = DEFAULT_WINDOWS): number {
  const full = Math.min(n, h + PATH_CAP);
  ends[0] = full;
  if (kinds !== undefined) kinds[0] = 'full';
  if (n <= o.longUrl) return 1;
  let count = 1;
  let q = h;
  while (q < full && bytes[q] !== 63 && bytes[q] !== 35) q++;
  if (q < full) {
    if (kinds !== undefined) kinds[count] = 'no-query';
    ends[count++] = q;
  }
  const lead = Math.min(h + o.leadPath, full);
  if (lead < ends[count - 1]!) {
    if (kinds !== undefined) kinds[count] = 'leading-path';
    ends[count++] = lead;
  }
  return count;
}

/** Scores URLs with a trained n-gram model. */
export class NgramScorer {
  private readonly s = new NgramScratch();
  /** the explanation's own gram buffers, reused: allocated per URL they cost more than the explaining (tens of kB each) */
  private readonly ex = { v: this.s.v.slice(), idx: this.s.idx.slice(), spans: { start: new Int32Array(this.s.idx.length), len: new Uint8Array(this.s.idx.length) } };
  /** the model reads distinct grams (model.json `grams: "distinct"`) */
  private readonly distinct: boolean;

  /** the path ends of the windows of the URL being scored (ngramWindows) */
  private readonly ends = new Int32Array(3);
  private readonly kinds: NgramWindowKind[] = ['full', 'full', 'full'];
  /** the window the last `logit` scored, and the bytes of the path it read */
  window: { kind: NgramWindowKind; pathBytes: number } = { kind: 'full', pathBytes: 0 };

  /** `windows`: other window bounds than LONG_URL and LEAD_PATH (for measuring them; the shipped scoring uses the defaults) */
  constructor(
    readonly weights: NgramWeights,
    readonly windows: NgramWindowOptions = DEFAULT_WINDOWS,
  ) {
    this.distinct = weights.grams === 'distinct';
  }

  /** The model's popularity table (the IDN-homograph rule reads it too: homograph.ts); null when it has none. */
  get popularity(): PopularityTable | null {
    return this.weights.pop?.table ?? null;
  }

  /**
   * The logit of a URL: the one of the whole URL (its first HOST_CAP and PATH_CAP bytes) or, for a URL over
   * LONG_URL bytes, the highest of it and of the windows `ngramWindows` gives (the URL without its query
   * string; its host and the first LEAD_PATH bytes of its path). Each window's path is a part of its own
   * (with distinct grams, its repeats are skipped within it). The gram sum is divided by √grams, so
   * bytes appended to a malicious URL dilute it towards the bias; a window ends before them. The window
   * scored stays in `window` (the explanation shades that one).
   */
  logit(url: string | Uint8Array): number {
    const s = this.s;
    const pop = this.weights.pop;
    const { bytes, n } = schemelessBytes(url, s.sc);
    const h = hostEndBytes(bytes, n);
    s.pop = pop === undefined ? -1 : (pop.table.match(bytes, h)?.feature ?? -1);
    const w = this.weights.w;
    const hostGrams = partGrams(bytes, 0, Math.min(h, HOST_CAP), 0, true, s.v, s.idx, 0, this.distinct);
    let zHost = 0;
    for (let i = 0; i < hostGrams; i++) zHost += w[s.idx[i]!]!;
    const bias = this.weights.b[0]! + (s.pop >= 0 ? pop!.w[s.pop]! : 0);
    const ends = this.ends;
    const count = ngramWindows(bytes, h, n, ends, this.kinds, this.windows);
    let best = -Infinity;
    for (let k = 0; k < count; k++) {
      const at = partGrams(bytes, h, ends[k]!, 1, false, s.v, s.idx, hostGrams, this.distinct);
      let z = zHost;
      for (let i = hostGrams; i < at; i++) z += w[s.idx[i]!]!;
      const logit = bias + z / Math.sqrt(Math.max(1, at));
      if (logit > best) {
        best = logit;
        s.n = at;
        this.window = { kind: this.kinds[k]!, pathBytes: ends[k]! - h };
      }
    }
    return best;
  }

  /** Probabilities of a batch (URL strings or raw bytes), in order. */
  scoreBatch(urls: readonly (string | Uint8Array)[]): Float32Array {
    const out = new Float32Array(urls.length);
    for (let i = 0; i < urls.length; i++) out[i] = sigmoid(this.logit(urls[i]!));
    return out;
  }

  /**
   * Probability and explanation of one URL: each gram's term shared equally over the bytes it covers. With
   * distinct grams a repeated gram has one term, shared over the bytes of its first occurrence (the one
   * the score kept); its repeats add nothing.
   */
  explain(url: string): { score: number; detail: UrlExplanationDetail } {
    const logit = this.logit(url);
    const window = this.window;
    const scale = 1 / Math.sqrt(Math.max(1, this.s.n));
    const { w, pop } = this.weights;
    let known: UrlExplanationDetail['popularity'];
    // explain runs start to end without an await: one scratch serves every call
    const { idx, v, spans } = this.ex;
    const { start, len: glen } = spans;
    const detail = explainByBytes(url, logit, 'scheme', (bytes, part) => {
      // the path as far as the window scored reads it: the bytes after it are outside the score and stay 0
      const len = Math.min(bytes.length, part === 0 ? HOST_CAP : window.pathBytes);
      const out = new Float64Array(bytes.length);
      const m = partGrams(bytes, 0, len, part, part === 0, v, idx, 0, this.distinct, spans);
      for (let g = 0; g < m; g++) {
        // gram g covers bytes start[g] … start[g] + glen[g] − 1, the marks (−1 and len) outside the bytes
        const from = Math.max(0, start[g]!);
        const to = Math.min(len, start[g]! + glen[g]!);
        if (to <= from) continue;
        const share = (w[idx[g]!]! * scale) / (to - from);
        for (let i = from; i < to; i++) out[i]! += share;
      }
      const hit = part === 0 ? pop?.table.match(bytes, bytes.length) : undefined;
      if (hit != null && pop !== undefined) {
        const term = pop.w[hit.feature]!;
        for (let i = hit.from; i < hit.to; i++) out[i]! += term / (hit.to - hit.from);
        known = { domain: Buffer.from(bytes.subarray(hit.from, hit.to)).toString('utf8').toLowerCase(), meaning: describeFeature(hit.feature), weight: Math.round(term * 1e4) / 1e4 };
      }
      return out;
    });
    const scored = window.kind === 'full' ? detail : { ...detail, window: window.kind };
    return { score: sigmoid(logit), detail: known === undefined ? scored : { ...scored, popularity: known } };
  }
}
