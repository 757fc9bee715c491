/** What the trends service keeps between requests: collected documents tokenized once, and the trend models it trained itself. */
import type { DocStore } from './docstore.js';
import { COUNTED_CERTAINTY, collectedDoc, TREND_TEXT_CHARS } from './history.js';
import { japaneseReady } from './text/tokenize.js';
import { lexiconTypes } from './predict/features.js';
import type { Period, Series, TimedDoc } from './predict/periods.js';
import type { TrendModel } from './predict/trend-model.js';
import type { Vocabulary } from './classify/readable.js';

/** Documents read per query when the cache fills (the ids travel as one JSON array). */
const FILL_CHUNK = 2000;

/**
 * Collected documents as series documents, each tokenized once and kept by id. Every listing reads the
 * newest `max` ids and times from the store, and the text (its first TREND_TEXT_CHARS characters, cut
 * in SQL) of the ids not kept yet. Documents are never edited (docstore.ts), so a kept one stays right.
 * At most 1.25 × `max` are kept: past that, those the last listing did not name go.
 */
export class CollectedDocCache {
  private readonly byId = new Map<number, TimedDoc>();

  /**
   * `vocabulary`: the terms the trend models read, each mapped to itself. Given, a kept document holds
   * only those of its tokens (the vocabulary's own strings) and its lexicon types found before the cut:
   * every use of the tokens on the service path (window TF-IDF, term drivers' documents) looks up
   * vocabulary terms only, so the answers are the same at a fraction of the memory. Without it (a model
   * is trained here, on all words), the tokens are kept whole.
   */
  constructor(
    private readonly store: DocStore,
    private readonly max: number,
    private readonly vocabulary: ReadonlyMap<string, string> | null = null,
    /** the attack-type classifier's vocabulary: a document with too few of its words counts as no type (history.ts collectedDoc) */
    private readonly classifierVocabulary: Vocabulary | null = null,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  /** As `collectedDocs(store.list(from, to, max))`, in the same order. */
  list(from: number, to: number): TimedDoc[] {
    const ids = this.store.listIds(from, to, this.max);
    const fresh = new Map<number, TimedDoc>();
    const missing = ids.filter((r) => !this.byId.has(r.id)).map((r) => r.id);
    for (let k = 0; k < missing.length; k += FILL_CHUNK) this.add(missing.slice(k, k + FILL_CHUNK), fresh);
    const out: TimedDoc[] = [];
    for (const r of ids) {
      const d = this.byId.get(r.id) ?? fresh.get(r.id);
      if (d !== undefined) out.push(d);
    }
    if (this.byId.size > this.max * 1.25) {
      const named = new Set(ids.map((r) => r.id));
      for (const id of this.byId.keys()) if (!named.has(id)) this.byId.delete(id);
    }
    return out;
  }

  /**
   * Tokenizes what `list(from, to)` would, a slice at a time, handing the event loop back between slices:
   * after a start with a full store, the first request then finds the work done.
   */
  async fill(from: number, to: number, slice = 250): Promise<void> {
    const missing = this.store.listIds(from, to, this.max).map((r) => r.id);
    for (let k = 0; k < missing.length; k += slice) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.add(missing.slice(k, k + slice).filter((id) => !this.byId.has(id)), new Map());
    }
  }

  /**
   * Reads and tokenizes documents by id. A Japanese one tokenized before the dictionary loaded (character
   * bigrams) goes to `uncached` only: once the dictionary is there, the next listing tokenizes it again.
   */
  private add(ids: readonly number[], uncached: Map<number, TimedDoc>): void {
    if (ids.length === 0) return;
    for (const row of this.store.heads(ids, TREND_TEXT_CHARS)) {
      const d = this.kept(collectedDoc(row, COUNTED_CERTAINTY, this.classifierVocabulary));
      if (row.lang === 'ja' && !japaneseReady()) uncached.set(row.id, d);
      else this.byId.set(row.id, d);
    }
  }

  private kept(d: TimedDoc): TimedDoc {
    const v = this.vocabulary;
    if (v === null) return d;
    const tokens: string[] = [];
    for (const t of d.tokens) {
      const term = v.get(t);
      if (term !== undefined) tokens.push(term);
    }
    return { ...d, tokens, termTypes: lexiconTypes(d) };
  }
}

/** The terms of the models' vectorizers, each mapped to itself (one string per term, however many documents carry it). */
export function vocabularyOf(models: readonly TrendModel[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of models) for (const t of m.vectorizer.terms) out.set(t, t);
  return out;
}

/**
 * A model trained on the fly is retrained once its series ends this share of the periods it was
 * trained on later (at least one period): a day series of 300 days after 30 more, a week series of 60
 * weeks after 6. More documents inside the same periods do not retrain: the rows are the periods.
 */
export const RETRAIN_GROWTH = 0.1;
/** A failed training (too few usable periods) is answered from memory this long, unless the series gains a period. */
export const RETRY_FAILED_MS = 10 * 60_000;

interface Trained {
  model: TrendModel | null;
  /** index after the last period of the series trained on, and its length */
  end: number;
  periods: number;
  failure: { error: unknown; at: number; end: number } | null;
}

/** Trend models the service trains itself for periods without a shipped model: kept, retrained on growth, failures remembered. */
export class OnTheFlyModels {
  private readonly state = new Map<Period, Trained>();

  get(s: Series, now: number, train: () => TrendModel): TrendModel {
    const end = s.first + s.length;
    const st = this.state.get(s.period);
    if (st?.model && end - st.end < Math.max(1, Math.ceil(st.periods * RETRAIN_GROWTH))) return st.model;
    if (st?.failure && now - st.failure.at < RETRY_FAILED_MS && end === st.failure.end) {
      if (st.model) return st.model;
      throw st.failure.error;
    }
    try {
      const model = train();
      this.state.set(s.period, { model, end, periods: s.length, failure: null });
      return model;
    } catch (e) {
      // a model trained before stays in use; without one, the error is the answer until the retry
      this.state.set(s.period, { model: st?.model ?? null, end: st?.end ?? end, periods: st?.periods ?? s.length, failure: { error: e, at: now, end } });
      if (st?.model) return st.model;
      throw e;
    }
  }
}
