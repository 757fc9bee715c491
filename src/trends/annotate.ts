/** What the collector attaches to a document: language, keywords and entities from the text pipeline, attack types from a classifier. */
import { detectLanguage, type Lang } from './text/language.js';
import { tokenize } from './text/tokenize.js';
import { topKeywords } from './text/keywords.js';
import { unreadReason, type UnreadReason } from './classify/readable.js';
import type { TextClassifier } from './classify/text-classifier.js';

export interface Annotation {
  lang: Lang;
  keywords: string[];
  /** attack type → probability; empty without a classifier, or when the classifier cannot read the text (`unread`) */
  types: Record<string, number>;
  /** why the classifier did not read the text (classify/readable.ts); absent when it did or there is none */
  unread?: UnreadReason;
}

/** Scores a text's tokens per attack type (a trained classifier, see classify/); `{}` when it cannot read them. */
export type TypeScorer = (tokens: string[]) => Record<string, number>;

/** The scorer of a loaded attack-type classifier: no scores for tokens with too few words it knows (classify/readable.ts). */
export function attackTypeScorer(classifier: TextClassifier): TypeScorer {
  return (tokens) => (unreadReason('en', tokens, classifier.vectorizer) === null ? classifier.predict(tokens) : {});
}

export function annotate(text: string, declaredLang: string | null, scorer: TypeScorer | null): Annotation {
  const lang = detectLanguage(text, declaredLang);
  const tokens = tokenize(text, lang);
  const keywords = topKeywords(tokens, 8);
  if (scorer === null) return { lang, keywords, types: {} };
  // a language the classifier was not trained on scores every label at its intercept: no type at all
  if (unreadReason(lang, tokens, null) !== null) return { lang, keywords, types: {}, unread: 'language' };
  const types = scorer(tokens);
  return Object.keys(types).length === 0 ? { lang, keywords, types, unread: 'few_known_words' } : { lang, keywords, types };
}
