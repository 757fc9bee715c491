/** What the collector attaches to a document: language, keywords and entities from the text pipeline, attack types from a classifier. */
import { detectLanguage, type Lang } from './text/language.js';
import { tokenize } from './text/tokenize.js';
import { topKeywords } from './text/keywords.js';

export interface Annotation {
  lang: Lang;
  keywords: string[];
  /** attack type → probability; empty without a classifier */
  types: Record<string, number>;
}

/** Scores a text's tokens per attack type (a trained classifier, see classify/). */
export type TypeScorer = (tokens: string[]) => Record<string, number>;

export function annotate(text: string, declaredLang: string | null, scorer: TypeScorer | null): Annotation {
  const lang = detectLanguage(text, declaredLang);
  const tokens = tokenize(text, lang);
  return { lang, keywords: topKeywords(tokens, 8), types: scorer === null ? {} : scorer(tokens) };
}
