/** Labelled real SYN data from ../shared/datasets (syn-pcaps, syn-more), grouped into hosts per capture. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../core/index.js';
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

/** The rows of a CSV text after its header line (csv-parse); a malformed file is a clear error naming it. */
function csvRows(text: string, file: string): string[][] {
  try {
    return parse(text, { from_line: 2, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    throw new AppError('SYN_DATASET_INVALID', 'bad_request', `${file}: not a readable CSV (${(e as Error).message}); use the dataset as published`, undefined, e);
  }
}

const isFlood = (category: string): boolean => /flood|ddos/.test(category);

function push(map: Map<string, LabeledHost>, key: string, h: Omit<LabeledHost, 'syns'>, s: SynPacket): void {
  let e = map.get(key);
  if (e === undefined) map.set(key, (e = { ...h, syns: [] }));
  e.syns.push(s);
}

/** syn-pcaps: one merged capture; the index says which source capture and host each packet came from. */
export function loadSynPcaps(dir: string): LabeledHost[] {
  const hosts = new Map<string, { capture: string; label: string; category: string }>();
  for (const r of csvRows(gunzipSync(readFileSync(join(dir, 'hosts.csv.gz'))).toString('utf8'), join(dir, 'hosts.csv.gz'))) {
    hosts.set(r[0]!, { capture: `${r[1]}:${r[2]}`, label: r[7]!, category: r[8]! });
  }
  const index = csvRows(gunzipSync(readFileSync(join(dir, 'syn_packets_index.csv.gz'))).toString('utf8'), join(dir, 'syn_packets_index.csv.gz'));
  const { syns } = readSynFile(join(dir, 'syn_packets.pcap'));
  if (syns.length !== index.length) throw new AppError('SYN_DATASET_INVALID', 'bad_request', `${dir}: ${syns.length} packets but ${index.length} index rows; use the dataset as published`);
  const out = new Map<string, LabeledHost>();
  for (let i = 0; i < syns.length; i++) {
    const hid = index[i]![2]!;
    const h = hosts.get(hid);
    if (h === undefined || h.label === 'ambiguous') continue;
    push(out, hid, { capture: h.capture, ip: syns[i]!.src, label: h.label === 'malicious' ? 1 : 0, category: h.category, flood: isFlood(h.category) }, syns[i]!);
  }
  return [...out.values()];
}

/** syn-more: one SYN-only capture per source; hosts.csv labels (file, source IP). */
export function loadSynMore(dir: string): LabeledHost[] {
  const labels = new Map<string, { label: string; category: string }>();
  for (const r of csvRows(readFileSync(join(dir, 'hosts.csv'), 'utf8'), join(dir, 'hosts.csv'))) labels.set(`${r[0]}#${r[1]}`, { label: r[5]!, category: r[6]! });
  const out = new Map<string, LabeledHost>();
  for (const name of readdirSync(join(dir, 'captures')).sort()) {
    const file = `captures/${name}`;
    for (const s of readSynFile(join(dir, file)).syns) {
      const l = labels.get(`${file}#${s.src}`);
      if (l === undefined || l.label === 'ambiguous') continue;
      push(out, `${file}#${s.src}`, { capture: `syn-more:${name}`, ip: s.src, label: l.label === 'malicious' ? 1 : 0, category: l.category, flood: isFlood(l.category) }, s);
    }
  }
  return [...out.values()];
}

/** Both real datasets under `root` (../shared/datasets); missing ones are skipped, listed in `missing`. */
export function loadReal(root: string): { hosts: LabeledHost[]; missing: string[] } {
  const missing: string[] = [];
  const hosts: LabeledHost[] = [];
  const a = join(root, 'syn-pcaps');
  const b = join(root, 'syn-more');
  if (existsSync(join(a, 'syn_packets.pcap'))) hosts.push(...loadSynPcaps(a));
  else missing.push(a);
  if (existsSync(join(b, 'hosts.csv'))) hosts.push(...loadSynMore(b));
  else missing.push(b);
  for (const h of hosts) h.syns.sort((x, y) => x.t - y.t);
  return { hosts, missing };
}
