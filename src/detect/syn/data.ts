/** Labelled real SYN data from ../shared/datasets (syn-pcaps, syn-more), grouped into hosts per capture. */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { AppError, describeCause, pathFailureKind } from '../../core/index.js';
import { readSynFile } from './read.js';
import type { SynPacket } from './types.js';

export interface LabeledHost {
  /** the capture the host was seen in (IPs are unique only within one capture) */
  capture: string;
  ip: string;
  label: 0 | 1;
  category: string;
  /** one-packet spoofed flood sources carry no host behaviour; reported apart */
  flood: boolean;
  syns: SynPacket[];
}

/** The labels a host may carry, as the datasets write them; `ambiguous` hosts are left out of training and evaluation. */
export const SYN_LABELS = ['malicious', 'benign', 'ambiguous'] as const;
const LABEL_VALUE = new Map<string, 0 | 1 | null>([
  ['malicious', 1],
  ['benign', 0],
  ['ambiguous', null],
]);

/** A label as written, in any case and with surrounding blanks (what a spreadsheet leaves); undefined when it is none of SYN_LABELS. */
function labelOf(v: string | undefined): 0 | 1 | null | undefined {
  return LABEL_VALUE.get(v?.trim().toLowerCase() ?? '');
}

/** A dataset file's text (gunzipped when its name ends in .gz); a file that is not there is SYN_DATASET_MISSING naming it and what it is for. */
function readDataFile(path: string, what: string): string {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `there is no ${path}` : `cannot read ${path}: ${describeCause(e)}`;
    throw new AppError('SYN_DATASET_MISSING', pathFailureKind(e), `syn data: ${why} (${what}); use the dataset as published`, { file: path }, e);
  }
  try {
    return path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  } catch (e) {
    throw new AppError('SYN_DATASET_INVALID', 'bad_request', `syn data: ${path}: not a readable gzip file (${(e as Error).message}); use the dataset as published`, { file: path }, e);
  }
}

/** The records of a CSV text, header first (csv-parse); a malformed file is a clear error naming it. */
function csvRecords(text: string, file: string): string[][] {
  try {
    return parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw new AppError('SYN_DATASET_INVALID', 'bad_request', `syn data: ${file}: not a readable CSV (${(e as Error).message}); use the dataset as published`, { file }, e);
  }
}

/** The line each record (header = record 0) of a CSV text ends on: parsed again with line info, only for a file with a problem to report. */
function recordLines(text: string): (at: number) => number {
  const lines = (parse(text, { relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as { info: { lines: number } }[]).map((r) => r.info.lines);
  return (at) => lines[at] ?? at + 1;
}

/** A labels table: its rows after the header, and where each column the loader reads is. */
interface Table<C extends string> {
  rows: string[][];
  col: Record<C, number>;
}

/**
 * Reads a labels table by its header: every column in `reads` must be named there once (columns the
 * loader does not read may be there too). A header without one is SYN_DATASET_INVALID saying which are
 * missing, which header names are unknown (a misspelling is both), and what the header should be.
 */
function readTable<C extends string>(text: string, file: string, reads: readonly C[], layout: readonly string[]): Table<C> {
  const [header = [], ...rows] = csvRecords(text, file);
  const names = header.map((h) => h.trim().toLowerCase());
  const missing = reads.filter((c) => !names.includes(c));
  const twice = reads.filter((c) => names.indexOf(c) !== names.lastIndexOf(c));
  if (missing.length > 0 || twice.length > 0) {
    const unknown = names.filter((n) => !layout.includes(n));
    const problems = [
      ...(missing.length > 0 ? [`no column ${missing.join(', ')}`] : []),
      ...(twice.length > 0 ? [`column ${twice.join(', ')} named twice`] : []),
      ...(unknown.length > 0 ? [`unknown column${unknown.length === 1 ? '' : 's'} ${unknown.map((u) => JSON.stringify(u)).join(', ')}`] : []),
    ];
    throw new AppError(
      'SYN_DATASET_INVALID',
      'bad_request',
      `syn data: ${file}: the header (line 1) has ${problems.join('; ')}; it must name ${and(reads)} (in any order; other columns are ignored), as the published one does: ${layout.join(',')}`,
      { file, missing, unknown },
    );
  }
  return { rows, col: Object.fromEntries(reads.map((c) => [c, names.indexOf(c)])) as Record<C, number> };
}

/** Problems with rows of one file, by record number: reported together, the first few with their line, as one SYN_DATASET_INVALID error. */
class RowProblems {
  private readonly list: { at: number; text: string }[] = [];

  /** `at`: the row's number after the header (0-based) */
  add(at: number, text: string): void {
    this.list.push({ at, text });
  }

  throwIfAny(text: string, file: string, rule: string): void {
    if (this.list.length === 0) return;
    const lineOf = recordLines(text);
    const shown = this.list.slice(0, 5).map((p) => `line ${lineOf(p.at + 1)}: ${p.text}`);
    const more = this.list.length - shown.length;
    throw new AppError(
      'SYN_DATASET_INVALID',
      'bad_request',
      `syn data: ${file}: ${this.list.length} row${this.list.length === 1 ? '' : 's'} not usable (${shown.join('; ')}${more > 0 ? `; ${more} more` : ''}); ${rule}`,
      { file, rows: this.list.length },
    );
  }
}

/** `a, b and c` */
const and = (words: readonly string[]): string => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`);

const LABEL_RULE = `the accepted labels are ${and(SYN_LABELS)} (in any case; ambiguous hosts are left out)`;

/** The label of a row, or a problem noted when it is none of SYN_LABELS (a 0/1 says not which way round). */
function rowLabel(r: string[], col: number, at: number, problems: RowProblems): 0 | 1 | null {
  const v = r[col];
  const y = labelOf(v);
  if (y !== undefined) return y;
  problems.add(at, v === undefined ? 'no label column' : `label ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)} is none of ${SYN_LABELS.join(', ')}`);
  return null;
}

const isFlood = (category: string): boolean => /flood|ddos/.test(category);

function push(map: Map<string, LabeledHost>, key: string, h: Omit<LabeledHost, 'syns'>, s: SynPacket): void {
  let e = map.get(key);
  if (e === undefined) map.set(key, (e = { ...h, syns: [] }));
  e.syns.push(s);
}

/** syn-pcaps' hosts.csv.gz and syn_packets_index.csv.gz columns, as published. */
const PCAPS_HOSTS_LAYOUT = ['host_id', 'source_repo', 'source_file', 'src_ip', 'n_syn', 'n_distinct_dst', 'n_distinct_dport', 'label', 'category'];
const PCAPS_INDEX_LAYOUT = ['pkt_no', 'ts', 'host_id', 'src_ip', 'dst_ip', 'src_port', 'dst_port', 'ttl', 'tcp_window', 'label', 'category'];

/** syn-pcaps: one merged capture; the index says which source capture and host each packet came from. */
export function loadSynPcaps(dir: string): LabeledHost[] {
  const hostsFile = join(dir, 'hosts.csv.gz');
  const hostsText = readDataFile(hostsFile, 'the labels of the hosts of syn_packets.pcap');
  const t = readTable(hostsText, hostsFile, ['host_id', 'source_repo', 'source_file', 'label', 'category'], PCAPS_HOSTS_LAYOUT);
  const hosts = new Map<string, { capture: string; label: 0 | 1 | null; category: string }>();
  const problems = new RowProblems();
  t.rows.forEach((r, at) => {
    const label = rowLabel(r, t.col.label, at, problems);
    hosts.set(r[t.col.host_id] ?? '', { capture: `${r[t.col.source_repo]}:${r[t.col.source_file]}`, label, category: r[t.col.category] ?? '' });
  });
  problems.throwIfAny(hostsText, hostsFile, LABEL_RULE);
  const indexFile = join(dir, 'syn_packets_index.csv.gz');
  const ix = readTable(readDataFile(indexFile, 'which host each packet of syn_packets.pcap is'), indexFile, ['host_id'], PCAPS_INDEX_LAYOUT);
  const index = ix.rows;
  const syns = wholeCapture(join(dir, 'syn_packets.pcap'));
  if (syns.length !== index.length) throw new AppError('SYN_DATASET_INVALID', 'bad_request', `syn data: ${dir}: ${syns.length} packets but ${index.length} index rows; use the dataset as published`);
  const out = new Map<string, LabeledHost>();
  for (let i = 0; i < syns.length; i++) {
    const hid = index[i]![ix.col.host_id]!;
    const h = hosts.get(hid);
    if (h === undefined || h.label === null) continue;
    push(out, hid, { capture: h.capture, ip: syns[i]!.src, label: h.label, category: h.category, flood: isFlood(h.category) }, syns[i]!);
  }
  return [...out.values()];
}

/** syn-more's hosts.csv columns, as published; the loader reads file, src_ip, label and category. */
export const SYN_MORE_LAYOUT = ['file', 'src_ip', 'n_syn', 'n_distinct_dst', 'n_distinct_dport', 'label', 'category', 'evidence'] as const;
const SYN_MORE_READS = ['file', 'src_ip', 'label', 'category'] as const;

/** What syn-more's hosts.csv must hold, for messages. */
export const SYN_MORE_HOSTS_CSV = `a header naming ${and(SYN_MORE_READS)} (as the published ${SYN_MORE_LAYOUT.join(',')}) and one row per labelled host: file the capture as captures/NAME, src_ip the host's address, label ${SYN_LABELS.slice(0, -1).join(', ')} or ${SYN_LABELS.at(-1)}, category free text ("flood" or "ddos" in it marks one-packet spoofed sources)`;

/** syn-more: one SYN-only capture per source; hosts.csv labels (file, source IP). */
export function loadSynMore(dir: string): LabeledHost[] {
  const captures = join(dir, 'captures');
  if (!isDir(captures)) throw new AppError('SYN_DATASET_MISSING', 'bad_request', `syn data: ${dir} has hosts.csv but no captures/ folder beside it; put the captures its file column names under ${captures}`, { datasets: dir });
  const names = readdirSync(captures).sort();
  const files = new Set(names.map((n) => `captures/${n}`));
  const hostsFile = join(dir, 'hosts.csv');
  const text = readDataFile(hostsFile, 'the labels of the hosts of captures/');
  const t = readTable(text, hostsFile, SYN_MORE_READS, SYN_MORE_LAYOUT);
  const labels = new Map<string, { label: 0 | 1 | null; category: string; at: number }>();
  const problems = new RowProblems();
  let lines: ((at: number) => number) | undefined;
  const lineOf = (at: number): number => (lines ??= recordLines(text))(at + 1);
  t.rows.forEach((r, at) => {
    const file = (r[t.col.file] ?? '').trim();
    const ip = (r[t.col.src_ip] ?? '').trim();
    const label = rowLabel(r, t.col.label, at, problems);
    if (!files.has(file)) problems.add(at, file === '' ? 'no file' : `file ${JSON.stringify(file)} is not in ${join(dir, 'captures')}`);
    if (ip === '') problems.add(at, 'no src_ip');
    const key = `${file}#${ip}`;
    const before = labels.get(key);
    if (before !== undefined) problems.add(at, `${file} ${ip} labelled again (first on line ${lineOf(before.at)})`);
    else labels.set(key, { label, category: r[t.col.category] ?? '', at });
  });
  problems.throwIfAny(text, hostsFile, `${LABEL_RULE}, file names a capture as captures/NAME, and each (file, src_ip) has one row`);
  const out = new Map<string, LabeledHost>();
  for (const name of names) {
    const file = `captures/${name}`;
    for (const s of wholeCapture(join(dir, file))) {
      const l = labels.get(`${file}#${s.src}`);
      if (l === undefined || l.label === null) continue;
      push(out, `${file}#${s.src}`, { capture: `syn-more:${name}`, ip: s.src, label: l.label, category: l.category, flood: isFlood(l.category) }, s);
    }
  }
  // a labelled host no SYN of its capture comes from was left out of training without a word: an
  // address written otherwise than the capture has it (`010.0.0.5`, an IPv6 spelling) is such a host
  const unseen = new RowProblems();
  for (const [key, l] of labels) if (l.label !== null && !out.has(key)) unseen.add(l.at, `no SYN of ${key.replace('#', ' comes from ')}`);
  unseen.throwIfAny(text, hostsFile, 'each labelled src_ip must send SYNs in its capture, written as the capture writes it (e.g. 10.0.0.5, 2001:db8::1); label a host that sends none ambiguous, or remove its row');
  return [...out.values()];
}

/**
 * A labelled capture's SYNs; one cut short is SYN_DATASET_INVALID. Its labels were counted on the whole
 * capture, and training went on, without a word, on the part before the cut.
 */
function wholeCapture(path: string): SynPacket[] {
  const { syns, stats } = readSynFile(path);
  if (stats.truncatedAt !== undefined) {
    throw new AppError('SYN_DATASET_INVALID', 'bad_request', `syn data: ${path} ends inside a packet at byte ${stats.truncatedAt} (cut short: copied or written incompletely); its labels count the whole capture, so copy it again whole, or remove it and its rows in hosts.csv`, { file: path });
  }
  return syns;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Both real datasets under `root` (../shared/datasets); missing ones are skipped, listed in `missing`.
 * A syn-more/captures/ without its hosts.csv is no missing dataset but one without labels: SYN_DATASET_MISSING
 * says so (training on the other alone, or "no real capture", would hide it).
 */
export function loadReal(root: string): { hosts: LabeledHost[]; missing: string[] } {
  const missing: string[] = [];
  const hosts: LabeledHost[] = [];
  const a = join(root, 'syn-pcaps');
  const b = join(root, 'syn-more');
  if (existsSync(join(a, 'syn_packets.pcap'))) hosts.push(...loadSynPcaps(a));
  else missing.push(a);
  if (existsSync(join(b, 'hosts.csv'))) hosts.push(...loadSynMore(b));
  else if (isDir(join(b, 'captures'))) {
    throw new AppError('SYN_DATASET_MISSING', 'bad_request', `syn data: ${join(b, 'captures')} is there but its labels file is not: looked for ${join(b, 'hosts.csv')}, which must hold ${SYN_MORE_HOSTS_CSV}`, { datasets: root, file: join(b, 'hosts.csv') });
  } else missing.push(b);
  for (const h of hosts) h.syns.sort((x, y) => x.t - y.t);
  return { hosts, missing };
}
