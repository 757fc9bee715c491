/** Model files under a models directory (default `models/trends/`): the text classifiers and one trend model per period. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, describeCause, pathFailureKind, unreadableAdvice, unreadableWhy, writeWholeFileSync } from '../core/index.js';
import { TextClassifier } from './classify/text-classifier.js';
import { TrendModel } from './predict/trend-model.js';
import type { Period } from './predict/periods.js';

export const MODEL_FILES = {
  attackType: 'attack-type.json',
  threat: 'threat.json',
  trend: (p: Period) => `trend-${p}.json`,
} as const;

/**
 * What the product reads: the attack-type classifier (the collector, the demo) and the trend models (the
 * forecast). Not the threat model: only `nml trends eval` reads it (loadThreatModel); `nml serve` parsed
 * its 138 KB at every start and used nothing of it.
 */
export interface TrendsModels {
  attackType: TextClassifier | null;
  trend: Map<Period, TrendModel>;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const why = unreadableWhy(e, 'a trends model is one JSON file');
    const advice = unreadableAdvice(e, "run 'nml trends train' again", "move the folder aside and run 'nml trends train' again");
    throw new AppError('TRENDS_MODEL_INVALID', pathFailureKind(e), `model: cannot read ${file}: ${why}; ${advice}`, { file }, e);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new AppError('TRENDS_MODEL_INVALID', 'bad_request', `model: ${file} is not JSON (${describeCause(e)}); run 'nml trends train' again`, { file }, e);
  }
}

/** The threat classifier alone (what `nml trends eval` scores on other text); null when the file is absent. */
export function loadThreatModel(dir: string): TextClassifier | null {
  const th = join(dir, MODEL_FILES.threat);
  return existsSync(th) ? TextClassifier.fromJSON(readJson(th), th) : null;
}

/** The attack-type classifier alone; null when the file is absent. */
export function loadAttackTypeModel(dir: string): TextClassifier | null {
  const at = join(dir, MODEL_FILES.attackType);
  return existsSync(at) ? TextClassifier.fromJSON(readJson(at), at) : null;
}

/** Loads what exists of the attack-type classifier and the trend models; a missing file is null (absent), a broken one an error. */
export function loadModels(dir: string): TrendsModels {
  const trend = new Map<Period, TrendModel>();
  for (const p of ['day', 'week'] as const) {
    const f = join(dir, MODEL_FILES.trend(p));
    if (existsSync(f)) trend.set(p, TrendModel.fromJSON(readJson(f), f));
  }
  return {
    attackType: loadAttackTypeModel(dir),
    trend,
  };
}

/**
 * Writes one model file whole (core's writeWholeFileSync): a failed or killed write leaves the model that
 * was there, where writing in place left the first bytes of the new one (a full disk: a model that no
 * longer loads). A failure throws WholeFileError, whose `code` is the system's errno.
 */
export function saveModel(dir: string, file: string, model: { toJSON(): unknown }): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  writeWholeFileSync(path, JSON.stringify(model.toJSON()) + '\n');
  return path;
}
