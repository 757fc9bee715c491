/** Saving and loading URL models: `model.json` (what, when, how trained) beside `weights.bin` (float32, little-endian). */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError, describeCause, errnoOf, prepareWholeFileSync, syncFolderOfSync, writeWholeFileSync, type PreparedWholeFile } from '../../core/index.js';
import type { UrlNormalization } from './features.js';
import { modelDirError } from './model-dir.js';
import type { NgramGrams } from './ngram-grams.js';

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
  /** n-grams: how the model reads grams (ngram-grams.ts NgramGrams); absent: `counted`, as every model before 2026-12-03 */
  grams?: NgramGrams;
  /** score at or above which a URL is reported (findings, `nml score` summary) */
  threshold: number;
  /** anything the trainer wants to keep: data, epochs, timings, metrics */
  training: Record<string, unknown>;
  /**
   * SHA-256 of weights.bin (hex), written by every save since 2026-12-07: a load refuses weights of
   * another save (new weights beside the old model.json, after a save killed between its two renames, or
   * files copied from two models), which would otherwise load whenever the shapes agree. Absent: not checked.
   */
  weightsSha256?: string;
}

export interface LoadedModel {
  meta: ModelMeta;
  tensors: Record<string, Float32Array>;
}

/**
 * Writes the model whole: a new folder is written beside `dir` and renamed to it; an existing folder
 * gets each file under a temporary name, renamed over its own (weights.bin first, model.json last). A
 * Ctrl-C or a failed write leaves the model that was there, or no folder; at worst, for the instant
 * between the two renames, new weights beside the old model.json, which a load then refuses (model.json holds
 * the SHA-256 of its weights.bin). An existing folder is never moved or
 * emptied: `--out` may name one that holds other things (a card, notes; `--out .` by mistake). Every file
 * is written by core's whole-file writer (created exclusively, synced before its rename), so a power cut
 * after the save cannot leave empty files under the model's names, and the rename of a new folder is synced
 * into its parent. A process killed while it writes a new
 * folder leaves `.<name>.tmp-XXXXXX` beside it (nothing sweeps it: `--out` is anywhere, and the name holds
 * no pid to tell a save under way from a dead one); in an existing folder, the writer's temporary files.
 */
export function saveModel(dir: string, given: ModelMeta, tensors: Record<string, Float32Array>): void {
  const buf = modelBytes(given, tensors);
  const meta: ModelMeta = { ...given, weightsSha256: sha256(buf) };
  const target = resolve(dir);
  if (existsSync(target)) return saveInPlace(target, buf, meta);
  let tmp: string;
  try {
    makeFolders(dirname(target));
    tmp = mkdtempSync(join(dirname(target), `.${basename(target)}.tmp-`));
  } catch (e) {
    throw saveFailed(target, e);
  }
  try {
    writeWholeFileSync(join(tmp, 'weights.bin'), buf);
    writeWholeFileSync(join(tmp, 'model.json'), JSON.stringify(meta, null, 2) + '\n');
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw saveFailed(target, e);
  }
  try {
    syncFolderOfSync(target); // the rename itself, as each file's was synced into the new folder
  } catch (e) {
    throw saveFailed(target, e);
  }
}

/**
 * Each file written to a temporary name in `dir` (prepareWholeFileSync) and renamed over its own:
 * weights.bin first, model.json (what a reader opens first) last. Not writeWholeFileSync file by file:
 * both are written before either is renamed, so a failed model.json leaves the old model whole rather
 * than new weights beside it.
 */
function saveInPlace(dir: string, buf: Buffer, meta: ModelMeta): void {
  const prepared: PreparedWholeFile[] = [];
  try {
    prepared.push(prepareWholeFileSync(join(dir, 'weights.bin'), buf));
    prepared.push(prepareWholeFileSync(join(dir, 'model.json'), JSON.stringify(meta, null, 2) + '\n'));
    // each commit removes its own temporary file if it fails; the ones after it are removed below
    while (prepared.length > 0) prepared.shift()!.commit();
  } catch (e) {
    for (const p of prepared) p.abort();
    throw saveFailed(dir, e);
  }
}

/**
 * Makes the missing folders of `dir` one level at a time, from the nearest existing one down: a folder
 * that cannot be made fails at once (Node 20's recursive mkdir loops forever on one below /proc). The
 * one copy: the CLI's whole-file writes (write-whole.ts) and assist's incident base use it too, through
 * the detect index, and the SYN demo capture (syn/demo-capture.ts).
 */
export function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); !existsSync(at) && dirname(at) !== at; at = dirname(at)) missing.push(at);
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** What to do about a model folder that could not be written, by the errno. */
function saveAdvice(e: unknown): string {
  switch (errnoOf(e)) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'free space on its disk, or give --out a folder on another disk';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'give --out a folder you may write to';
    case 'ENOTDIR':
      return 'give --out a folder, not a file';
    default:
      return 'free space or fix the permissions there, or give another --out';
  }
}

const saveFailed = (dir: string, e: unknown): AppError =>
  new AppError('MODEL_SAVE_FAILED', 'unavailable', `url model: cannot write the model to ${dir}: ${describeCause(e)}; ${saveAdvice(e)}`, { dir }, e);

/** weights.bin's bytes: every tensor model.json lists, in order, as float32 little-endian; a missing or non-finite one is MODEL_INVALID. */
function modelBytes(meta: ModelMeta, tensors: Record<string, Float32Array>): Buffer {
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
  return buf;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A plain object (not null, not an array). */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What scoring relies on in a model.json, checked before any of it is used: a model without a threshold
 * would load and then flag nothing (every score compares false with undefined), a null tensor shape would
 * crash with a bare TypeError. Throws MODEL_INVALID naming the file and the field.
 */
function checkMeta(meta: unknown, file: string): asserts meta is ModelMeta {
  const bad = (field: string, want: string): AppError => new AppError('MODEL_INVALID', 'bad_request', `url model: ${file}: ${field} ${want}; retrain the model with \`nml train url\` (do not edit model.json by hand)`);
  if (!isObject(meta)) throw bad('the file', `holds ${meta === null ? 'null' : typeof meta === 'object' ? 'an array' : `a ${typeof meta}`}, not an object`);
  if (meta.format !== MODEL_FORMAT) throw bad('"format"', `is ${JSON.stringify(meta.format)}, not "${MODEL_FORMAT}"`);
  for (const f of ['kind', 'version'] as const) {
    const v = meta[f];
    if (typeof v !== 'string' || v.trim() === '') throw bad(`"${f}"`, v === undefined ? 'is missing' : `is ${JSON.stringify(v)}, not a non-empty string`);
  }
  const t = meta.threshold;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > 1) throw bad('"threshold"', t === undefined ? 'is missing' : `is ${JSON.stringify(t)}, not a number from 0 to 1`);
  if (meta.normalize !== undefined && meta.normalize !== 'scheme' && meta.normalize !== 'scheme+www') throw bad('"normalize"', `is ${JSON.stringify(meta.normalize)}, not "scheme" or "scheme+www"`);
  if (meta.grams !== undefined && meta.grams !== 'counted' && meta.grams !== 'distinct') throw bad('"grams"', `is ${JSON.stringify(meta.grams)}, not "counted" or "distinct"`);
  if (meta.weightsSha256 !== undefined && (typeof meta.weightsSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(meta.weightsSha256))) throw bad('"weightsSha256"', `is ${JSON.stringify(meta.weightsSha256)}, not 64 hex digits`);
  if (!Array.isArray(meta.tensors) || meta.tensors.length === 0) throw bad('"tensors"', meta.tensors === undefined ? 'is missing' : 'is not a non-empty list');
  meta.tensors.forEach((e: unknown, i) => {
    if (!isObject(e) || typeof e.name !== 'string' || e.name === '') throw bad(`"tensors"[${i}]`, 'is not {"name": "...", "shape": [...]}');
    if (!Array.isArray(e.shape) || e.shape.length === 0 || !e.shape.every((d) => Number.isSafeInteger(d) && (d as number) > 0)) {
      throw bad(`"shape" of tensor ${e.name}`, `is ${JSON.stringify(e.shape)}, not a list of positive integers`);
    }
  });
}

export function loadModel(dir: string): LoadedModel {
  let text: string;
  let bin: Buffer;
  try {
    text = readFileSync(join(dir, 'model.json'), 'utf8');
    bin = readFileSync(join(dir, 'weights.bin'));
  } catch (e) {
    throw modelDirError(dir, e);
  }
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch (e) {
    throw new AppError('MODEL_INVALID', 'bad_request', `url model: ${join(dir, 'model.json')} is not JSON (${(e as Error).message}); retrain the model with \`nml train url\``, undefined, e);
  }
  checkMeta(meta, join(dir, 'model.json'));
  if (meta.weightsSha256 !== undefined && sha256(bin) !== meta.weightsSha256) {
    throw new AppError(
      'MODEL_INVALID',
      'bad_request',
      `url model: ${dir}/weights.bin is not the one ${dir}/model.json was saved with (its SHA-256 differs: a save stopped between writing the two files, or files copied from two models); train the model again with \`nml train url\`, or restore the folder from a copy`,
    );
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
