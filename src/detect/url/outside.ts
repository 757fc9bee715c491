/**
 * An out-of-distribution URL test built from other datasets in the share, never trained on: benign news
 * article links (Hackmageddon timeline and CASIE news corpus) against malicious full URLs of the
 * Maltrail static trails (malware and malicious classes, domain hosts with a path). Neither comes from
 * the URL sets, so this is the closest the share gets to "a network the model was not trained on".
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../core/index.js';
import { dedupeKey, hostOf, passDatasets, readCsv, type UrlRow } from './data.js';
import { hostEnd, stripScheme } from './features.js';
import { hash32 } from './rng.js';

export const OUTSIDE_FILES = {
  hackmageddon: 'attack-timeline-hackmageddon/hackmageddon_2023plus.csv',
  casie: 'news-cyber-events-casie/casie_docs.csv',
  maltrail: 'blocklist-maltrail/maltrail_static_trails.csv.gz',
} as const;

/** At most this many URLs per host on either side, so one busy news site or one kit does not dominate. */
export const OUTSIDE_PER_HOST = 25;

export interface OutsideOptions {
  /** hosts of the training rows: an outside row on one of them is dropped (never test on a trained host) */
  trainHosts: ReadonlySet<string>;
  /** de-duplication keys of the training rows */
  trainKeys: ReadonlySet<string>;
  seed: number;
  perHost?: number;
}

export function outsideAvailable(dataDir: string): boolean {
  return Object.values(OUTSIDE_FILES).every((f) => existsSync(join(dataDir, f)));
}

function csv(dataDir: string, file: string): Record<string, string>[] {
  const path = join(dataDir, file);
  if (!existsSync(path)) throw new AppError('URL_DATA_MISSING', 'bad_request', `url data: no ${file} under ${dataDir}; ${passDatasets(file)}, or --no-outside`);
  return readCsv(path, { columns: true }) as Record<string, string>[];
}

/** A domain host (letters in its last label, at least one dot): IP-hosted trails are left out, the benign side has none. */
function isDomainHost(host: string): boolean {
  return /^[a-z0-9.-]+\.[a-z][a-z0-9-]*$/.test(host);
}

/** A Maltrail URL trail that is a full URL: a domain host and a non-empty path. Returns it scheme-stripped, or null. */
export function maltrailFullUrl(indicator: string): string | null {
  const url = stripScheme(indicator.trim());
  if (url.length === 0 || url.startsWith('/')) return null;
  const end = hostEnd(url);
  if (url.length - end < 2) return null;
  return isDomainHost(hostOf(url)) ? url : null;
}

/**
 * The outside rows: benign news links (source `news-links`) and Maltrail full URLs (source `maltrail`),
 * scheme stripped, de-duplicated, none on a training host or equal to a training URL, at most `perHost`
 * per host (a seeded choice). A host on both sides is dropped from both.
 */
export function loadOutsideRows(dataDir: string, o: OutsideOptions): UrlRow[] {
  const cands: UrlRow[] = [];
  for (const file of [OUTSIDE_FILES.hackmageddon, OUTSIDE_FILES.casie]) {
    for (const r of csv(dataDir, file)) {
      const link = (r['link'] ?? '').trim();
      if (!/^https?:\/\//i.test(link)) continue;
      const url = stripScheme(link);
      cands.push({ url, label: 0, source: 'news-links', host: hostOf(url), type: 'news-article' });
    }
  }
  for (const r of csv(dataDir, OUTSIDE_FILES.maltrail)) {
    if (r['indicator_kind'] !== 'url' || (r['class'] !== 'malware' && r['class'] !== 'malicious')) continue;
    const url = maltrailFullUrl(r['indicator'] ?? '');
    if (url !== null) cands.push({ url, label: 1, source: 'maltrail', host: hostOf(url), type: r['class'] });
  }
  const labelsOf = new Map<string, Set<number>>();
  for (const r of cands) (labelsOf.get(r.host) ?? labelsOf.set(r.host, new Set()).get(r.host)!).add(r.label);
  const seen = new Set<string>();
  const byHost = new Map<string, UrlRow[]>();
  for (const r of cands) {
    const key = dedupeKey(r.url);
    if (seen.has(key) || o.trainKeys.has(key) || o.trainHosts.has(r.host) || labelsOf.get(r.host)!.size > 1) continue;
    seen.add(key);
    (byHost.get(r.host) ?? byHost.set(r.host, []).get(r.host)!).push(r);
  }
  const cap = o.perHost ?? OUTSIDE_PER_HOST;
  const out: UrlRow[] = [];
  for (const list of byHost.values()) {
    const kept = list.length <= cap ? list : [...list].sort((a, b) => hash32(a.url, o.seed) - hash32(b.url, o.seed)).slice(0, cap);
    out.push(...kept);
  }
  return out;
}

/** Sources of outside rows that `--extra-train` may add to training (from the spare half only). */
export const OUTSIDE_SOURCES = ['news-links', 'maltrail'] as const;

/**
 * The outside rows in two halves by host (a hash of the host with `seed`): `test` is what the outside
 * split scores, always the same half for one seed whatever is trained on; `spare` is what
 * `--extra-train` may add to training. No host is in both halves.
 */
export function splitOutside(rows: readonly UrlRow[], seed: number): { test: UrlRow[]; spare: UrlRow[] } {
  const test: UrlRow[] = [];
  const spare: UrlRow[] = [];
  for (const r of rows) (hash32(r.host, seed + 200) < 0x80000000 ? test : spare).push(r);
  return { test, spare };
}

/**
 * What an evaluation over the URL-set `rows` takes from outside: the test half (empty with `mode` 'no',
 * or with 'auto' when the files are absent) and, as training-only rows, the spare half of the
 * `extraTrain` sources.
 */
export function outsideFor(rows: readonly UrlRow[], dataDir: string, seed: number, mode: 'auto' | 'no' | 'only', extraTrain: readonly string[]): { test: UrlRow[]; extra: UrlRow[] } {
  if (mode !== 'only' && extraTrain.length === 0 && (mode === 'no' || !outsideAvailable(dataDir))) return { test: [], extra: [] };
  const all = loadOutsideRows(dataDir, { trainHosts: new Set(rows.map((r) => r.host)), trainKeys: new Set(rows.map((r) => dedupeKey(r.url))), seed });
  const halves = splitOutside(all, seed);
  return { test: mode === 'no' ? [] : halves.test, extra: halves.spare.filter((r) => extraTrain.includes(r.source)).map((r) => ({ ...r, extra: true as const })) };
}
