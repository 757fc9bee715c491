/** Shape checks for model files: a file that loads but has the wrong counts, dimensions or non-finite numbers is an AppError `TRENDS_MODEL_INVALID` naming the file. */
import { AppError } from '../../core/index.js';

/** The error for a model file that is readable JSON but not a usable model. */
export function invalidModel(where: string, what: string): AppError {
  return new AppError('TRENDS_MODEL_INVALID', 'bad_request', `model: ${where} is damaged (${what}); run 'nml trends train' again`, { where });
}

export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `v` as an array of `len` finite numbers (any length when `len` is null), else the error. */
export function finiteNumbers(v: unknown, len: number | null, where: string, what: string): number[] {
  if (!Array.isArray(v)) throw invalidModel(where, `${what} is not an array`);
  if (len !== null && v.length !== len) throw invalidModel(where, `${what} has ${v.length} values, expected ${len}`);
  for (let i = 0; i < v.length; i++) if (!isFiniteNumber(v[i])) throw invalidModel(where, `${what}[${i}] is not a finite number`);
  return v as number[];
}

/** `v` as an array of strings, else the error. */
export function strings(v: unknown, where: string, what: string): string[] {
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw invalidModel(where, `${what} is not an array of strings`);
  return v as string[];
}

/** `v` as an array of exactly `len` entries, else the error. */
export function arrayOf(v: unknown, len: number, where: string, what: string): unknown[] {
  if (!Array.isArray(v)) throw invalidModel(where, `${what} is not an array`);
  if (v.length !== len) throw invalidModel(where, `${what} has ${v.length} entries, expected ${len}`);
  return v as unknown[];
}
