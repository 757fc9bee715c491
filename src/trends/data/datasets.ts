/** Readers for the shared datasets: the HACKMAGEDDON timeline (ground truth), hacker-communication posts and CASIE articles. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { AppError, describeCause, pathFailureKind, unreadableAdvice, unreadableWhy } from '../../core/index.js';
import type { AttackType } from '../text/lexicon.js';

export const HACKMAGEDDON_DIR = 'attack-timeline-hackmageddon';
export const SOCIAL_DIR = 'social-hacker-communication';
export const CASIE_DIR = 'news-cyber-events-casie';

export interface Incident {
  /** UTC midnight of `date_reported`, ms */
  reported: number;
  description: string;
  types: AttackType[];
  /** the timeline's technique as written (`attack_raw`: `DDoS`, `CVE-2023-34362 Vulnerability`, `Unknown` …) */
  technique: string;
  /** normalised motivation: cyber crime, hacktivism, cyber warfare, cyber espionage, unknown */
  motive: string;
  country: string;
  target: string;
  author: string;
}

function need(file: string): string {
  if (!existsSync(file)) {
    throw new AppError('TRENDS_DATASET_NOT_FOUND', 'bad_request', `dataset: ${file} is missing; pass --datasets DIR or set NML_DATASETS (the folder that holds ${HACKMAGEDDON_DIR}, ${SOCIAL_DIR}, ${CASIE_DIR}: ../shared/datasets beside a checkout)`, { file });
  }
  return file;
}

/**
 * What to do about a damaged file, in a TRENDS_DATASET_INVALID message of the commands that take
 * --datasets; the incident timeline of nml serve and trends predict says the fix for the setting that
 * named its folder instead (`restore`, trends-wiring.ts trendsHistory).
 */
const RESTORE = 'restore it from the shared datasets (or pass --datasets DIR holding an intact copy)';

/**
 * A dataset file that cannot be read as what it should be (truncated gzip, an unclosed quote, a line
 * that is not JSON): an AppError naming the file and, where known, the line, not a parser's stack.
 */
export function invalidDataset(file: string, problem: string, line: number | null, cause?: unknown, restore = RESTORE): AppError {
  const at = line === null ? '' : ` at line ${line}`;
  return new AppError('TRENDS_DATASET_INVALID', pathFailureKind(cause), `dataset: ${file}${at} cannot be read (${problem}); ${restore}`, line === null ? { file } : { file, line }, cause);
}

/** Reads (and gunzips) a dataset file; a read or gzip failure is TRENDS_DATASET_INVALID. */
function readDataset(file: string, gzipped: boolean, restore = RESTORE): Buffer {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (e) {
    // the system's refusal is no damage: said in words, and what to do for it
    const why = unreadableWhy(e, 'a dataset is one file');
    throw new AppError('TRENDS_DATASET_INVALID', pathFailureKind(e), `dataset: ${file} cannot be read (${why}); ${unreadableAdvice(e, restore)}`, { file }, e);
  }
  try {
    return gzipped ? gunzipSync(raw) : raw;
  } catch (e) {
    throw invalidDataset(file, describeCause(e), null, e, restore);
  }
}

/** CSV rows as records; a parse error names its line (csv-parse counts them). */
function parseCsv(file: string, data: Buffer, relaxColumns: boolean, restore = RESTORE): Record<string, string>[] {
  try {
    return parse(data, { columns: true, skip_empty_lines: true, relax_quotes: true, relax_column_count: relaxColumns }) as Record<string, string>[];
  } catch (e) {
    const line = (e as { lines?: unknown }).lines;
    throw invalidDataset(file, (e as Error).message, typeof line === 'number' ? line : null, e, restore);
  }
}

const MOTIVES: Record<string, string> = { cc: 'cyber crime', h: 'hacktivism', cw: 'cyber warfare', ce: 'cyber espionage' };

/**
 * HACKMAGEDDON technique → our attack types. Web attacks: SQLi, script injection, defacement and
 * exploited vulnerabilities (CVE-2023-34362, MOVEit, is itself a SQL injection). Targeted attack/APT:
 * the `Targeted Attack` technique or the `Cyber Espionage` motivation.
 */
export function incidentTypes(attackRaw: string, motive: string, description = ''): AttackType[] {
  const a = attackRaw.toLowerCase();
  // 2023 timelines file ransomware under "Malware" (250 of 296 such rows mention a ransom); from 2024 it has its own
  // label. Reading the description keeps the type the same across years, which a time split needs.
  const ransom = a.includes('ransomware') || (/malware|unknown/.test(a) && /\bransom/i.test(description));
  const types: AttackType[] = [];
  if (a.includes('ddos')) types.push('ddos');
  if (/account takeover|credential stuffing|brute-force|business email compromise|api hijacking|dns hijacking|compromised keys|sim swap/.test(a)) types.push('account_takeover');
  if (a.includes('targeted attack') || motive === 'cyber espionage') types.push('targeted');
  if (/sqli|sql injection|script injection|defacement|vulnerabilit|cve-/.test(a)) types.push('web_attack');
  if (ransom) types.push('ransomware');
  if (/malware|drainer|remote management tool/.test(a) && !ransom) types.push('malware');
  return types;
}

/** The incident timeline; `restore`: what to do about a damaged file (default: restore it, or pass --datasets). */
export function loadHackmageddon(datasetsDir: string, restore = RESTORE): Incident[] {
  const file = need(join(datasetsDir, HACKMAGEDDON_DIR, 'hackmageddon_2023plus.csv'));
  const rows = parseCsv(file, readDataset(file, false, restore), false, restore);
  const out: Incident[] = [];
  for (const r of rows) {
    const reported = Date.parse(`${r['date_reported'] ?? ''}T00:00:00Z`);
    if (Number.isNaN(reported)) continue;
    const rawMotive = (r['attack_class'] ?? '').trim();
    const motive = MOTIVES[rawMotive.toLowerCase()] ?? (rawMotive === '' ? 'unknown' : rawMotive.toLowerCase());
    out.push({
      reported,
      description: r['description'] ?? '',
      types: incidentTypes(r['attack_raw'] ?? '', motive, r['description'] ?? ''),
      technique: (r['attack_raw'] ?? '').trim(),
      motive,
      country: r['country'] ?? '',
      target: r['target'] ?? '',
      author: r['author'] ?? '',
    });
  }
  return out.sort((a, b) => a.reported - b.reported);
}

export interface SocialPost {
  text: string;
  dataset: string;
  threat: boolean;
}

/** The five labelled corpora; `Undecided` rows are left out. */
export function loadSocial(datasetsDir: string): SocialPost[] {
  const out: SocialPost[] = [];
  for (const f of ['D1CrackingArena', 'D2Twitter', 'D3DreamMarket', 'D4Garage4hackers', 'D5CrackingFire']) {
    const file = need(join(datasetsDir, SOCIAL_DIR, `${f}.csv.gz`));
    const rows = parseCsv(file, readDataset(file, true), true);
    for (const r of rows) {
      const label = (r['label'] ?? '').trim().toUpperCase();
      if (label !== 'YES' && label !== 'NO') continue;
      out.push({ text: r['content'] ?? '', dataset: f, threat: label === 'YES' });
    }
  }
  return out;
}

export interface CasieArticle {
  /** ms, UTC midnight */
  date: number;
  title: string;
  text: string;
  subtypes: string[];
}

export const CASIE_SUBTYPES = ['Databreach', 'DiscoverVulnerability', 'PatchVulnerability', 'Phishing', 'Ransom'] as const;

export function loadCasie(datasetsDir: string): CasieArticle[] {
  const file = need(join(datasetsDir, CASIE_DIR, 'casie_annotations.jsonl.gz'));
  const out: CasieArticle[] = [];
  const lines = readDataset(file, true).toString('utf8').split('\n');
  lines.forEach((line, n) => {
    if (line.trim() === '') return;
    const o = casieRecord(file, line, n + 1);
    // a few dates have one-digit days (`2017_02_3`)
    const [y, m, d] = (typeof o.date === 'string' ? o.date : '').split('_').map(Number);
    const date = y === undefined || m === undefined || d === undefined ? NaN : Date.UTC(y, m - 1, d);
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    const subtypes = Array.isArray(o.event_subtypes) ? o.event_subtypes.filter((t): t is string => typeof t === 'string') : [];
    out.push({ date: Number.isNaN(date) ? 0 : date, title: text(o.title), text: text(o.content), subtypes });
  });
  return out.sort((a, b) => a.date - b.date);
}

/** One line of the CASIE file: a JSON object, else TRENDS_DATASET_INVALID naming the line. */
function casieRecord(file: string, line: string, n: number): Record<string, unknown> {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch (e) {
    throw invalidDataset(file, (e as Error).message, n, e);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw invalidDataset(file, 'the line is not a JSON object', n);
  return o as Record<string, unknown>;
}
