/** The labelled corpora of ../shared/datasets as incidents: VCDB sample, CASIE news articles, Hackmageddon timeline. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { AppError } from '../core/index.js';
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
  if (!existsSync(path)) throw new AppError('ASSIST_CORPUS_NOT_FOUND', 'not_found', `assist: no corpus file at ${path}; pass --datasets DIR (the folder holding ../shared/datasets)`, { path });
}

/** CASIE's `event_subtypes` is a Python list literal: `['Databreach', 'Ransom']`. */
export function pyList(s: string): string[] {
  return [...s.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2] ?? '').filter((x) => x !== '');
}

export function loadCasie(datasets: string): Incident[] {
  const file = join(datasets, CORPUS_DIRS.casie, 'casie_annotations.jsonl.gz');
  need(file);
  const out: Incident[] = [];
  for (const line of gunzipSync(readFileSync(file)).toString('utf8').split('\n')) {
    if (line.trim() === '') continue;
    const d = JSON.parse(line) as { doc_id: string; title?: string; date?: string; content?: string; event_subtypes?: string | string[] };
    const labels = Array.isArray(d.event_subtypes) ? d.event_subtypes : pyList(d.event_subtypes ?? '');
    const text = `${d.title ?? ''}\n${d.content ?? ''}`;
    out.push({ id: `casie:${d.doc_id}`, source: 'casie', title: d.title ?? d.doc_id, text, time: d.date?.replace(/_/g, '-') ?? null, labels, attrs: textAttrs(text), firstAction: null, countermeasure: null, steps: [], outcome: null });
  }
  return out;
}

const MOTIVE: Record<string, string> = { cc: 'cyber crime', h: 'hacktivism', cw: 'cyber warfare', ce: 'cyber espionage' };

export function loadHackmageddon(datasets: string): Incident[] {
  const file = join(datasets, CORPUS_DIRS.hackmageddon, 'hackmageddon_2023plus.csv');
  need(file);
  const rows = parse(readFileSync(file), { columns: true, skip_empty_lines: true, relax_column_count: true }) as Record<string, string>[];
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
    const v = JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown;
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
