/** Train/test splits of URL rows, always by host (no host on both sides), reproducible from a seed. */
import type { UrlRow } from './data.js';
import { hash32 } from './rng.js';

export interface Split {
  name: string;
  /** row indices */
  train: number[];
  test: number[];
}

/** Rows whose host hashes (with `seed`) below `testFraction` go to test: a random split by host. */
export function hostSplit(rows: readonly UrlRow[], testFraction: number, seed: number, name = 'random-by-host', among?: readonly number[]): Split {
  const train: number[] = [];
  const test: number[] = [];
  const cut = testFraction * 4294967296;
  const ids = among ?? rows.map((_, i) => i);
  for (const i of ids) (hash32(rows[i]!.host, seed) < cut ? test : train).push(i);
  return { name, train, test };
}

/** The sources present, sorted (training-only extra sources are not sources to hold out). */
export function sourcesOf(rows: readonly UrlRow[]): string[] {
  return [...new Set(rows.filter((r) => r.extra !== true).map((r) => r.source))].sort();
}

/** Moves training-only extra rows out of a split's test side into its train side. */
export function extrasToTrain(rows: readonly UrlRow[], s: Split): Split {
  const moved = s.test.filter((i) => rows[i]!.extra === true);
  if (moved.length === 0) return s;
  return { name: s.name, train: [...s.train, ...moved].sort((a, b) => a - b), test: s.test.filter((i) => rows[i]!.extra !== true) };
}

/**
 * Leave `source` out: test is every row of that source; train is every other row whose host does not
 * appear in the test rows (hosts shared across sources are dropped from training, never from test).
 */
export function leaveOneSourceOut(rows: readonly UrlRow[], source: string): Split {
  const testHosts = new Set<string>();
  const test: number[] = [];
  rows.forEach((r, i) => {
    if (r.source === source) {
      test.push(i);
      testHosts.add(r.host);
    }
  });
  const train: number[] = [];
  rows.forEach((r, i) => {
    if (r.source !== source && !testHosts.has(r.host)) train.push(i);
  });
  return { name: `leave-out:${source}`, train, test };
}

/** Checks the split invariant: no host on both sides. Returns the offending hosts (empty when sound). */
export function sharedHosts(rows: readonly UrlRow[], s: Split): string[] {
  const a = new Set(s.train.map((i) => rows[i]!.host));
  return [...new Set(s.test.map((i) => rows[i]!.host).filter((h) => a.has(h)))];
}
