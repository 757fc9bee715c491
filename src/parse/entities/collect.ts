import type { Entity, EntityKind } from '../../core/index.js';

/** Entities a scan looks through for a duplicate; past them a Set does. */
const SCAN_MAX = 16;

/**
 * The `kind NUL value` keys of each array grown past SCAN_MAX, and how many of its first entries they
 * hold (entries pushed by other hands are taken in at the next call). Weak: the key set goes with its array.
 */
const keysOf = new WeakMap<Entity[], { keys: Set<string>; held: number }>();

const keyOf = (kind: string, value: string): string => `${kind}\0${value}`;

/**
 * Appends an entity unless the same kind and value is already there. Lines name few, and up to
 * SCAN_MAX a scan beats a Set; past it the scan made a line quadratic (a line of 20,000 URLs took 3.6 s
 * in extractUrls and 8.7 s in extractEntities), so a Set beside the array answers. Order and values
 * are the same either way.
 */
export function addEntity(out: Entity[], kind: EntityKind, value: string): void {
  if (out.length < SCAN_MAX) {
    for (let i = 0; i < out.length; i++) {
      const e = out[i]!;
      if (e.value === value && e.kind === kind) return;
    }
    out.push({ kind, value });
    return;
  }
  let k = keysOf.get(out);
  // the array shortened since (never by the extractors): its keys are read again
  if (k === undefined || k.held > out.length) keysOf.set(out, (k = { keys: new Set(), held: 0 }));
  for (; k.held < out.length; k.held++) k.keys.add(keyOf(out[k.held]!.kind, out[k.held]!.value));
  const key = keyOf(kind, value);
  if (k.keys.has(key)) return;
  k.keys.add(key);
  out.push({ kind, value });
  k.held++;
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
