/** Tokens for English (regex, stop words dropped) and Japanese (kuromoji, its dictionary loaded once, lazily). */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type kuromoji from 'kuromoji';
import { AppError } from '../../core/index.js';
import { compatibleText } from '../../core/index.js';
import { detectLanguage, type Lang } from './language.js';
import { EN_STOPWORDS, JA_DROP_DETAIL, JA_KEEP_POS } from './stopwords.js';

type JaTokenizer = kuromoji.Tokenizer<kuromoji.IpadicFeatures>;

// CVE ids and hyphenated names stay whole; "sql-injection" and "ddos" both survive
const EN_WORD = /cve-\d{4}-\d{4,7}|[a-z][a-z0-9]*(?:[-'][a-z0-9]+)*|\d+[a-z]+[a-z0-9]*/g;

export function tokenizeEnglish(text: string): string[] {
  const out: string[] = [];
  // match, not matchAll: the same words without a match object each (a quarter less time on long texts)
  for (const w of text.toLowerCase().match(EN_WORD) ?? []) {
    if (w.length < 2 || EN_STOPWORDS.has(w)) continue;
    out.push(w);
  }
  return out;
}

let jaTokenizer: Promise<JaTokenizer> | null = null;
let jaReady: JaTokenizer | null = null;

/** kuromoji's dictionary ships inside its npm package; building the tokenizer reads ~17 MB once. */
export function loadJapanese(): Promise<JaTokenizer> {
  if (jaTokenizer === null) {
    const require = createRequire(import.meta.url);
    const dicPath = join(dirname(require.resolve('kuromoji/package.json')), 'dict');
    const unavailable = (err: unknown): AppError => {
      jaTokenizer = null;
      return new AppError('TEXT_TOKENIZER_UNAVAILABLE', 'unavailable', `text: the japanese dictionary at ${dicPath} did not load (${String(err)}); reinstall kuromoji`, { dicPath });
    };
    // the package is loaded with its dictionary, at the first Japanese text, not at import
    jaTokenizer = import('kuromoji').then(
      ({ default: kuromoji }) =>
        new Promise<JaTokenizer>((resolve, reject) => {
          kuromoji.builder({ dicPath }).build((err, t) => {
            if (err) reject(unavailable(err));
            else {
              jaReady = t;
              resolve(t);
            }
          });
        }),
      (err: unknown) => Promise.reject(unavailable(err)),
    );
  }
  return jaTokenizer;
}

/** True once the Japanese dictionary has loaded: before, Japanese text is tokenized as character bigrams. */
export function japaneseReady(): boolean {
  return jaReady !== null;
}

const JA_STOP = new Set(['する', 'ある', 'いる', 'なる', 'れる', 'られる', 'こと', 'もの', 'よう', 'ため', 'これ', 'それ']);
const CVE = /cve-\d{4}-\d{4,7}/gi;

export function tokenizeJapanese(t: JaTokenizer, text: string): string[] {
  // kuromoji splits CVE ids at the hyphens: take them out whole first
  const out: string[] = (text.match(CVE) ?? []).map((c) => c.toLowerCase());
  // kuromoji fails on control characters and lone surrogates: blank them first
  const clean = text.replace(CVE, ' ').replace(/[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, ' ');
  for (const tok of t.tokenize(clean)) {
    if (!JA_KEEP_POS.has(tok.pos) || JA_DROP_DETAIL.has(tok.pos_detail_1)) continue;
    const base = tok.basic_form && tok.basic_form !== '*' ? tok.basic_form : tok.surface_form;
    if (JA_STOP.has(base) || /^[\p{P}\p{S}\s]+$/u.test(base)) continue;
    // Latin words inside Japanese text go through the English rules (CVE ids, product names)
    if (/^[\x00-\x7f]+$/.test(base)) out.push(...tokenizeEnglish(base));
    else if (base.length > 1 || /[\u4e00-\u9fff]/.test(base)) out.push(base);
  }
  return out;
}

/**
 * Tokens of a text in its language. Japanese needs `loadJapanese()` to have finished; before that
 * Japanese text falls back to character bigrams, so nothing blocks.
 */
export function tokenize(given: string, lang: Lang = detectLanguage(given)): string[] {
  const text = compatibleText(given);
  if (lang !== 'ja') return tokenizeEnglish(text);
  if (jaReady !== null) {
    try {
      return tokenizeJapanese(jaReady, text);
    } catch {
      // an input the dictionary cannot walk falls through to bigrams
    }
  }
  const out = tokenizeEnglish(text);
  for (const run of text.match(/[\u3040-\u30ff\u4e00-\u9fff]+/g) ?? []) for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  return out;
}
