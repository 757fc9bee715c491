/**
 * How strongly the attack-type classifier reads its lexicon terms (lexicon-terms.ts), chosen on
 * validation documents that come before everything evaluated: train on the earlier part of the training
 * documents (oldest first), score the latest VALIDATION_SHARE, keep the count whose labels rank best on
 * average (ROC-AUC over the labels with both classes there). The test documents are never looked at.
 */
import { rocAuc } from '../../core/index.js';
import { VALIDATION_SHARE } from '../predict/select.js';
import { TextClassifier, type LabelledTokens, type TextClassifierOptions } from './text-classifier.js';

/** The candidates, none first: a later one must validate strictly better to be chosen. */
export const LEXICON_GRID: readonly number[] = [0, 1, 2, 4, 8, 16];

export interface LexiconSelection {
  chosen: number;
  /** validation mean ROC-AUC per candidate, in LEXICON_GRID order (null: no label has both classes) */
  scores: { lexicon: number; meanRocAuc: number | null }[];
}

/** `docs` oldest first; `opts` the options of the model being selected for (its `lexicon` is what is chosen). */
export function selectLexicon(docs: readonly LabelledTokens[], labels: readonly string[], opts: Omit<TextClassifierOptions, 'lexicon'> = {}): LexiconSelection {
  const cut = Math.floor(docs.length * (1 - VALIDATION_SHARE));
  const fit = docs.slice(0, cut);
  const validation = docs.slice(cut);
  const scores = LEXICON_GRID.map((lexicon) => {
    const model = TextClassifier.train(fit, [...labels], { ...opts, lexicon });
    const probs = validation.map((d) => model.predict(d.tokens));
    const aucs = labels
      .map((l) => rocAuc(probs.map((p) => p[l]!), validation.map((d) => (d.labels.includes(l) ? 1 : 0))))
      .filter((a): a is number => a !== null);
    return { lexicon, meanRocAuc: aucs.length === 0 ? null : aucs.reduce((a, b) => a + b, 0) / aucs.length };
  });
  let best = scores[0]!;
  for (const s of scores.slice(1)) if (s.meanRocAuc !== null && (best.meanRocAuc === null || s.meanRocAuc > best.meanRocAuc)) best = s;
  return { chosen: best.lexicon, scores };
}
