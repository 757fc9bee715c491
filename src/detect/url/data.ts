/** Labelled URL sets from ../shared/datasets (gzip CSV url,label,original_type,source): scheme stripped, de-duplicated. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../core/index.js';
import { hostEnd, stripScheme } from './features.js';

export interface UrlRow {
  /** the URL as the model reads it: scheme stripped */
  url: string;
  /** 1 malicious, 0 benign */
  label: 0 | 1;
  /** source group, e.g. `iscx-url-2016`, `phishtank` */
  source: string;
  /** lower-case host without `www.` and port: the unit of every split */
  host: string;
  /** the set's own class: benign, phishing, malware, spam, bad-unspecified */
  type: string;
}

export const URL_SETS = ['urls-iscx-phishtank', 'urls-more'] as const;

/** PhishTank snapshots of two dates are one source: holding out one while training on the other is not out-of-source. */
export function sourceGroup(source: string): string {
  return source.startsWith('phishtank-') ? 'phishtank' : source;
}

/** The host of a scheme-less URL: lower case, without userinfo, port and a leading `www.`. */
export function hostOf(stripped: string): string {
  let h = stripped.slice(0, hostEnd(stripped)).toLowerCase();
  const at = h.lastIndexOf('@');
  if (at >= 0) h = h.slice(at + 1);
  const colon = h.lastIndexOf(':');
  if (colon >= 0 && !h.includes(']')) h = h.slice(0, colon);
  return h.startsWith('www.') ? h.slice(4) : h;
}

/** The de-duplication key: lower case, no scheme, no leading `www.`, no trailing `/` (as the datasets' own notes). */
export function dedupeKey(stripped: string): string {
  let k = stripped.toLowerCase();
  if (k.startsWith('www.')) k = k.slice(4);
  while (k.endsWith('/')) k = k.slice(0, -1);
  return k;
}

/** Loads the URL sets found under `dataDir` (either one may be missing, not both); first occurrence wins, conflicting labels drop both. */
export function loadUrlRows(dataDir: string, sets: readonly string[] = URL_SETS): UrlRow[] {
  const files = sets.map((s) => join(dataDir, s, 'urls.csv.gz')).filter((f) => existsSync(f));
  if (files.length === 0) {
    throw new AppError('URL_DATA_MISSING', 'not_found', `url data: no ${sets.join(' or ')}/urls.csv.gz under ${dataDir}; pass --data-dir with the shared datasets folder`);
  }
  const seen = new Map<string, number>();
  const rows: (UrlRow | null)[] = [];
  for (const file of files) {
    let records: string[][];
    try {
      records = parse(gunzipSync(readFileSync(file)), { from_line: 2, relax_column_count: true, skip_empty_lines: true }) as string[][];
    } catch (e) {
      throw new AppError('URL_DATA_INVALID', 'bad_request', `url data: cannot read ${file}: ${(e as Error).message}`, undefined, e);
    }
    for (const r of records) {
      const [raw, label, type, source] = r;
      if (raw === undefined || source === undefined || (label !== 'benign' && label !== 'malicious')) continue;
      const url = stripScheme(raw);
      if (url.length === 0) continue;
      const key = dedupeKey(url);
      const y = label === 'malicious' ? 1 : 0;
      const prev = seen.get(key);
      if (prev !== undefined) {
        const p = rows[prev];
        if (p !== null && p !== undefined && p.label !== y) rows[prev] = null;
        continue;
      }
      seen.set(key, rows.length);
      rows.push({ url, label: y, source: sourceGroup(source), host: hostOf(url), type: type ?? '' });
    }
  }
  return rows.filter((r): r is UrlRow => r !== null);
}
