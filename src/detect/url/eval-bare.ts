/**
 * The bare-host test of `nml eval url`: URLs that are only a host (`amazon.co.uk/`), which is what a
 * firewall's URL log holds for most HTTPS requests. Malicious: the held-out source's rows with an empty
 * path, scored by the fold that never saw that source. Benign: a random sample of domains people queried
 * (BARE_HOST_TEST), as `<domain>/`, none of them a host of any training row; every fold scores all of them.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BARE_HOST_TEST, hostOf, readDomainList, type UrlRow } from './data.js';
import { hostEnd } from './features.js';
import { computeMetrics } from './metrics.js';
import type { PopularityTable } from './popularity.js';

/** A URL with nothing after its host but an optional `/`. */
export function isBareHost(url: string): boolean {
  const rest = url.slice(hostEnd(url));
  return rest === '' || rest === '/';
}

/**
 * The benign bare-host URLs (`<domain>/`) whose host is no row's host and not itself on the popularity
 * table the models learned (a parent domain on it counts, as it would live); empty when the list is absent.
 */
export function bareBenignUrls(dataDir: string, rows: readonly UrlRow[], popularity: PopularityTable | null = null): string[] {
  const file = join(dataDir, BARE_HOST_TEST.dir, BARE_HOST_TEST.file);
  if (!existsSync(file)) return [];
  const known = new Set(rows.map((r) => r.host));
  const out = new Set<string>();
  for (const d of readDomainList(file)) if (!known.has(hostOf(d)) && popularity?.listsItself(d) !== true) out.add(`${d}/`);
  return [...out];
}

export interface BareHostResult {
  model: string;
  /** held-out malicious rows that are a bare host, over every fold */
  malicious: number;
  /** benign bare hosts scored per fold (each fold scores the same list) */
  benign: number;
  folds: number;
  rocAuc: number | null;
  tprAt1pct: number | null;
  /** the share of benign bare-host scores at or above 0.5 */
  benignAtHalf: number;
  /** the score above which 1% of the benign bare-host scores lie */
  benignP99: number;
}

/** Pools, per model, each leave-one-source-out fold's scores of its held-out bare malicious hosts and of the benign list. */
export class BareHostPool {
  private readonly by = new Map<string, { mal: number[]; ben: number[]; folds: number }>();

  constructor(readonly benignUrls: readonly string[]) {}

  add(model: string, heldOut: readonly UrlRow[], heldOutScores: ArrayLike<number>, score: (urls: string[]) => ArrayLike<number>): void {
    if (this.benignUrls.length === 0) return;
    const p = this.by.get(model) ?? { mal: [], ben: [], folds: 0 };
    heldOut.forEach((r, i) => {
      if (r.label === 1 && isBareHost(r.url)) p.mal.push(heldOutScores[i]!);
    });
    const b = score([...this.benignUrls]);
    for (let i = 0; i < b.length; i++) p.ben.push(b[i]!);
    p.folds++;
    this.by.set(model, p);
  }

  results(): BareHostResult[] {
    return [...this.by].map(([model, p]) => {
      const m = computeMetrics([...p.mal, ...p.ben], [...p.mal.map(() => 1), ...p.ben.map(() => 0)]);
      const sorted = [...p.ben].sort((a, b) => a - b);
      return {
        model,
        malicious: p.mal.length,
        benign: p.ben.length,
        folds: p.folds,
        rocAuc: m.rocAuc,
        tprAt1pct: m.tprAt1pct,
        benignAtHalf: p.ben.filter((v) => v >= 0.5).length / Math.max(1, p.ben.length),
        benignP99: sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length))]!,
      };
    });
  }
}
