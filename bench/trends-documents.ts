/**
 * `GET /api/trends/documents` as the service answers it (`TrendsService.documents`), timed: over a demo
 * data directory (`node dist/bench/trends-documents.js DATA_DIR`, its trends/docs.db) and over 50,000
 * synthetic collected documents in memory. Prints the median and slowest of 30 calls per case, in ms.
 * Standalone, read-only on DATA_DIR; not part of `npm run bench`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CALENDAR, DocStore, TrendsService, loadModels, simhash } from '../src/trends/index.js';
import type { NewDoc } from '../src/trends/docstore.js';
import { ATTACK_TYPES } from '../src/trends/text/lexicon.js';
import { repoRoot } from './root.js';

const DAY = 86_400_000;
const RUNS = 30;
const models = loadModels(join(repoRoot(import.meta.url), 'models', 'trends'));

function timed(label: string, svc: TrendsService, now: number): void {
  const ms: number[] = [];
  let total = 0;
  for (let i = 0; i < RUNS; i++) {
    const type = ATTACK_TYPES[i % ATTACK_TYPES.length]!;
    const at = now - (1 + (i % 20)) * DAY;
    const t0 = performance.now();
    total += svc.documents(type, 'day', at, 0, 20).total;
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label}: median ${ms[RUNS >> 1]!.toFixed(1)} ms, slowest ${ms[RUNS - 1]!.toFixed(1)} ms over ${RUNS} calls (${(total / RUNS).toFixed(1)} documents a period on average)`);
}

async function main(): Promise<void> {
  const now = Date.now();
  const dataDir = process.argv[2];
  if (dataDir !== undefined) {
    const path = join(dataDir, 'trends', 'docs.db');
    if (!existsSync(path)) throw new Error(`trends-documents bench: no ${path}; start nml serve --demo --data ${dataDir} first`);
    const store = new DocStore(path);
    const svc = new TrendsService({ store, models, history: [], calendar: DEFAULT_CALENDAR });
    await svc.warm();
    timed(`demo (${store.count()} documents)`, svc, now);
    store.close();
  }
  const store = new DocStore(':memory:');
  const docs: NewDoc[] = [];
  const words = ['ransomware', 'botnet', 'phishing', 'ddos', 'espionage', 'injection', 'hospital', 'bank', 'ministry', 'leak'];
  for (let i = 0; i < 50_000; i++) {
    const type = ATTACK_TYPES[i % ATTACK_TYPES.length]!;
    const text = `${words[i % 10]} ${words[(i * 7) % 10]} attack on target ${i} ${words[(i * 3) % 10]}`;
    const time = now - Math.floor((i / 50_000) * 180 * DAY);
    docs.push({ source: 'bench', url: `https://news.example/${i}`, title: `story ${i}`, text, time, fetchedAt: time, lang: 'en', types: { [type]: 0.9 }, keywords: [], simhash: simhash(`${i} ${text}`) });
  }
  store.insertMany(docs);
  const svc = new TrendsService({ store, models, history: [], calendar: DEFAULT_CALENDAR });
  await svc.warm();
  timed('synthetic (50,000 documents)', svc, now);
  store.close();
}

await main();
