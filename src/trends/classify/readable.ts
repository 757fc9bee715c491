/**
 * Whether the attack-type classifier can read a document. It was trained on English incident
 * descriptions (HACKMAGEDDON): on text in another language, or with next to none of its words, its
 * vector is (nearly) empty and every label falls back to its intercept, which is above 0.5 for five
 * of the six types — 45 Chinese, German and Russian ransomware headlines all scored ddos .84,
 * targeted .96, web_attack .94, malware .93 and ransomware .395, and "Hello, just a page" read as
 * account takeover. Such a document counts as no attack type, and the forecast says how many there were.
 */

/** Languages the shipped attack-type classifier was trained on (models/trends/MODEL_CARD.md). */
export const CLASSIFIER_LANGUAGES: readonly string[] = ['en'];
/**
 * At least this many of a document's words must be in the classifier's vocabulary, and at least
 * MIN_KNOWN_SHARE of them. Measured on the shared datasets: HACKMAGEDDON descriptions have ≥ 4 known
 * words in 99% (1 of 1,832 below 3) and ≥ 57% known; CASIE news articles ≥ 39 known words and ≥ 38% known.
 */
export const MIN_KNOWN_WORDS = 3;
export const MIN_KNOWN_SHARE = 0.25;

/** Why a document was left unread: its language, or too few words the classifier knows. */
export type UnreadReason = 'language' | 'few_known_words';

/** The classifier's vocabulary, as much as this check needs. */
export interface Vocabulary {
  has(term: string): boolean;
}

/** Null when the classifier can read the document; else why not. Without a vocabulary only the language is checked. */
export function unreadReason(lang: string, tokens: readonly string[], vocabulary: Vocabulary | null): UnreadReason | null {
  if (!CLASSIFIER_LANGUAGES.includes(lang)) return 'language';
  if (vocabulary === null) return null;
  let known = 0;
  for (const t of tokens) if (vocabulary.has(t)) known++;
  return known < MIN_KNOWN_WORDS || known < MIN_KNOWN_SHARE * tokens.length ? 'few_known_words' : null;
}
