/**
 * The curated attack phrases (text/lexicon.ts) as features of the attack-type classifier: one term per
 * attack type, `lex:<type>`, present when a document's tokens carry any of that type's phrases. The
 * classifier learns each such term's weight from the phrases common in its training text (web attacks:
 * "vulnerability", "exploit" or a CVE id in 120 of the 1,832 HACKMAGEDDON descriptions) and so reads a
 * phrase its training text never has ("sql injection": none of them) the same way. Measured on the time
 * split (models/trends/MODEL_CARD.md): every type's test ROC-AUC rose (web attacks 0.813 → 0.837).
 */
import { ATTACK_TERMS, ATTACK_TYPES, type AttackType } from '../text/lexicon.js';
import { tokenizeEnglish } from '../text/tokenize.js';

/** The prefix of the lexicon terms: no token has it (tokens are words, and `:` ends a word). */
export const LEXICON_PREFIX = 'lex:';

interface Phrase {
  rest: readonly string[];
  type: AttackType;
}

/** First token of a phrase → the phrases starting with it; phrases tokenized as documents are, so "denial of service" is `denial service`. */
const BY_FIRST = new Map<string, Phrase[]>();
for (const type of ATTACK_TYPES) {
  for (const term of ATTACK_TERMS[type]) {
    // a phrase with Japanese in it ('sqlインジェクション' would be `sql`): the classifier reads English only
    if (!/^[\x20-\x7e]+$/.test(term)) continue;
    const [first, ...rest] = tokenizeEnglish(term);
    if (first === undefined) continue;
    const list = BY_FIRST.get(first) ?? [];
    list.push({ rest, type });
    BY_FIRST.set(first, list);
  }
}

/** A CVE id is one token (`cve-2024-1071`); it counts as the lexicon's `cve`. */
const CVE_ID = /^cve-\d/;

function startsAt(tokens: readonly string[], i: number, rest: readonly string[]): boolean {
  for (let k = 0; k < rest.length; k++) if (tokens[i + 1 + k] !== rest[k]) return false;
  return true;
}

/** The lexicon terms (`lex:<type>`) of a document's tokens, in ATTACK_TYPES order, each once. */
export function lexiconTerms(tokens: readonly string[]): string[] {
  const found = new Set<AttackType>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    for (const p of BY_FIRST.get(CVE_ID.test(t) ? 'cve' : t) ?? []) if (startsAt(tokens, i, p.rest)) found.add(p.type);
  }
  return ATTACK_TYPES.filter((type) => found.has(type)).map((type) => `${LEXICON_PREFIX}${type}`);
}
