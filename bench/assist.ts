/**
 * Similar-incident query latency over 100k incidents (target ≤100 ms), against a brute-force scan
 * measured in the same run: node --import tsx bench/assist.ts [--incidents 100000] [--queries 50]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mulberry32 } from '../src/core/index.js';
import { join } from 'node:path';
import { BM25_DEFAULTS, loadRankModel, SimilarityIndex, termCounts, type Incident } from '../src/assist/index.js';
import { describeMachine } from './machine.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const rng = mulberry32;

const VOCAB = 30_000;
const CATS = ['brute-force', 'dos', 'phishing', 'ransomware', 'malware', 'web-attack', 'vulnerability', 'data-breach'];

/** Zipf-distributed words (s≈1), 20–200 per incident, a few structured attributes: a text corpus shaped like incident summaries. */
function corpus(n: number, seed: number): Incident[] {
  const r = rng(seed);
  const h = Math.log(VOCAB);
  const word = () => `w${Math.floor(Math.exp(r() * h)).toString(36)}`;
  const out: Incident[] = [];
  for (let i = 0; i < n; i++) {
    const len = 20 + Math.floor(r() * 180);
    const words: string[] = [];
    for (let j = 0; j < len; j++) words.push(word());
    const cat = CATS[Math.floor(r() * CATS.length)] as string;
    out.push({ id: `b${i}`, source: 'bench', title: words.slice(0, 8).join(' '), text: words.join(' '), time: null, labels: [cat], attrs: { category: [cat], port: [String([22, 80, 443, 3389, 445][Math.floor(r() * 5)])] }, firstAction: null, countermeasure: null, steps: [], outcome: null });
  }
  return out;
}

/** The baseline: score every incident's term counts for the same query terms (BM25, same parameters). */
class BruteForce {
  private readonly ids = new Map<string, number>();
  private readonly docs: { terms: Int32Array; tfs: Int32Array; len: number }[] = [];
  private readonly df: number[] = [];
  private total = 0;
  constructor(texts: string[]) {
    for (const t of texts) {
      const counts = [...termCounts(t)].map(([w, c]) => {
        let id = this.ids.get(w);
        if (id === undefined) this.ids.set(w, (id = this.ids.size));
        this.df[id] = (this.df[id] ?? 0) + 1;
        return [id, c] as const;
      });
      counts.sort((a, b) => a[0] - b[0]);
      const len = counts.reduce((s, [, c]) => s + c, 0);
      this.total += len;
      this.docs.push({ terms: Int32Array.from(counts.map((x) => x[0])), tfs: Int32Array.from(counts.map((x) => x[1])), len });
    }
  }
  search(terms: string[], k: number, exclude: number): number[] {
    const { k1, b } = BM25_DEFAULTS;
    const n = this.docs.length;
    const avg = this.total / n;
    const q = terms.map((t) => this.ids.get(t) ?? -1).filter((x) => x >= 0);
    const idf = q.map((id) => Math.log(1 + (n - (this.df[id] ?? 0) + 0.5) / ((this.df[id] ?? 0) + 0.5)));
    const scores: { d: number; s: number }[] = [];
    for (let d = 0; d < n; d++) {
      if (d === exclude) continue;
      const doc = this.docs[d] as { terms: Int32Array; tfs: Int32Array; len: number };
      let s = 0;
      for (let i = 0; i < q.length; i++) {
        let lo = 0;
        let hi = doc.terms.length - 1;
        const x = q[i] as number;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          const v = doc.terms[mid] as number;
          if (v === x) {
            const tf = doc.tfs[mid] as number;
            s += ((idf[i] as number) * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * doc.len) / avg));
            break;
          }
          if (v < x) lo = mid + 1;
          else hi = mid - 1;
        }
      }
      if (s > 0) scores.push({ d, s });
    }
    scores.sort((a, b) => b.s - a.s || a.d - b.d);
    return scores.slice(0, k).map((x) => x.d);
  }
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

const N = arg('incidents', 100_000);
const Q = arg('queries', 50);
const SEED = 42;
const t0 = performance.now();
const incidents = corpus(N, SEED);
const t1 = performance.now();
const model = loadRankModel();
const index = new SimilarityIndex(incidents, model);
const buildMs = performance.now() - t1;
const brute = new BruteForce(incidents.map((x) => `${x.title}\n${x.text}`));

const r = rng(SEED + 1);
const queries = Array.from({ length: Q }, () => Math.floor(r() * N));
for (const q of queries.slice(0, 5)) index.search(incidents[q] as Incident, 10); // warm-up (JIT)
const hybridMs: number[] = [];
const bm25Ms: number[] = [];
const bruteMs: number[] = [];
let agree = 0;
for (const q of queries) {
  const inc = incidents[q] as Incident;
  let s = performance.now();
  index.search(inc, 10);
  hybridMs.push(performance.now() - s);
  const terms = index.bm25.queryTerms(`${inc.title}\n${inc.text}`, 64, q);
  s = performance.now();
  const fast = index.bm25.search(terms, 10, q).map((x) => x.doc);
  bm25Ms.push(performance.now() - s);
  s = performance.now();
  const slow = brute.search(terms, 10, q);
  bruteMs.push(performance.now() - s);
  if (JSON.stringify(fast) === JSON.stringify(slow)) agree++;
}
const result = {
  date: new Date().toISOString(),
  machine: describeMachine(),
  incidents: N,
  queries: Q,
  seed: SEED,
  model: model.trainedOn,
  generateMs: Math.round(t1 - t0),
  indexBuildMs: Math.round(buildMs),
  hybrid: { p50: pct(hybridMs, 50), p95: pct(hybridMs, 95), max: Math.max(...hybridMs) },
  bm25Index: { p50: pct(bm25Ms, 50), p95: pct(bm25Ms, 95) },
  bruteForce: { p50: pct(bruteMs, 50), p95: pct(bruteMs, 95) },
  sameTop10AsBruteForce: `${agree}/${Q}`,
};
const f = (x: number) => x.toFixed(1);
const md = [
  `# Incident assistant: similar-incident query (${result.date.slice(0, 10)})`,
  '',
  `Machine: ${result.machine.cores} × ${result.machine.cpu}, ${result.machine.memGiB} GiB, Node ${result.machine.node}.`,
  `Corpus: ${N} synthetic incidents (Zipf words, 20–200 per incident, seed ${SEED}); ${Q} queries, each a whole incident (64 rarest terms), top 10. Model: ${model.trainedOn}.`,
  '',
  '| measure | p50 ms | p95 ms | target |',
  '| --- | --- | --- | --- |',
  `| hybrid similar-incident query (BM25 pool of ${model.pool} + features + re-rank + why) | ${f(result.hybrid.p50)} | ${f(result.hybrid.p95)} | ≤100 ms |`,
  `| BM25 over the inverted index | ${f(result.bm25Index.p50)} | ${f(result.bm25Index.p95)} | — |`,
  `| brute-force BM25 scan (baseline) | ${f(result.bruteForce.p50)} | ${f(result.bruteForce.p95)} | — |`,
  `| speed-up of the index over brute force (p50) | ${(result.bruteForce.p50 / result.bm25Index.p50).toFixed(0)}× | | |`,
  '',
  `Index build: ${(result.indexBuildMs / 1000).toFixed(1)} s for ${N} incidents. Same top 10 as brute force: ${result.sameTop10AsBruteForce}.`,
  '',
].join('\n');
const dir = join(import.meta.dirname, 'results');
mkdirSync(dir, { recursive: true });
const name = `${result.date.slice(0, 10)}-assist`;
writeFileSync(join(dir, `${name}.json`), JSON.stringify(result, null, 2) + '\n');
writeFileSync(join(dir, `${name}.md`), md);
console.log(md);
