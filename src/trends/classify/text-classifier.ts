/** One-vs-rest text classifier: TF-IDF features, one logistic regression per label, explanations by term contribution. */
import { AppError } from '../../core/index.js';
import { LogisticRegression, type LogRegJson, type LogRegOptions } from './logreg.js';
import { TfidfVectorizer, type VectorizerJson, type VectorizerOptions } from './vectorizer.js';
import type { SparseVec } from './sparse.js';
import { arrayOf, invalidModel, isFiniteNumber, strings } from './model-check.js';
import { lexiconTerms } from './lexicon-terms.js';

export interface LabelledTokens {
  tokens: string[];
  labels: string[];
}

export interface TextClassifierJson {
  kind: 'nml-trends-text-classifier';
  version: 1;
  labels: string[];
  vectorizer: VectorizerJson;
  models: LogRegJson[];
  /** the count each lexicon term (`lex:<type>`, lexicon-terms.ts) enters the vector with; absent: no lexicon terms (files before 2026-12-06) */
  lexicon?: number;
}

export interface TextClassifierOptions {
  vectorizer?: Partial<VectorizerOptions>;
  logreg?: Partial<LogRegOptions>;
  /** the count each lexicon term enters the vector with (≥ 1; its tf-idf weight is 1 + ln of it); 0 or absent: none */
  lexicon?: number;
}

export const VECTORIZER_DEFAULTS: VectorizerOptions = { minDf: 2, maxFeatures: 20_000, bigrams: true };

/** The tf-idf vector of `tokens`, with each lexicon term they carry counted `lexicon` times (0: none). */
function vectorizeWith(vec: TfidfVectorizer, lexicon: number, tokens: string[]): SparseVec {
  const tf = vec.counts(tokens);
  if (lexicon > 0) {
    for (const term of lexiconTerms(tokens)) {
      const i = vec.indexOf(term);
      if (i !== undefined) tf.set(i, lexicon);
    }
  }
  return vec.fromCounts(tf);
}

export class TextClassifier {
  private constructor(
    readonly labels: string[],
    readonly vectorizer: TfidfVectorizer,
    private readonly models: LogisticRegression[],
    /** the count of each lexicon term in a vector; 0: none */
    readonly lexicon: number,
  ) {}

  static train(docs: LabelledTokens[], labels: string[], opts: TextClassifierOptions = {}): TextClassifier {
    const lexicon = opts.lexicon ?? 0;
    if (!(lexicon === 0 || lexicon >= 1)) throw new RangeError(`lexicon count ${lexicon}: 0 (none) or at least 1`);
    const vec = TfidfVectorizer.fit(
      docs.map((d) => d.tokens),
      { ...VECTORIZER_DEFAULTS, ...opts.vectorizer },
      lexicon === 0 ? [] : docs.map((d) => lexiconTerms(d.tokens)),
    );
    const xs = docs.map((d) => vectorizeWith(vec, lexicon, d.tokens));
    const models = labels.map((label) => {
      const ys = Float32Array.from(docs, (d) => (d.labels.includes(label) ? 1 : 0));
      return LogisticRegression.train(xs, ys, vec.size, opts.logreg);
    });
    return new TextClassifier(labels, vec, models, lexicon);
  }

  static fromJSON(j: unknown, where: string): TextClassifier {
    const o = j as Partial<TextClassifierJson> | null;
    if (o?.kind !== 'nml-trends-text-classifier' || o.version !== 1 || !Array.isArray(o.labels) || !Array.isArray(o.models) || o.vectorizer === undefined) {
      throw new AppError('TRENDS_MODEL_INVALID', 'bad_request', `model: ${where} is not an nml trends text classifier (version 1); run 'nml trends train' again`, { where });
    }
    const labels = strings(o.labels, where, 'labels');
    if (labels.length === 0 || new Set(labels).size !== labels.length) throw invalidModel(where, 'labels are empty or repeated');
    const vectorizer = TfidfVectorizer.fromJSON(o.vectorizer, where);
    const models = arrayOf(o.models, labels.length, where, 'models').map((m, i) => LogisticRegression.fromJSON(m, vectorizer.size, where, `models[${i}]`));
    const lexicon = o.lexicon === undefined ? 0 : o.lexicon;
    if (!isFiniteNumber(lexicon) || !(lexicon === 0 || (lexicon >= 1 && lexicon <= 1e6))) throw invalidModel(where, 'lexicon is not 0 or a count of at least 1');
    return new TextClassifier(labels, vectorizer, models, lexicon);
  }

  toJSON(): TextClassifierJson {
    const j: TextClassifierJson = { kind: 'nml-trends-text-classifier', version: 1, labels: this.labels, vectorizer: this.vectorizer.toJSON(), models: this.models.map((m) => m.toJSON()) };
    return this.lexicon === 0 ? j : { ...j, lexicon: this.lexicon };
  }

  vectorize(tokens: string[]): SparseVec {
    return vectorizeWith(this.vectorizer, this.lexicon, tokens);
  }

  /** label → probability */
  predictVec(x: SparseVec): Record<string, number> {
    const out: Record<string, number> = {};
    this.labels.forEach((l, i) => (out[l] = this.models[i]!.proba(x)));
    return out;
  }

  predict(tokens: string[]): Record<string, number> {
    return this.predictVec(this.vectorize(tokens));
  }

  /** The terms of a text that push it most towards `label` (weight × tf-idf). */
  explain(tokens: string[], label: string, k = 5): { term: string; weight: number }[] {
    const m = this.models[this.labels.indexOf(label)];
    if (m === undefined) return [];
    const x = this.vectorize(tokens);
    const contrib: { term: string; weight: number }[] = [];
    for (let i = 0; i < x.idx.length; i++) contrib.push({ term: this.vectorizer.terms[x.idx[i]!]!, weight: m.w[x.idx[i]!]! * x.val[i]! });
    return contrib.filter((c) => c.weight > 0).sort((a, b) => b.weight - a.weight).slice(0, k);
  }

  /** The terms with the largest weights for a label (what the model learned). */
  topTerms(label: string, k = 10): string[] {
    const m = this.models[this.labels.indexOf(label)];
    if (m === undefined) return [];
    return Array.from(m.w, (w, i) => ({ w, i }))
      .sort((a, b) => b.w - a.w)
      .slice(0, k)
      .map(({ i }) => this.vectorizer.terms[i]!);
  }
}
