/** The labelled corpora of ../shared/datasets as incidents: VCDB sample, CASIE news articles, Hackmageddon timeline. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { AppError, pathFailureKind, unreadableAdvice, unreadableWhy } from '../core/index.js';
import { incidentOf, textAttrs, type Incident } from './incident.js';
import { normalizeVeris, looksLikeVeris } from './veris.js';

export const CORPORA = ['vcdb', 'casie', 'hackmageddon'] as const;
export type CorpusName = (typeof CORPORA)[number];

export const CORPUS_DIRS: Record<CorpusName, string> = {
  vcdb: 'incidents-vcdb-sample',
  casie: 'news-cyber-events-casie',
  hackmageddon: 'attack-timeline-hackmageddon',
};

function need(path: string): void {
  if (!existsSync(path)) throw new AppError('ASSIST_CORPUS_NOT_FOUND', 'bad_request', `assist: no corpus file at ${path}; pass --datasets DIR or set NML_DATASETS (the folder that holds ${Object.values(CORPUS_DIRS).join(', ')}: ../shared/datasets beside a checkout)`, { path });
}

/** CASIE's `event_subtypes` is a Python list literal: `['Databreach', 'Ransom']`. */
export function pyList(s: string): string[] {
  return [...s.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2] ?? '').filter((x) => x !== '');
}

/** A corpus file that does not read: which file, where, and what to do. */
function invalid(file: string, where: string, what: string, cause?: unknown): AppError {
  return new AppError('ASSIST_CORPUS_INVALID', pathFailureKind(cause), `assist: ${file}${where === '' ? '' : ` ${where}`} ${what}; the file is damaged: copy the dataset again, or import the other corpora (--corpus)`, { path: file, where }, cause);
}

/** A corpus file's bytes; one the system will not read is said as such, not as a damaged file. */
function readCorpusFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const why = unreadableWhy(e, 'a corpus file is one file');
    const fix = 'copy the dataset again (its files as published), or import the other corpora (--corpus)';
    throw new AppError('ASSIST_CORPUS_INVALID', pathFailureKind(e), `assist: ${file} cannot be read (${why}); ${unreadableAdvice(e, fix)}`, { path: file, where: '' }, e);
  }
}

/** CASIE's `2017_01_03` (and `2017_02_3`, one digit for the day) as an ISO date; null when it is not one. */
export function casieDate(s: string | undefined): string | null {
  const m = /^(\d{4})[_-](\d{1,2})[_-](\d{1,2})$/.exec(s ?? '');
  return m === null ? null : `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}`;
}

export function loadCasie(datasets: string): Incident[] {
  const file = join(datasets, CORPUS_DIRS.casie, 'casie_annotations.jsonl.gz');
  need(file);
  const raw = readCorpusFile(file);
  let data: string;
  try {
    data = gunzipSync(raw).toString('utf8');
  } catch (e) {
    throw invalid(file, '', `is not gzip data (${(e as Error).message})`, e);
  }
  const out: Incident[] = [];
  data.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let d: { doc_id?: unknown; title?: string; date?: string; content?: string; event_subtypes?: string | string[] };
    try {
      d = JSON.parse(line) as typeof d;
    } catch (e) {
      throw invalid(file, `line ${i + 1}`, `is not JSON (${(e as Error).message})`, e);
    }
    if (d === null || typeof d !== 'object' || (typeof d.doc_id !== 'string' && typeof d.doc_id !== 'number')) throw invalid(file, `line ${i + 1}`, 'is not a CASIE document (an object with a doc_id)');
    const id = String(d.doc_id);
    const labels = Array.isArray(d.event_subtypes) ? d.event_subtypes.map(String) : pyList(typeof d.event_subtypes === 'string' ? d.event_subtypes : '');
    const title = typeof d.title === 'string' ? d.title : id;
    const text = `${typeof d.title === 'string' ? d.title : ''}\n${typeof d.content === 'string' ? d.content : ''}`;
    out.push({ id: `casie:${id}`, source: 'casie', title, text, time: casieDate(d.date), labels, attrs: textAttrs(text), firstAction: null, countermeasure: null, steps: [], outcome: null });
  });
  return out;
}

const MOTIVE: Record<string, string> = { cc: 'cyber crime', h: 'hacktivism', cw: 'cyber warfare', ce: 'cyber espionage' };

export function loadHackmageddon(datasets: string): Incident[] {
  const file = join(datasets, CORPUS_DIRS.hackmageddon, 'hackmageddon_2023plus.csv');
  need(file);
  const raw = readCorpusFile(file);
  let rows: Record<string, string>[];
  try {
    rows = parse(raw, { columns: true, skip_empty_lines: true, relax_column_count: true }) as Record<string, string>[];
  } catch (e) {
    // csv-parse says where it stopped (`lines`) and how many records it had read
    const err = e as Error & { lines?: number; records?: number };
    const where = err.lines === undefined ? '' : `line ${err.lines}${err.records === undefined ? '' : ` (${err.records} records read before it)`}`;
    throw invalid(file, where, `is not CSV (${err.message})`, e);
  }
  return rows.map((r, i) => {
    const text = `${r.description ?? ''}\n${r.target ?? ''}`;
    const attrs = textAttrs(text);
    const put = (k: keyof typeof attrs, v: string | undefined) => {
      const x = (v ?? '').trim().toLowerCase();
      if (x !== '' && x !== '?' && x !== 'n/a') attrs[k] = [x];
    };
    put('asset', r.target_class);
    const m = (r.attack_class ?? '').trim().toLowerCase();
    put('motive', MOTIVE[m] ?? m);
    put('country', r.country);
    put('actor', r.author);
    return { id: `hackmageddon:${r.row_hash?.slice(0, 16) ?? i}`, source: 'hackmageddon', title: (r.description ?? '').slice(0, 200), text, time: r.date_occurred ?? null, labels: r.attack_norm ? [r.attack_norm] : [], attrs, firstAction: null, countermeasure: null, steps: [], outcome: null };
  });
}

export function loadVcdb(datasets: string): Incident[] {
  const dir = join(datasets, CORPUS_DIRS.vcdb, 'json');
  need(dir);
  const out: Incident[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const path = join(dir, name);
    const text = readCorpusFile(path).toString('utf8');
    let v: unknown;
    try {
      v = JSON.parse(text) as unknown;
    } catch (e) {
      // JSON.parse names a character position; the line is what an editor shows
      const at = /position (\d+)/.exec((e as Error).message);
      throw invalid(path, at === null ? '' : `line ${text.slice(0, Number(at[1])).split('\n').length}`, `is not JSON (${(e as Error).message})`, e);
    }
    if (!looksLikeVeris(v)) continue;
    const rec = normalizeVeris(v);
    const inc = incidentOf(`vcdb:${name.replace(/\.json$/, '')}`, rec, 'vcdb');
    out.push(inc);
  }
  return out;
}

export function loadCorpus(name: CorpusName, datasets: string): Incident[] {
  if (name === 'casie') return loadCasie(datasets);
  if (name === 'hackmageddon') return loadHackmageddon(datasets);
  return loadVcdb(datasets);
}
