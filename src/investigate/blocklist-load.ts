/**
 * Reading blocklist files into a Blocklist. Formats, told apart by name and first lines:
 * - plain: one indicator a line (address, `IP:port`, CIDR, domain, `*.domain`, hosts-file `0.0.0.0 name`),
 *   `#` and `;` comments; Maltrail's own trail files (`trails/static/malware/<family>.txt`) are plain lists;
 * - IPsum: `IP<TAB>count` (count = how many public lists name the address);
 * - Maltrail CSV: `indicator,indicator_kind,class,family_or_list,comment` (read with csv-parse).
 * Files may be gzipped (`.gz`). URLs (paths) are skipped: a pivot looks up addresses and names.
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { pipeline, type Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { Blocklist } from './blocklist.js';

export type BlocklistFormat = 'plain' | 'ipsum' | 'maltrail-csv';

export interface BlocklistFileStatus {
  file: string;
  format: BlocklistFormat;
  entries: number;
  skipped: number;
  error?: string;
}

const HOST = /^[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))+$/;
const IP_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/;
const HOSTS_ADDR = new Set(['0.0.0.0', '127.0.0.1', '::', '::1']);
/** The names a hosts file lists for the machine itself (its header), never a blocked name. */
const HOSTS_SELF = new Set(['localhost', 'localhost.localdomain', 'local', 'broadcasthost', 'ip6-localhost', 'ip6-loopback', 'ip6-localnet', 'ip6-mcastprefix', 'ip6-allnodes', 'ip6-allrouters', 'ip6-allhosts', '0.0.0.0']);

/**
 * The file's text as a stream. A `.gz` is joined to its gunzip with `pipeline`, not `.pipe()`: an error of
 * either (the file gone, a truncated gzip) reaches the reader as an error of the returned stream instead of
 * an uncaught one, and destroying the returned stream closes the file too.
 */
function open(path: string): Readable {
  const s = createReadStream(path);
  if (!path.endsWith('.gz')) return s;
  // the error is seen by whoever reads the returned stream; the callback only keeps it from being unhandled
  return pipeline(s, createGunzip(), () => {});
}

/** `source` into `parser`, the error of either seen as the parser's (`.pipe()` forwards none). */
function into<T extends NodeJS.ReadWriteStream>(source: Readable, parser: T): T {
  return pipeline(source, parser, () => {}) as unknown as T;
}

/** Adds one indicator; false when it is not an address, network or domain. */
export function addIndicator(bl: Blocklist, raw: string, list: string): boolean {
  let v = raw.trim().toLowerCase();
  if (v === '' || v.indexOf('://') >= 0 || v.indexOf('/') === 0) return false;
  const ipPort = IP_PORT.exec(v);
  if (ipPort !== null) v = ipPort[1]!;
  // an address or network: `1.2.3.4`, a CIDR, or an IPv6 form; a name of hex digits that starts with a
  // digit (`883217.cc`, `3900f936.de`, hundreds of Maltrail's trails) is a domain, read below
  if (/^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]*:[0-9a-f:.]*)(?:\/\d{1,3})?$/.test(v)) return bl.addNetwork(v, list);
  if (v.startsWith('*.')) v = v.slice(2);
  else if (v.startsWith('.')) v = v.slice(1);
  if (v.endsWith('.')) v = v.slice(0, -1);
  if (!HOST.test(v) || v.length > 253) return false;
  bl.addDomain(v, list);
  return true;
}

async function firstLines(path: string, n: number): Promise<string[]> {
  const lines: string[] = [];
  const stream = open(path);
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of rl) {
      lines.push(line);
      if (lines.length >= n) break;
    }
  } finally {
    rl.close();
    // through the pipeline, this closes the file under a gunzip too (one descriptor a .gz a reload leaked)
    stream.destroy();
  }
  return lines;
}

export async function detectFormat(path: string): Promise<BlocklistFormat> {
  const lines = await firstLines(path, 50);
  if ((lines[0] ?? '').startsWith('indicator,indicator_kind')) return 'maltrail-csv';
  const data = lines.filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (/ipsum/i.test(basename(path)) || (data.length > 0 && data.every((l) => /^\S+\t\d+\s*$/.test(l)))) return 'ipsum';
  return 'plain';
}

/** `each` says whether the line was an entry, or how many entries it held (0: skipped). */
async function loadLines(path: string, status: BlocklistFileStatus, each: (line: string) => boolean | number): Promise<void> {
  const rl = createInterface({ input: open(path), crlfDelay: Infinity });
  for await (const line of rl) {
    const c = line.charCodeAt(0);
    if (line === '' || c === 35 /* # */ || c === 59 /* ; */) continue;
    const n = Number(each(line));
    if (n > 0) status.entries += n;
    else status.skipped++;
  }
}

async function loadMaltrailCsv(path: string, bl: Blocklist, status: BlocklistFileStatus): Promise<void> {
  const parser = into(open(path), parseCsv({ from_line: 2, relax_column_count: true, relax_quotes: true }));
  for await (const row of parser as AsyncIterable<string[]>) {
    const [indicator, kind, cls, family] = row;
    if (indicator === undefined || kind === 'url') {
      status.skipped++;
      continue;
    }
    if (addIndicator(bl, indicator, `maltrail ${cls ?? '?'}/${family ?? '?'}`)) status.entries++;
    else status.skipped++;
  }
}

/** Loads one file into `bl`; a file that fails is reported in its status, the others still load. */
export async function loadBlocklistFile(path: string, bl: Blocklist): Promise<BlocklistFileStatus> {
  const file = basename(path);
  const list = file.replace(/\.gz$/, '').replace(/\.(txt|csv|list|lst)$/, '');
  const status: BlocklistFileStatus = { file, format: 'plain', entries: 0, skipped: 0 };
  try {
    status.format = await detectFormat(path);
    if (status.format === 'maltrail-csv') await loadMaltrailCsv(path, bl, status);
    else if (status.format === 'ipsum') {
      await loadLines(path, status, (line) => {
        const tab = line.indexOf('\t');
        const count = tab < 0 ? '' : line.slice(tab + 1).trim();
        return addIndicator(bl, tab < 0 ? line : line.slice(0, tab), count === '' ? list : `${list}: on ${count} list${count === '1' ? '' : 's'}`);
      });
    } else {
      await loadLines(path, status, (line) => {
        const text = line.replace(/\s+#.*$/, '').trim();
        const parts = text.split(/\s+/);
        // hosts-file style: `0.0.0.0 ads.example`, or several names a line (`0.0.0.0 ads.example tracker.example`)
        if (parts.length > 1 && (HOSTS_ADDR.has(parts[0]!) || parts[0] === '255.255.255.255' || /^(?:fe80|ff0\d)::/i.test(parts[0]!))) {
          // the header's own names (`127.0.0.1 localhost`, `255.255.255.255 broadcasthost`) block nothing
          if (!HOSTS_ADDR.has(parts[0]!)) return false;
          let added = 0;
          for (const name of parts.slice(1)) if (!HOSTS_SELF.has(name.toLowerCase()) && addIndicator(bl, name, list)) added++;
          return added;
        }
        return addIndicator(bl, parts[0]!, list);
      });
    }
  } catch (e) {
    status.error = (e as Error).message;
  }
  return status;
}

/** Every regular file of `dir` (not hidden, not Markdown), sorted by name. */
export function blocklistFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.') && !/\.(md|json)$/i.test(f))
    .map((f) => join(dir, f))
    .filter((p) => statSync(p).isFile())
    .sort();
}
