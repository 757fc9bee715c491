import type { Entity, EntityKind } from '../../core/index.js';

/** Appends an entity unless the same kind and value is already there (lines name few, so a scan beats a Set). */
export function addEntity(out: Entity[], kind: EntityKind, value: string): void {
  for (let i = 0; i < out.length; i++) {
    const e = out[i]!;
    if (e.value === value && e.kind === kind) return;
  }
  out.push({ kind, value });
}

/** The port number of the digits in codes[a, b) (1 to 5 digits, 0..65535) as canonical text, or null. */
export function portAt(codes: Uint16Array, a: number, b: number): string | null {
  if (b <= a || b - a > 5) return null;
  let value = 0;
  for (let i = a; i < b; i++) {
    const d = codes[i]! - 48;
    if (!(d >= 0 && d <= 9)) return null;
    value = value * 10 + d;
  }
  return value <= 65535 ? String(value) : null;
}
