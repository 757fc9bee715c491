/** Similar incidents: BM25 candidates re-ranked by structured similarity with learned weights; each result says why. */
import { Bm25Index, BM25_DEFAULTS, type Bm25Params } from './bm25.js';
import { ATTRS, type Attr, type Incident } from './incident.js';
import { TEMPLATE_WORDS } from './tokenize.js';

/** Shared words, the content ones apart from the report-template ones, at most 10 each. */
function splitTerms(terms: readonly string[]): { sharedTerms: string[]; templateTerms: string[] } {
  return { sharedTerms: terms.filter((t) => !TEMPLATE_WORDS.has(t)).slice(0, 10), templateTerms: terms.filter((t) => TEMPLATE_WORDS.has(t)).slice(0, 10) };
}

/** Features of a (query, candidate) pair, all in [0, 1]. */
export const FEATURES = ['bm25', 'vote', ...ATTRS.map((a) => `same_${a}` as const)] as const;
export type FeatureName = (typeof FEATURES)[number];

export interface RankModel {
  /** one weight per FEATURES entry */
  weights: number[];
  /** BM25 candidates re-ranked per query */
  pool: number;
  /** nearest neighbours whose labels vote */
  voteK: number;
  bm25: Bm25Params;
  /** how the weights were obtained (data, split, method) */
  trainedOn: string;
}

/** Plain BM25: weight on bm25 only. The baseline, and the fallback before any training. */
export const BM25_ONLY: RankModel = { weights: FEATURES.map((f) => (f === 'bm25' ? 1 : 0)), pool: 100, voteK: 20, bm25: BM25_DEFAULTS, trainedOn: 'none (plain BM25)' };

export interface Why {
  /**
   * query words the incident shares, rarest first, report-template words (TEMPLATE_WORDS) left out: the words
   * the first action's closeness counts (first-action.ts `overlap`), so that the list and it say the same
   */
  sharedTerms: string[];
  /** the report-template words it shares too ("source", "port", "host"): every report holds them */
  templateTerms: string[];
  /** structured fields with equal values */
  matchedFields: { field: Attr; values: string[] }[];
  /** the label with the most weight (BM25 over the best) among the k nearest (the incident itself among them), and how many of them have it */
  vote: { label: string; of: number; k: number } | null;
  /** each feature's part of the score */
  contributions: Partial<Record<FeatureName, number>>;
}

export interface SimilarResult {
  incident: Incident;
  score: number;
  bm25: number;
  why: Why;
}

export interface Candidate {
  doc: number;
  bm25: number;
  features: number[];
  vote: Why['vote'];
  matched: Why['matchedFields'];
}

/** What an index that loads incidents by id keeps of each: what ranking reads (labels, attributes) and its id. */
export type IndexedIncident = Pick<Incident, 'id' | 'source' | 'title' | 'time' | 'labels' | 'attrs'>;

function summaryOf(x: Incident): IndexedIncident {
  return { id: x.id, source: x.source, title: x.title, time: x.time, labels: x.labels, attrs: x.attrs };
}

export class SimilarityIndex {
  readonly bm25: Bm25Index;
  /** by document number; null for a removed one (numbers are not given again, so that the order of the rest stays) */
  private readonly docs: (IndexedIncident | null)[] = [];
  /** whole incidents, kept only when there is no loader (training and evaluation hold them anyway) */
  private readonly whole: (Incident | null)[] = [];
  private readonly byId = new Map<string, number>();

  /**
   * `load` fetches a whole incident by id (the incident base): given it, the index keeps summaries and
   * loads only the results it returns. Kept whole, every saved report's parts stayed in memory (84 MB
   * for 12 reports of 7 MB).
   */
  constructor(
    incidents: Iterable<Incident>,
    public model: RankModel = BM25_ONLY,
    private readonly load: ((id: string) => Incident | null) | null = null,
  ) {
    this.bm25 = new Bm25Index(model.bm25);
    for (const x of incidents) this.add(x);
  }

  add(x: Incident): void {
    this.byId.set(x.id, this.docs.length);
    this.docs.push(this.load === null ? x : summaryOf(x));
    if (this.load === null) this.whole.push(x);
    this.bm25.add(`${x.title}\n${x.text}`);
  }

  /**
   * Takes incidents out by id, as if the index had been built without them: their terms, lengths and share of
   * N leave BM25 and their labels the votes (the results equal a fresh build's on the rest). Ids it does not
   * hold are passed over; how many it took out.
   */
  remove(ids: Iterable<string>): number {
    const docs: number[] = [];
    for (const id of ids) {
      const doc = this.byId.get(id);
      if (doc === undefined) continue;
      this.byId.delete(id);
      this.docs[doc] = null;
      if (this.load === null) this.whole[doc] = null;
      docs.push(doc);
    }
    return this.bm25.remove(docs);
  }

  /** How many incidents it holds. */
  get size(): number {
    return this.byId.size;
  }

  /** The ids it holds. */
  ids(): IterableIterator<string> {
    return this.byId.keys();
  }

  /** What ranking reads of a document. */
  summary(doc: number): IndexedIncident {
    return this.docs[doc] as IndexedIncident;
  }

  /** The whole incident of a document (loaded by id when the index keeps summaries; its summary alone when the loader no longer has it). */
  incident(doc: number): Incident {
    if (this.load === null) return this.whole[doc] as Incident;
    const d = this.summary(doc);
    return this.load(d.id) ?? { ...d, text: '', firstAction: null, countermeasure: null, steps: [], outcome: null };
  }

  docOf(id: string): number {
    return this.byId.get(id) ?? -1;
  }

  /** The BM25 pool for a query with every pair's features (what training and ranking share). */
  candidates(q: Incident, exclude = this.docOf(q.id)): { terms: string[]; cands: Candidate[] } {
    const terms = this.bm25.queryTerms(`${q.title}\n${q.text}`, 64, exclude);
    const pool = this.bm25.search(terms, this.model.pool, exclude);
    const max = pool[0]?.score ?? 1;
    const k = Math.min(this.model.voteK, pool.length);
    // The k nearest vote for their labels, each by how alike its words are (its BM25 over the best). Counted
    // one each, and a candidate left out of its own vote, a label many weak matches share outvoted the one
    // a far closer match has: for a SYN-scan report three brute-force incidents that shared only "source"
    // and "port" ranked above the port scan that shared "syn", "scan" and "ports" (UX review, 2026-12).
    const votes = new Map<string, { weight: number; count: number }>();
    let mass = 0;
    for (const p of pool.slice(0, k)) {
      const w = p.score / max;
      mass += w;
      for (const l of new Set(this.summary(p.doc).labels)) {
        const v = votes.get(l) ?? { weight: 0, count: 0 };
        votes.set(l, { weight: v.weight + w, count: v.count + 1 });
      }
    }
    const cands = pool.map((p) => {
      const d = this.summary(p.doc);
      let vote: Why['vote'] = null;
      let share = 0;
      for (const l of d.labels) {
        const v = votes.get(l);
        if (v === undefined) continue;
        const s = v.weight / Math.max(mass, 1e-12);
        if (vote === null || s > share) {
          vote = { label: l, of: v.count, k };
          share = s;
        }
      }
      const matched: Why['matchedFields'] = [];
      const same = ATTRS.map((a) => {
        const qa = q.attrs[a] ?? [];
        const da = new Set(d.attrs[a] ?? []);
        const both = qa.filter((v) => da.has(v));
        if (both.length > 0) matched.push({ field: a, values: both });
        return both.length > 0 ? 1 : 0;
      });
      const features = [p.score / max, share, ...same];
      return { doc: p.doc, bm25: p.score, features, vote, matched };
    });
    return { terms, cands };
  }

  score(features: readonly number[]): number {
    let s = 0;
    for (let i = 0; i < features.length; i++) s += (this.model.weights[i] ?? 0) * (features[i] as number);
    return s;
  }

  /**
   * The `k` most similar incidents to `q`, best first, each with why. With a loader, an incident it no longer
   * finds is passed over: one deleted from the base by another process (`nml assist delete` beside a running
   * server) is never a result, whose summary alone used to stand in for it.
   */
  search(q: Incident, k = 10): SimilarResult[] {
    const { terms, cands } = this.candidates(q);
    const ranked = cands.map((c) => ({ c, s: this.score(c.features) })).sort((a, b) => b.s - a.s || b.c.bm25 - a.c.bm25 || a.c.doc - b.c.doc);
    const out: SimilarResult[] = [];
    for (const { c, s } of ranked) {
      if (out.length >= k) break;
      const incident = this.load === null ? (this.whole[c.doc] as Incident) : this.load(this.summary(c.doc).id);
      if (incident === null) continue;
      const contributions: Why['contributions'] = {};
      FEATURES.forEach((f, i) => {
        const v = (this.model.weights[i] ?? 0) * (c.features[i] as number);
        if (v !== 0) contributions[f] = Math.round(v * 1000) / 1000;
      });
      out.push({
        incident,
        score: s,
        bm25: c.bm25,
        why: { ...splitTerms(this.bm25.sharedTerms(terms, c.doc)), matchedFields: c.matched, vote: c.vote !== null && c.vote.of > 0 ? c.vote : null, contributions },
      });
    }
    return out;
  }

  /** Ranked documents only (the evaluation's view). */
  rank(q: Incident, k: number): number[] {
    const { cands } = this.candidates(q);
    return cands
      .map((c) => ({ d: c.doc, s: this.score(c.features), b: c.bm25 }))
      .sort((a, b) => b.s - a.s || b.b - a.b || a.d - b.d)
      .slice(0, k)
      .map((x) => x.d);
  }
}
