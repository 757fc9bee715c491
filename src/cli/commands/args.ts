/** Argument parsers for options: a bad value is a usage error that names the option. */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { SYN_VARIANTS, type SynVariant } from '../../detect/index.js';
import { isStdStream, nearestExisting, pseudoFilesystem } from '../../disk-path.js';

/** A UTC day `YYYY-MM-DD` as its first millisecond; `2026-02-30` is refused, not read as 2 March. */
export function utcDay(v: string): number {
  const t = Date.parse(`${v}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== v) throw new InvalidArgumentError(`expected a UTC day YYYY-MM-DD (2026-12-03), got '${v}'`);
  return t;
}

export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got '${v}'`);
  return n;
}

/** Demo lines per second: above 0 and at most 1,000,000, fractions allowed (as `demo.rate` in the config). */
export function demoRate(v: string): number {
  const n = Number(v);
  if (!(v.trim() !== '' && n > 0 && n <= 1_000_000)) throw new InvalidArgumentError(`expected lines per second above 0 and at most 1000000 (0.5 is one line every 2 s), got '${v}'`);
  return n;
}

/** Seconds a timer can wait: Node's timers hold at most 2^31 - 1 ms (24.8 days) and fire at once past it. */
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

export function seconds(v: string): number {
  const n = positiveInt(v);
  if (n > MAX_TIMER_SECONDS) throw new InvalidArgumentError(`expected at most ${MAX_TIMER_SECONDS} seconds (24 days), got '${v}'`);
  return n;
}

export function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`expected a port 0-65535, got '${v}'`);
  return n;
}

/**
 * `--epochs`: a positive integer up to MAX_EPOCHS. `--epochs 1e9` parsed as an integer and trained on
 * for hours (a URL model whose validation loss keeps falling never stops early).
 */
export const MAX_EPOCHS = 1000;

export function epochs(v: string): number {
  const n = positiveInt(v);
  if (n > MAX_EPOCHS) throw new InvalidArgumentError(`expected at most ${MAX_EPOCHS} epochs, got '${v}' (early stopping ends most runs within 20)`);
  return n;
}

/** The largest seed: the random generators take 32 bits, so a larger one (`1e30`) was cut to another seed unsaid. */
export const MAX_SEED = 2 ** 32 - 1;

/** `--seed`: an integer from `min` (0 or 1, as the command always took) to MAX_SEED, written in digits. */
export function seedOf(min: 0 | 1): (v: string) => number {
  return (v) => {
    if (!/^\s*\d+\s*$/.test(v) || Number(v) < min || Number(v) > MAX_SEED) throw new InvalidArgumentError(`expected a seed: an integer from ${min} to ${MAX_SEED} in digits, got '${v}'`);
    return Number(v);
  };
}

export function nonNegInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected an integer ≥ 0, got '${v}'`);
  return n;
}

export function fraction(v: string): number {
  const n = Number(v);
  if (!(n >= 0 && n < 1)) throw new InvalidArgumentError(`expected a number in [0, 1), got '${v}'`);
  return n;
}

/** a SYN model's input layout (`nml train syn --variant`, `nml eval syn --variant`) */
/** `--synthetic-stacks` of train and eval syn (see StackKnowledge). */
export function syntheticStacks(v: string): 'real' | 'shared' {
  if (v !== 'real' && v !== 'shared') throw new InvalidArgumentError(`expected real or shared, got '${v}'`);
  return v;
}

export function synVariant(v: string): SynVariant {
  if (!(SYN_VARIANTS as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${SYN_VARIANTS.join(', ')}, got '${v}'`);
  return v as SynVariant;
}

/**
 * A file a command writes when its work is done (a report, a model): checked when the command line
 * is read, so that minutes of training or evaluation do not end in a write error. The path must not be
 * a folder, and its nearest existing folder must be writable (missing folders are made at the end).
 */
export function outputFile(v: string): string {
  if (isStdStream(v)) throw new InvalidArgumentError(`${v} is this command's output stream, not a file, and the result is written whole to a file (a temporary file renamed over it); give a file path on a disk`);
  return checkedOutputFile(v);
}

/**
 * `--out` of a command that writes its report to stdout without it (eval syn, eval assist): the same
 * checks, and `--out /dev/stdout` is told to leave --out out.
 */
export function reportFile(v: string): string {
  if (isStdStream(v)) throw new InvalidArgumentError(`${v} is this command's output stream, not a file; omit --out to write the report to stdout (this command's default), or give a file path on a disk`);
  return checkedOutputFile(v);
}

function checkedOutputFile(v: string): string {
  const abs = resolve(v);
  if (v === '' || (existsSync(abs) && statSync(abs).isDirectory())) throw new InvalidArgumentError(`${v === '' ? 'an empty path' : `${v} is a folder`}; give a file path`);
  writableFolder(dirname(abs), v);
  if (existsSync(abs)) {
    // the file is replaced by a rename: as root, --out /dev/null would replace the device itself
    if (!statSync(abs).isFile()) throw new InvalidArgumentError(`${v} is not a plain file (a device, a pipe or a socket), and the result replaces the file it names; give a file path`);
    try {
      accessSync(abs, constants.W_OK);
    } catch {
      throw new InvalidArgumentError(`${v} is there and may not be written (read-only); make it writable or give another path`);
    }
  }
  return v;
}

/** A folder a command writes into when its work is done: the same checks, and it may exist. */
export function outputDir(v: string): string {
  const abs = resolve(v);
  if (v === '' || (existsSync(abs) && !statSync(abs).isDirectory())) throw new InvalidArgumentError(`${v === '' ? 'an empty path' : `${v} is a file`}; give a folder`);
  writableFolder(abs, v);
  return v;
}

/** The nearest existing folder at or above `dir` is a folder this process may write in, on a disk. */
function writableFolder(dir: string, v: string): void {
  const at = nearestExisting(dir);
  if (!statSync(at).isDirectory()) throw new InvalidArgumentError(`${at} is a file, so ${v} cannot be written below it`);
  const pseudo = pseudoFilesystem(at);
  if (pseudo !== null) throw new InvalidArgumentError(`${at} is on the kernel's ${pseudo} pseudo-filesystem, not a disk: nothing written there is kept; give a path on a disk (e.g. in your home folder)`);
  try {
    accessSync(at, constants.W_OK);
  } catch {
    throw new InvalidArgumentError(`cannot write in ${at}; give a path in a folder you may write to`);
  }
}
