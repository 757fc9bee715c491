/** The deployed model: weights tuned on the training splits of every labelled corpus together. */
import { BM25_ONLY, FEATURES, SimilarityIndex, type RankModel } from './similar.js';
import { splitBySeed, unlabelled } from './evaluate.js';
import type { Incident } from './incident.js';
import { coordinateAscent, logisticRegression, type TrainQuery } from './train.js';

/** Each corpus's training split queries its own training base; the pairs are pooled and one weight vector is learned. */
export function trainCombined(corpora: Record<string, readonly Incident[]>, seed = 7, perCorpus = 400): RankModel {
  const qs: TrainQuery[] = [];
  for (const incidents of Object.values(corpora)) {
    const { train } = splitBySeed(incidents, seed);
    const index = new SimilarityIndex(train, BM25_ONLY);
    const tune = splitBySeed(train, seed + 1, Math.min(1, perCorpus / Math.max(1, train.length))).test;
    for (const q of tune) {
      const { cands } = index.candidates(unlabelled(q), index.docOf(q.id));
      const rel = cands.map((c) => index.incident(c.doc).labels.some((l) => q.labels.includes(l)));
      const relevantTotal = train.reduce((n, d) => n + (d.id !== q.id && d.labels.some((l) => q.labels.includes(l)) ? 1 : 0), 0);
      qs.push({ cands, rel, relevantTotal });
    }
  }
  const tuned = coordinateAscent(qs, logisticRegression(qs, FEATURES.length));
  return { ...BM25_ONLY, weights: tuned.weights, trainedOn: `${Object.keys(corpora).join(' + ')}: ${qs.length} training queries (split seed ${seed}), logistic regression then coordinate ascent on P@5` };
}
