/** The learned ranking weights on disk: `models/assist-ranker/weights.json`. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../core/index.js';
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
  let m: Partial<RankModel> & { features?: string[] };
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as typeof m;
  } catch (e) {
    throw new AppError('ASSIST_MODEL_INVALID', 'internal', `assist: cannot read the ranking model ${path}: ${(e as Error).message}; run nml assist eval --save-model`, { path });
  }
  if (!Array.isArray(m.weights) || m.weights.length !== FEATURES.length || JSON.stringify(m.features) !== JSON.stringify(FEATURES)) {
    throw new AppError('ASSIST_MODEL_INVALID', 'internal', `assist: the ranking model ${path} was trained for other features; run nml assist eval --save-model`, { path });
  }
  return { ...BM25_ONLY, ...m, weights: m.weights };
}

export function saveRankModel(model: RankModel, path = DEFAULT_MODEL_PATH): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ features: FEATURES, ...model }, null, 2) + '\n');
}
