/** Labelled URL sets from ../shared/datasets (gzip CSV url,label,original_type,source): scheme stripped, de-duplicated. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { domainToASCII } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { CsvError, parse } from 'csv-parse/sync';
import { AppError, pathFailureKind, startsGzip, unreadableWhy } from '../../core/index.js';
import { hostEnd, stripScheme } from './features.js';
import { PopularityTable } from './popularity.js';
import { hash32 } from './rng.js';

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
  /** a synthetic training-only row (see EXTRA_BENIGN): never tested on, never a held-out source */
  extra?: true;
}

export const URL_SETS = ['urls-iscx-phishtank', 'urls-more'] as const;

/**
 * How to point a command at the datasets folder, for a "no such file" error: `holds` names what that
 * folder holds (the sub-folders or file the command looked for).
 */
export const passDatasets = (holds: string): string => `pass --datasets DIR or set NML_DATASETS (the folder that holds ${holds}: ../shared/datasets beside a checkout)`;

/** PhishTank snapshots of two dates are one source: holding out one while training on the other is not out-of-source. */
export function sourceGroup(source: string): string {
  return source.startsWith('phishtank-') ? 'phishtank' : source;
}

/**
 * The host of a scheme-less URL: lower case, without userinfo, port, trailing dots and a leading `www.`
 * (an IPv6 literal keeps its brackets). `example.com.` is the same host as `example.com` (DNS's root dot).
 */
/** A domain as logs write it, in punycode (`bücher.de` is `xn--bcher-kva.de`); one that is not a domain as given. */
export function asciiDomain(d: string): string {
  return domainToASCII(d) || d;
}

export function hostOf(stripped: string): string {
  let h = stripped.slice(0, hostEnd(stripped)).toLowerCase();
  const at = h.lastIndexOf('@');
  if (at >= 0) h = h.slice(at + 1);
  if (h.startsWith('[')) {
    // an IPv6 literal: `[2001:db8::1]:8080` is `[2001:db8::1]`, its colons are no port
    const close = h.indexOf(']');
    if (close >= 0) h = h.slice(0, close + 1);
  } else {
    const colon = h.lastIndexOf(':');
    if (colon >= 0) h = h.slice(0, colon);
    while (h.endsWith('.')) h = h.slice(0, -1);
  }
  return h.startsWith('www.') ? h.slice(4) : h;
}

/** The de-duplication key: lower case, no scheme, no leading `www.`, no trailing `/` (as the datasets' own notes). */
export function dedupeKey(stripped: string): string {
  let k = stripped.toLowerCase();
  if (k.startsWith('www.')) k = k.slice(4);
  while (k.endsWith('/')) k = k.slice(0, -1);
  return k;
}

/** Extra benign sources for training only: benign URLs built from domain lists (`--extra-benign`). */
export const EXTRA_BENIGN: Record<string, { dir: string; files: string[]; paths: boolean }> = {
  opendns: { dir: 'benign-domains-opendns', files: ['opendns-top-domains.txt', 'opendns-random-domains.txt'], paths: true },
  /** homepages only: `<domain>/` */
  'opendns-home': { dir: 'benign-domains-opendns', files: ['opendns-top-domains.txt', 'opendns-random-domains.txt'], paths: false },
  /** the 10,000 most-queried domains' homepages only (the default since 2026-11-30); the random list stays unseen for the bare-host test */
  'opendns-top': { dir: 'benign-domains-opendns', files: ['opendns-top-domains.txt'], paths: false },
};

/** What `nml train url` and `nml eval url` add to training unless told `--extra-benign none`. */
export const DEFAULT_EXTRA_BENIGN: readonly string[] = ['opendns-top'];

/** Benign domains for the bare-host test (`eval-bare.ts`): a random sample of queried domains, scored as `<domain>/`. */
export const BARE_HOST_TEST = { dir: 'benign-domains-opendns', file: 'opendns-random-domains.txt' } as const;

/** A domain-list line as a domain (lower case), or null for comments, blanks and lines that are not a plain domain name. */
function domainOfLine(line: string): string | null {
  const d = line.trim().toLowerCase();
  return d.length === 0 || d.startsWith('#') || !/^[a-z0-9.-]+\.[a-z0-9-]+$/.test(d) ? null : d;
}

/** The domains of a domain-list file, in file order (comments, blanks and other lines left out). */
export function readDomainList(file: string): string[] {
  const out: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const d = domainOfLine(line);
    if (d !== null) out.push(d);
  }
  return out;
}

/** Common benign path shapes; each domain gets its homepage plus one of these, chosen by a hash of the domain. */
export const BENIGN_PATHS = ['/about', '/about-us/', '/contact', '/index.html', '/search?q=weather', '/news/', '/en-us/', '/help', '/blog/', '/products/', '/mail/', '/app', '/robots.txt', '/favicon.ico', '/privacy', '/faq'] as const;

/**
 * Benign URLs from a domain list: `<domain>/` (what `https://<domain>/` and `<domain>/` become once the
 * scheme is stripped) and `<domain><path>` for one path of BENIGN_PATHS. Hosts present in `skipHosts` (any
 * row of the URL sets, benign or malicious) are left out, so that these rows never contradict a label and
 * never share a host with a test row.
 */
export function extraBenignRows(dataDir: string, name: string, skipHosts: ReadonlySet<string>, seen: Set<string>): UrlRow[] {
  const spec = EXTRA_BENIGN[name];
  if (spec === undefined) throw new AppError('URL_DATA_MISSING', 'bad_request', `url data: unknown extra benign source '${name}' (known: ${Object.keys(EXTRA_BENIGN).join(', ')})`);
  const out: UrlRow[] = [];
  for (const f of spec.files) {
    const file = join(dataDir, spec.dir, f);
    if (!existsSync(file)) throw new AppError('URL_DATA_MISSING', 'bad_request', `url data: no ${spec.dir}/${f} under ${dataDir} (extra benign rows '${name}'); ${passDatasets(`${spec.dir}/`)}, or --extra-benign none to train on the URL sets alone`);
    for (const d of readDomainList(file)) {
      const host = hostOf(d);
      if (skipHosts.has(host)) continue;
      for (const url of spec.paths ? [`${d}/`, d + BENIGN_PATHS[hash32(d, 7) % BENIGN_PATHS.length]!] : [`${d}/`]) {
        const key = dedupeKey(url);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ url, label: 0, source: name, host, type: 'benign-domain', extra: true });
      }
    }
  }
  return out;
}

/**
 * The bytes of `path`, a `.gz` file, decompressed. zlib's own words ("incorrect header check") named
 * neither what was wrong nor what was expected: a CSV saved under a .gz name, or a download cut short.
 */
function gunzipped(path: string, raw: Buffer): Buffer {
  if (!startsGzip(raw)) {
    const text = raw.length > 0 && !raw.subarray(0, 512).some((b) => b === 0 || b > 0x7e || (b < 0x20 && b !== 9 && b !== 10 && b !== 13));
    throw new AppError('URL_DATA_INVALID', 'bad_request', `url data: ${path} is not gzip: its name ends in .gz, but it does not start with gzip's bytes 1f 8b${raw.length === 0 ? ' (it is empty)' : text ? ' (it reads as plain text: a CSV saved under a .gz name?)' : ''}; give the set as published (see its PROVENANCE.md), or compress the CSV with gzip`, { file: path });
  }
  try {
    return gunzipSync(raw);
  } catch (e) {
    throw new AppError('URL_DATA_INVALID', 'bad_request', `url data: ${path} is damaged gzip (${(e as Error).message}: cut short or altered after it was written); copy or download it again`, { file: path }, e);
  }
}

/** A CSV file (gunzipped when its name ends in .gz) parsed with csv-parse; a bad file is a URL_DATA_INVALID error naming it. */
export function readCsv(path: string, options: { from_line?: number; columns?: boolean; info?: boolean }): unknown[] {
  try {
    const raw = readFileSync(path);
    return parse(path.endsWith('.gz') ? gunzipped(path, raw) : raw, { ...options, relax_column_count: true, skip_empty_lines: true }) as unknown[];
  } catch (e) {
    if (e instanceof AppError) throw e;
    // `EISDIR: illegal operation on a directory` and csv-parse's `Quote Not Closed` said what failed, not what to do
    const hint = e instanceof CsvError ? `${e.message}; the file is cut short or a field's quoting is broken: copy the set again, or quote a field that holds a comma or a quote as CSV does` : unreadableWhy(e, 'a URL set is one gzip CSV file');
    throw new AppError('URL_DATA_INVALID', pathFailureKind(e), `url data: cannot read ${path}: ${hint}`, undefined, e);
  }
}

/** The columns a URL set's first line must name, in this order (the rows are read by position). */
const URL_COLUMNS = ['url', 'label', 'original_type', 'source'] as const;

/**
 * A URL set's first line is its header and is read as one: a file without it lost its first row
 * unseen, and a header `url,lable,…` was taken for `label` (found by review).
 */
function checkHeader(file: string, header: string[] | undefined): void {
  const got = (header ?? []).map((c) => c.trim().replace(/^\uFEFF/, '').toLowerCase());
  if (URL_COLUMNS.every((c, i) => got[i] === c)) return;
  const shown = (header ?? []).join(',').slice(0, 120);
  throw new AppError('URL_DATA_INVALID', 'bad_request', `url data: ${file}: its first line is ${JSON.stringify(shown)}, not the header ${URL_COLUMNS.join(',')}; the rows are read by position, so put that header first (a file without one would lose its first row)`, { file });
}

/**
 * A label as the sets write it: `benign` or `malicious`, in any case and with surrounding blanks
 * (` Malicious` is what a spreadsheet leaves); anything else (0/1 included: which way round is not
 * written down) is no label.
 */
export function labelOf(v: string | undefined): 0 | 1 | null {
  const l = v?.trim().toLowerCase();
  return l === 'benign' ? 0 : l === 'malicious' ? 1 : null;
}

/** Rows of one URL-set file left out, by why: count and the first few (record number, what was there). */
export class SkippedRows {
  private readonly why = new Map<string, { count: number; examples: { at: number; value?: string }[] }>();
  read = 0;

  /** `at`: the record's number after the header (0-based) */
  add(reason: string, at: number, value?: string): void {
    const w = this.why.get(reason) ?? { count: 0, examples: [] };
    this.why.set(reason, w);
    w.count++;
    if (w.examples.length < 3) w.examples.push({ at, ...(value === undefined ? {} : { value }) });
  }

  get count(): number {
    let n = 0;
    for (const w of this.why.values()) n += w.count;
    return n;
  }

  /** `3 with a label other than benign or malicious (line 4: "0", …), 1 without a source (line 9)`; `lineOf` maps a record number to its line */
  describe(lineOf: (at: number) => number): string {
    const ex = (e: { at: number; value?: string }): string => `line ${lineOf(e.at)}${e.value === undefined ? '' : `: ${JSON.stringify(e.value.length > 40 ? e.value.slice(0, 40) + '…' : e.value)}`}`;
    return [...this.why].map(([reason, w]) => `${w.count} ${reason} (${w.examples.map(ex).join(', ')}${w.count > w.examples.length ? ', …' : ''})`).join(', ');
  }
}

/**
 * The line each record of a CSV file ends on (parsed again, with csv-parse's line info: it costs a
 * quarter more, so only for a file that had rows left out).
 */
function recordLines(file: string): (at: number) => number {
  const lines = (readCsv(file, { from_line: 2, info: true }) as { info: { lines: number } }[]).map((r) => r.info.lines);
  return (at) => lines[at] ?? at + 2;
}

const NO_LABEL = 'with a label other than benign or malicious';

/**
 * Loads the URL sets found under `dataDir` (either one may be missing, not both); first occurrence wins,
 * conflicting labels drop both. `extraBenign` names EXTRA_BENIGN sources appended after them (training only).
 * Rows that cannot be read (no label of benign/malicious, no source, no URL) are left out and told to
 * `warn`, per file; a file with no row left is a URL_DATA_INVALID error.
 */
export function loadUrlRows(dataDir: string, sets: readonly string[] = URL_SETS, extraBenign: readonly string[] = [], warn?: (line: string) => void): UrlRow[] {
  const files = sets.map((s) => join(dataDir, s, 'urls.csv.gz')).filter((f) => existsSync(f));
  if (files.length === 0) {
    throw new AppError('URL_DATA_MISSING', 'bad_request', `url data: no ${sets.join(' or ')}/urls.csv.gz under ${dataDir}; ${passDatasets(sets.map((d) => `${d}/`).join(' and '))}`);
  }
  const seen = new Map<string, number>();
  const rows: (UrlRow | null)[] = [];
  for (const file of files) {
    const skipped = new SkippedRows();
    const records = readCsv(file, {}) as string[][];
    checkHeader(file, records[0]);
    for (const r of records.slice(1)) {
      const at = skipped.read++;
      const [raw, label, type, source] = r;
      const y = labelOf(label);
      if (y === null) {
        skipped.add(NO_LABEL, at, label ?? '');
        continue;
      }
      if (source === undefined || source.trim() === '') {
        skipped.add('without a source (4th column)', at);
        continue;
      }
      const url = stripScheme(raw ?? '');
      if (url.length === 0) {
        skipped.add('without a URL', at, raw ?? '');
        continue;
      }
      const key = dedupeKey(url);
      const prev = seen.get(key);
      if (prev !== undefined) {
        const p = rows[prev];
        if (p !== null && p !== undefined && p.label !== y) rows[prev] = null;
        continue;
      }
      seen.set(key, rows.length);
      rows.push({ url, label: y, source: sourceGroup(source.trim()), host: hostOf(url), type: type ?? '' });
    }
    if (skipped.count === skipped.read) {
      throw new AppError('URL_DATA_INVALID', 'bad_request', `url data: ${file} has no row to use (${skipped.read === 0 ? 'no rows after the header' : `all ${skipped.read} rows left out: ${skipped.describe(recordLines(file))}`}); each row is url,label,original_type,source with the label benign or malicious`);
    }
    if (skipped.count > 0) warn?.(`url data: ${file}: left out ${skipped.count} of ${skipped.read} rows: ${skipped.describe(recordLines(file))}`);
  }
  const kept = rows.filter((r): r is UrlRow => r !== null);
  if (extraBenign.length === 0) return kept;
  const hosts = new Set(kept.map((r) => r.host));
  const keys = new Set(seen.keys());
  for (const name of extraBenign) kept.push(...extraBenignRows(dataDir, name, hosts, keys));
  return kept;
}

/** The popularity lists `--popularity` knows, in rank order (most popular first). */
export const POPULARITY_LISTS: Record<string, { dir: string; file: string }> = {
  'opendns-top': { dir: 'benign-domains-opendns', file: 'opendns-top-domains.txt' },
};
export const DEFAULT_POPULARITY = 'opendns-top';

/** Reads a popularity list by name from the datasets folder (`none`: null). */
export function loadPopularity(dataDir: string, name: string): PopularityTable | null {
  if (name === 'none') return null;
  const spec = POPULARITY_LISTS[name];
  if (spec === undefined) throw new AppError('URL_OPTIONS_INVALID', 'bad_request', `url training: unknown popularity list '${name}' (known: ${Object.keys(POPULARITY_LISTS).join(', ')}, none)`);
  const file = join(dataDir, spec.dir, spec.file);
  if (!existsSync(file)) throw new AppError('URL_DATA_MISSING', 'bad_request', `url data: no ${spec.dir}/${spec.file} under ${dataDir} (popularity list '${name}'); ${passDatasets(`${spec.dir}/`)}, or --popularity none`);
  return PopularityTable.fromDomains(readDomainList(file));
}
