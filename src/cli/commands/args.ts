/** Argument parsers for options: a bad value is a usage error that names the option. */
import { InvalidArgumentError } from 'commander';
import { SYN_VARIANTS, type SynVariant } from '../../detect/index.js';

export function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got '${v}'`);
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
