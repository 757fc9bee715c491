/** Entities that matter for attack trends: CVE ids, organisations and actors, countries, sectors and attack terms (with their attack type). */
import { compatibleText } from '../../core/index.js';
import { ATTACK_TERMS, ATTACK_TYPES, COUNTRIES, ORGANISATIONS, SECTORS, type AttackType } from './lexicon.js';

export interface TextEntities {
  cves: string[];
  organisations: string[];
  /** ISO 3166-1 alpha-2 */
  countries: string[];
  sectors: string[];
  /** attack term → its attack type */
  attackTerms: { term: string; type: AttackType }[];
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A letter or digit that would make an ASCII term part of a longer word: any but Japanese script, which
 * writes no space between words (`LockBitが`, `DDoS攻撃` name LockBit and DDoS). Set subtraction needs the `v` flag.
 */
export const WORD_CHAR = String.raw`[[\p{L}\p{N}]--[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー]]`;

/**
 * One regex per list: alternatives longest first, ASCII ones bounded by non-word characters (CJK terms
 * need no boundary). The ASCII ones share one pair of boundary checks (a third of the time of one pair
 * each); the others come first, which picks the same term: where both kinds match at one place, the
 * ASCII one is a prefix of the other, so the other is the longer.
 */
function compile(words: string[]): RegExp {
  const sorted = [...new Set(words.map((w) => w.toLowerCase()))].sort((a, b) => b.length - a.length);
  const isAscii = (w: string): boolean => /^[\x00-\x7f]+$/.test(w);
  const alts = sorted.filter((w) => !isAscii(w)).map(escape);
  const ascii = sorted.filter(isAscii).map(escape);
  if (ascii.length > 0) alts.push(`(?<!${WORD_CHAR})(?:${ascii.join('|')})(?!${WORD_CHAR})`);
  return new RegExp(alts.join('|'), 'gv');
}

const ORG_BY_LOWER = new Map(ORGANISATIONS.map((o) => [o.toLowerCase(), o]));
// one-letter and common-word names match only in their exact case
const CASE_SENSITIVE_ORGS = new Set(['x', 'play', 'royal', 'meta', 'anonymous']);
const ORG_RE = compile(ORGANISATIONS);
const COUNTRY_RE = compile(Object.keys(COUNTRIES));
const SECTOR_RE = compile(Object.keys(SECTORS));
const TERM_TYPE = new Map<string, AttackType>();
for (const t of ATTACK_TYPES) for (const term of ATTACK_TERMS[t]) if (!TERM_TYPE.has(term)) TERM_TYPE.set(term, t);
const TERM_RE = compile([...TERM_TYPE.keys()]);
const CVE_RE = /\bCVE-\d{4}-\d{4,7}\b/gi;

function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** The attack terms of a text (each once), with their attack type: the one list of extractTextEntities that trend features need. */
export function attackTermsIn(text: string): { term: string; type: AttackType }[] {
  return uniq([...compatibleText(text).toLowerCase().matchAll(TERM_RE)].map((m) => m[0])).map((term) => ({ term, type: TERM_TYPE.get(term)! }));
}

export function extractTextEntities(given: string): TextEntities {
  const text = compatibleText(given);
  const lower = text.toLowerCase();
  const orgs: string[] = [];
  for (const m of lower.matchAll(ORG_RE)) {
    const name = ORG_BY_LOWER.get(m[0])!;
    if (CASE_SENSITIVE_ORGS.has(m[0]) && text.slice(m.index, m.index + m[0].length) !== name) continue;
    orgs.push(name);
  }
  return {
    cves: uniq((text.match(CVE_RE) ?? []).map((c) => c.toUpperCase())),
    organisations: uniq(orgs),
    countries: uniq([...lower.matchAll(COUNTRY_RE)].map((m) => COUNTRIES[m[0]]!)),
    sectors: uniq([...lower.matchAll(SECTOR_RE)].map((m) => SECTORS[m[0]]!)),
    attackTerms: attackTermsIn(text),
  };
}
