/** A URL with each character shaded by how much it pushed the score (per-character weights of the URL detector). */
export interface CharWeight {
  i: number;
  ch: string;
  weight: number;
}

/** The per-character weights of an explanation's detail, when it has them. */
export function charWeights(detail: unknown): CharWeight[] | null {
  const chars = (detail as { chars?: unknown } | null)?.chars;
  if (!Array.isArray(chars) || chars.length === 0) return null;
  const ok = chars.every((c) => typeof c === 'object' && c !== null && typeof (c as CharWeight).weight === 'number');
  return ok ? (chars as CharWeight[]) : null;
}

export function UrlWeights({ url, weights }: { url: string; weights: readonly CharWeight[] }) {
  const max = Math.max(1e-9, ...weights.map((w) => Math.abs(w.weight)));
  const byIndex = new Map(weights.map((w) => [w.i, w.weight]));
  const chars = [...url];
  return (
    <span className="url-weights mono" aria-label={`${url}, characters shaded by weight`}>
      {chars.map((ch, i) => {
        const w = (byIndex.get(i) ?? 0) / max;
        if (Math.abs(w) < 0.05) return <span key={i}>{ch}</span>;
        const pct = Math.round(Math.abs(w) * 70);
        const color = w > 0 ? 'var(--danger)' : 'var(--ok)';
        return (
          <span key={i} style={{ background: `color-mix(in srgb, ${color} ${pct}%, transparent)` }} title={`weight ${(byIndex.get(i) ?? 0).toFixed(3)}`}>
            {ch}
          </span>
        );
      })}
    </span>
  );
}
