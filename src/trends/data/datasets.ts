/** Readers for the shared datasets: the HACKMAGEDDON timeline (ground truth), hacker-communication posts and CASIE articles. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../core/index.js';
import type { AttackType } from '../text/lexicon.js';

export const HACKMAGEDDON_DIR = 'attack-timeline-hackmageddon';
export const SOCIAL_DIR = 'social-hacker-communication';
export const CASIE_DIR = 'news-cyber-events-casie';

export interface Incident {
  /** UTC midnight of `date_reported`, ms */
  reported: number;
  description: string;
  types: AttackType[];
  /** normalised motivation: cyber crime, hacktivism, cyber warfare, cyber espionage, unknown */
  motive: string;
  country: string;
  target: string;
  author: string;
}

function need(file: string): string {
  if (!existsSync(file)) {
    throw new AppError('TRENDS_DATASET_NOT_FOUND', 'not_found', `dataset: ${file} is missing; pass --datasets DIR (the folder holding ${HACKMAGEDDON_DIR}, ${SOCIAL_DIR}, ${CASIE_DIR})`, { file });
  }
  return file;
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

export function loadHackmageddon(datasetsDir: string): Incident[] {
  const file = need(join(datasetsDir, HACKMAGEDDON_DIR, 'hackmageddon_2023plus.csv'));
  const rows = parse(readFileSync(file), { columns: true, skip_empty_lines: true, relax_quotes: true }) as Record<string, string>[];
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
    const rows = parse(gunzipSync(readFileSync(file)), { columns: true, skip_empty_lines: true, relax_quotes: true, relax_column_count: true }) as Record<string, string>[];
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
  for (const line of gunzipSync(readFileSync(file)).toString('utf8').split('\n')) {
    if (line.trim() === '') continue;
    const o = JSON.parse(line) as { date?: string; title?: string; content?: string; event_subtypes?: string[] };
    // a few dates have one-digit days (`2017_02_3`)
    const [y, m, d] = (o.date ?? '').split('_').map(Number);
    const date = y === undefined || m === undefined || d === undefined ? NaN : Date.UTC(y, m - 1, d);
    out.push({ date: Number.isNaN(date) ? 0 : date, title: o.title ?? '', text: o.content ?? '', subtypes: o.event_subtypes ?? [] });
  }
  return out.sort((a, b) => a.date - b.date);
}
