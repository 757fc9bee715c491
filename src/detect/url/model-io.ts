/** Saving and loading URL models: `model.json` (what, when, how trained) beside `weights.bin` (float32, little-endian). */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../core/index.js';
import type { UrlNormalization } from './features.js';

export const MODEL_FORMAT = 'nml-url-model/1';

export interface ModelMeta {
  format: typeof MODEL_FORMAT;
  /** `bob` or `expose` */
  kind: string;
  /** recorded with every finding, e.g. `bob-2026-11-29` */
  version: string;
  created: string;
  seed: number;
  command: string;
  /** tensor name → shape, stored in this order in weights.bin */
  tensors: { name: string; shape: number[] }[];
  /** what the model reads of a URL (absent: `scheme`) */
  normalize?: UrlNormalization;
  /** score at or above which a URL is reported (findings, `nml score` summary) */
  threshold: number;
  /** anything the trainer wants to keep: data, epochs, timings, metrics */
  training: Record<string, unknown>;
}

export interface LoadedModel {
  meta: ModelMeta;
  tensors: Record<string, Float32Array>;
}

export function saveModel(dir: string, meta: ModelMeta, tensors: Record<string, Float32Array>): void {
  mkdirSync(dir, { recursive: true });
  const total = meta.tensors.reduce((a, t) => a + t.shape.reduce((x, y) => x * y, 1), 0);
  const buf = Buffer.alloc(total * 4);
  let off = 0;
  for (const t of meta.tensors) {
    const a = tensors[t.name];
    const n = t.shape.reduce((x, y) => x * y, 1);
    if (a === undefined || a.length < n) throw new AppError('MODEL_INVALID', 'internal', `model ${meta.version}: tensor ${t.name} is missing or short`);
    for (let i = 0; i < n; i++) {
      // a training run that diverged must not leave a model that only fails when loaded
      if (!Number.isFinite(a[i]!)) throw new AppError('MODEL_INVALID', 'internal', `model ${meta.version}: tensor ${t.name} holds ${a[i]} at ${i}: training diverged; try a smaller step or another seed`);
      buf.writeFloatLE(a[i]!, off + i * 4);
    }
    off += n * 4;
  }
  writeFileSync(join(dir, 'weights.bin'), buf);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(meta, null, 2) + '\n');
}

export function loadModel(dir: string): LoadedModel {
  let meta: ModelMeta;
  let bin: Buffer;
  try {
    meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelMeta;
    bin = readFileSync(join(dir, 'weights.bin'));
  } catch (e) {
    throw new AppError('MODEL_NOT_FOUND', 'not_found', `url model: cannot read ${dir}/model.json and weights.bin (${(e as Error).message}); train one with \`nml train url\``, undefined, e);
  }
  if (meta.format !== MODEL_FORMAT || !Array.isArray(meta.tensors)) {
    throw new AppError('MODEL_INVALID', 'bad_request', `url model: ${dir}/model.json is not ${MODEL_FORMAT}`);
  }
  const tensors: Record<string, Float32Array> = {};
  let off = 0;
  for (const t of meta.tensors) {
    const n = t.shape.reduce((x, y) => x * y, 1);
    if (off + n * 4 > bin.length) throw new AppError('MODEL_INVALID', 'bad_request', `url model: ${dir}/weights.bin is shorter than model.json says (tensor ${t.name})`);
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = bin.readFloatLE(off + i * 4);
      // a NaN or infinite weight makes every score NaN (or 0/1) and live scoring silently flag nothing
      if (!Number.isFinite(v)) throw new AppError('MODEL_INVALID', 'bad_request', `url model: ${dir}/weights.bin holds ${v} in tensor ${t.name} (entry ${i}); a model's weights must be finite numbers`);
      a[i] = v;
    }
    tensors[t.name] = a;
    off += n * 4;
  }
  if (off !== bin.length) throw new AppError('MODEL_INVALID', 'bad_request', `url model: ${dir}/weights.bin has ${bin.length - off} bytes more than model.json says`);
  return { meta, tensors };
}
