/** The learned ranking weights on disk: `models/assist-ranker/weights.json`. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError, describeCause, unreadableAdvice, unreadableWhy } from '../core/index.js';
import { BM25_ONLY, FEATURES, type RankModel } from './similar.js';

/** The shipped weights: the first `models/assist-ranker/weights.json` above this module (source or compiled tree). */
function shippedPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 7; i++) {
    const cand = join(dir, 'models', 'assist-ranker', 'weights.json');
    if (existsSync(cand)) return cand;
    dir = resolve(dir, '..');
  }
  return resolve('models', 'assist-ranker', 'weights.json');
}

export const DEFAULT_MODEL_PATH = shippedPath();

/** The saved model, or plain BM25 when there is none. */
export function loadRankModel(path = DEFAULT_MODEL_PATH): RankModel {
  if (!existsSync(path)) return BM25_ONLY;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = unreadableWhy(e, 'the ranking model is one JSON file');
    const advice = unreadableAdvice(e, 'run nml assist eval --save-model', 'move the folder aside (plain BM25 ranks without it), or run nml assist eval --save-model');
    throw new AppError('ASSIST_MODEL_INVALID', 'internal', `assist: cannot read the ranking model ${path}: ${why}; ${advice}`, { path }, e);
  }
  let m: Partial<RankModel> & { features?: string[] };
  try {
    m = JSON.parse(text) as typeof m;
  } catch (e) {
    throw new AppError('ASSIST_MODEL_INVALID', 'internal', `assist: the ranking model ${path} is not JSON (${describeCause(e)}); run nml assist eval --save-model`, { path }, e);
  }
  if (!Array.isArray(m.weights) || m.weights.length !== FEATURES.length || JSON.stringify(m.features) !== JSON.stringify(FEATURES)) {
    throw new AppError('ASSIST_MODEL_INVALID', 'internal', `assist: the ranking model ${path} was trained for other features; run nml assist eval --save-model`, { path });
  }
  const bad = problem({ ...BM25_ONLY, ...m });
  if (bad !== null) {
    throw new AppError('ASSIST_MODEL_INVALID', 'internal', `assist: the ranking model ${path} is damaged (${bad}); run nml assist eval --save-model`, { path });
  }
  return { ...BM25_ONLY, ...m, weights: m.weights };
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const positiveInt = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) > 0;

/** What makes a loaded model unusable (NaN scores, an empty candidate pool), or null. */
function problem(m: Record<string, unknown>): string | null {
  const w = m['weights'] as unknown[];
  const i = w.findIndex((x) => !finite(x));
  if (i >= 0) return `weight ${i} (${FEATURES[i]}) is not a finite number`;
  if (!positiveInt(m['pool'])) return 'pool is not a positive integer';
  if (!positiveInt(m['voteK'])) return 'voteK is not a positive integer';
  const bm25 = m['bm25'] as Record<string, unknown> | null;
  if (typeof bm25 !== 'object' || bm25 === null || !finite(bm25['k1']) || bm25['k1'] < 0 || !finite(bm25['b']) || bm25['b'] < 0 || bm25['b'] > 1) {
    return 'bm25 needs a finite k1 >= 0 and b in [0, 1]';
  }
  if (typeof m['trainedOn'] !== 'string') return 'trainedOn is not a string';
  return null;
}

/** The model file's text: what `loadRankModel` reads (`nml eval assist --save-model` writes it whole). */
export function rankModelText(model: RankModel): string {
  return JSON.stringify({ features: FEATURES, ...model }, null, 2) + '\n';
}
