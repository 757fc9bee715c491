/**
 * A relative time before now as the query language writes it: `-15m`, `-2h`, `-7d` (also s, w;
 * `now-15m`), as milliseconds back; null for anything else. No imports: the web bundle takes it as it is
 * (the time picker opens its absolute fields at a relative range). `durationMs` reads the same units
 * without the minus: a setting's length of time (`backup.every`).
 */
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const RELATIVE = /^(?:now)?-(\d{1,9})([smhdw])$/;

const DURATION = /^(\d{1,9})([smhdw])$/;

/** A length of time as settings write it (`90s`, `15m`, `6h`, `1d`, `2w`): milliseconds; null for anything else. */
export function durationMs(text: string): number | null {
  const m = DURATION.exec(text.trim());
  return m === null ? null : Number(m[1]) * UNIT_MS[m[2]!]!;
}

export function relativeMs(text: string): number | null {
  const m = RELATIVE.exec(text.trim());
  return m === null ? null : Number(m[1]) * UNIT_MS[m[2]!]!;
}
