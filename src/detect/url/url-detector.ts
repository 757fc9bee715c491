/** UrlDetector: the `url` Detector over a trained URL model (byte n-grams or Bag-of-Bytes), with an explanation for every score. */
import { existsSync } from 'node:fs';
import { setImmediate as yieldTurn } from 'node:timers/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../core/index.js';
import type { Detector, ScoreResult } from '../detector.js';
import { BobScorer } from './bob.js';
import { FastBob } from './fast-bob.js';
import { deceptionOf } from './deception.js';
import { summarize, type UrlExplanationDetail } from './explain.js';
import { findingUrl } from './line-urls.js';
import { loadModel, type ModelMeta } from './model-io.js';
import { NgramScorer } from './ngram.js';
import type { PopularityTable } from './popularity.js';
import { scorerFor, type UrlScorer } from './scorer.js';

/** What the detector answers for an empty or blank URL (scoreOne), and score-inputs.ts on its fast path. */
export const URL_EMPTY = { code: 'URL_EMPTY', message: 'url: empty string; give a URL' } as const;

/** The model kind shipped as the default (`models/url/<kind>`). */
export const DEFAULT_URL_MODEL = 'ngram';

/** A shipped model: the first `models/url/<kind>` above this module (source or compiled tree); the default model without `kind`. */
export function defaultModelDir(kind: string = DEFAULT_URL_MODEL): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 7; i++) {
    const cand = join(dir, 'models', 'url', kind);
    if (existsSync(join(cand, 'model.json'))) return cand;
    dir = resolve(dir, '..');
  }
  return resolve('models', 'url', kind);
}

/** Milliseconds of explaining between two turns of the event loop. */
export const EXPLAIN_SLICE_MS = 20;

/** URLs longer than this are scored on their first bytes (features saturate long before). */
export const MAX_URL_CHARS = 100_000;

function unscorable(subject: string, code: string, message: string): ScoreResult {
  return { subject, error: { code, message } };
}

/**
 * The one form each URL is scored in, by `nml score url`, `POST /api/detect/url` and live findings alike:
 * a finding's (line-urls.ts `findingUrl`: no scheme, host in lower case, an empty path `/`, the scheme's
 * default port dropped), so that one URL has one score however it is written. A blank input stays as
 * it is (it scores 0, or is URL_EMPTY).
 */
function scoringForm(u: string): string {
  return u.trim() === '' ? u : findingUrl(u);
}

const clip = (u: string): string => (u.length > MAX_URL_CHARS ? u.slice(0, MAX_URL_CHARS) : u);

export class UrlDetector implements Detector<string> {
  readonly name = 'url';
  readonly modelVersion: string;
  readonly threshold: number;
  private readonly scorer: UrlScorer;
  /** Bag-of-Bytes only: batches through onnxruntime (the n-gram model is fastest in plain JavaScript) */
  private readonly fast: FastBob | null;
  /** the n-gram model's popularity table, which the IDN-homograph rule reads (homograph.ts); null for Bag-of-Bytes or a model without one */
  readonly popularity: PopularityTable | null;

  constructor(
    readonly meta: ModelMeta,
    scorer: UrlScorer,
  ) {
    this.modelVersion = meta.version;
    this.threshold = meta.threshold;
    this.scorer = scorer;
    this.fast = scorer instanceof BobScorer ? new FastBob(scorer) : null;
    this.popularity = scorer instanceof NgramScorer ? scorer.popularity : null;
  }

  /** Loads a model directory (`ngram` or `bob`; default: the shipped default model). */
  static load(dir = defaultModelDir()): UrlDetector {
    const m = loadModel(dir);
    if (m.meta.kind !== 'bob' && m.meta.kind !== 'ngram') throw new AppError('MODEL_INVALID', 'bad_request', `url model: ${dir} holds a '${m.meta.kind}' model; the detector scores with an 'ngram' or 'bob' model`);
    try {
      return new UrlDetector(m.meta, scorerFor(m.meta.kind, m.tensors, m.meta.normalize ?? 'scheme', m.meta.grams));
    } catch (e) {
      throw new AppError('MODEL_INVALID', 'bad_request', `url model: ${dir}: ${(e as Error).message}`, undefined, e);
    }
  }

  /**
   * Probabilities only, batched (the fast path, no explanations). Bag-of-Bytes: dense features into
   * onnxruntime (one thread), or the SIMD forward pass where onnxruntime cannot load. An empty URL scores 0.
   * `formed`: the URLs are already in their scoring form (the live scorer keys its cache by it), so it is
   * not computed again.
   */
  async scoreFast(urls: readonly string[], formed = false): Promise<Float32Array> {
    const clipped = urls.map((u) => (typeof u !== 'string' ? '' : clip(formed ? u : scoringForm(u))));
    const out = this.fast === null ? this.scorer.scoreBatch(clipped) : await this.fast.score(clipped);
    clipped.forEach((u, i) => {
      if (u.trim().length === 0) out[i] = 0;
    });
    return out;
  }

  /**
   * Scores with explanations, giving the event loop a turn after every EXPLAIN_SLICE_MS of work: a
   * request of 10,000 URLs explains for seconds, and the server (live scoring, other requests) must not
   * stop for it. By time, not count: one 100 kB URL explains as long as hundreds of short ones.
   */
  async score(inputs: readonly string[]): Promise<ScoreResult[]> {
    const out: ScoreResult[] = [];
    let slice = performance.now();
    for (const input of inputs) {
      if (performance.now() - slice >= EXPLAIN_SLICE_MS) {
        await yieldTurn();
        slice = performance.now();
      }
      out.push(this.scoreOne(input));
    }
    return out;
  }

  /** One URL with its explanation; never throws. */
  scoreOne(input: string): ScoreResult {
    if (typeof input !== 'string') return unscorable(String(input), 'URL_INVALID', 'url: expected a string');
    if (input.trim().length === 0) return unscorable(input, URL_EMPTY.code, URL_EMPTY.message);
    try {
      const u = clip(scoringForm(input));
      const x = this.scorer.explain(u);
      const { score } = x;
      // the deception rules read the URL as given: its scoring form has no userinfo, its host is punycode
      const deception = deceptionOf(input, this.popularity);
      const detail: UrlExplanationDetail = { ...x.detail, ...(u === input ? {} : { scored: u }), ...(deception === null ? {} : { deception }) };
      return { subject: input, score, explanation: { summary: summarize(score, detail), detail } };
    } catch (e) {
      return unscorable(input, 'URL_INVALID', `url: cannot score: ${(e as Error).message}`);
    }
  }

  /** Score and explanation detail of one URL (the caller checks it is a non-empty string). */
  explainOne(url: string): { score: number; detail: UrlExplanationDetail } {
    return this.scorer.explain(clip(scoringForm(url)));
  }

  async close(): Promise<void> {
    await this.fast?.close();
  }
}
