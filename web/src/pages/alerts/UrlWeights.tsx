/** A URL with each character shaded by how much it pushed the score (per-character weights of the URL detector). */
import type { ReactElement } from 'react';

/** The characters a URL or a host may break after: between its labels, path steps and query pairs. */
const SEPARATOR = /[/.?&=-]/;

const DIGIT = /[0-9]/;

/**
 * Whether a line may break after `text[i]`: it ends a run of separators ("//" and "?&" stay whole), so a
 * long URL breaks between its parts before the CSS breaks it anywhere (the last resort, for a part wider
 * than its column). Not at a dot between digits: an address in a URL ("http://90.148.218.19:8080/")
 * stays whole.
 */
export function breaksAfter(text: string, i: number): boolean {
  const ch = text[i] ?? '';
  const next = text[i + 1];
  if (next === undefined || !SEPARATOR.test(ch) || SEPARATOR.test(next)) return false;
  return !(ch === '.' && DIGIT.test(text[i - 1] ?? '') && DIGIT.test(next));
}

/**
 * The per-character weights of a URL finding's explanation: the detector's `detail.weights`, one number
 * per UTF-16 unit of the URL as found (the scheme and any cut-off tail weigh 0). Null when absent or not
 * numbers, or when they do not fit the URL.
 */
export function charWeights(detail: unknown, url: string): number[] | null {
  const w = (detail as { weights?: unknown } | null)?.weights;
  if (!Array.isArray(w) || w.length === 0 || w.length > url.length) return null;
  return w.every((x) => typeof x === 'number' && Number.isFinite(x)) ? (w as number[]) : null;
}

export function UrlWeights({ url, weights }: { url: string; weights: readonly number[] }) {
  const max = Math.max(1e-9, ...weights.map((w) => Math.abs(w)));
  const out: ReactElement[] = [];
  // weights are per UTF-16 unit; a character outside the BMP takes the weight of its first unit
  let at = 0;
  for (const ch of url) {
    const end = at + ch.length - 1;
    const raw = weights[at] ?? 0;
    const w = raw / max;
    if (Math.abs(w) < 0.05) out.push(<span key={at}>{ch}</span>);
    else {
      const pct = Math.round(Math.abs(w) * 70);
      const color = w > 0 ? 'var(--danger)' : 'var(--ok)';
      out.push(
        <span key={at} className={w > 0 ? 'up' : 'down'} style={{ background: `color-mix(in srgb, ${color} ${pct}%, transparent)` }} title={`weight ${raw.toFixed(3)}`}>
          {ch}
        </span>,
      );
    }
    if (breaksAfter(url, end)) out.push(<wbr key={`b${at}`} />);
    at += ch.length;
  }
  return (
    <span className="url-weights mono" aria-label={`${url}, characters shaded by how much each pushed the score up (red) or down (green)`}>
      {out}
    </span>
  );
}
