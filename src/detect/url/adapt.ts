/**
 * Adapting the n-gram model to a network: the operator's own URLs, unlabelled, scored by the model
 * trained on the URL sets; those it already calls benign (below `below`) train again as benign beside
 * the sets. Each source's benign URLs have a style of their own (sites, frameworks, tracking
 * parameters) that a model trained elsewhere reads as odd; this teaches the network's style without a
 * label from anyone. It never adds a malicious row and never raises a score by itself.
 *
 * What it costs: a malicious URL that already scores below the line is learned as benign, and so are
 * URLs like it. Adapt on traffic you trust as mostly benign, and keep the model you adapted from.
 */
import { readFileSync } from 'node:fs';
import { AppError, pathFailureKind, unreadableAdvice, unreadableWhy } from '../../core/index.js';
import { dedupeKey, hostOf, type UrlRow } from './data.js';
import { stripScheme } from './features.js';
import { Rng } from './rng.js';
import type { UrlScorer } from './scorer.js';

/** The base model's score below which an operator's URL trains as benign: what it already calls benign. */
export const DEFAULT_ADAPT_BELOW = 0.5;
/** URLs read for adaptation at most (drawn by seed when the file holds more). */
export const DEFAULT_ADAPT_MAX = 200_000;
/** The source name of adaptation rows. */
export const ADAPT_SOURCE = 'adapt';

/** What adaptation used: recorded in model.json and printed. */
export interface AdaptationSummary {
  /** the file the URLs came from (as given) */
  file: string;
  /** distinct URLs read (after `max`) */
  urls: number;
  /** `#` comment lines, and lines that repeated a URL already read (blank lines are not counted) */
  skipped: number;
  /** the base model's line */
  below: number;
  /** URLs that scored below it: benign training rows */
  rows: number;
  /** of those, rows left out because their host is a validation host of the URL sets (the threshold comes from hosts never trained on) */
  validationHostRows: number;
  /** distinct hosts among them */
  hosts: number;
}

/** Which list a URL file is, for its errors: `--adapt-urls` or `--benign-urls`. */
const LIST_ERRORS = { adapt: ['URL_ADAPT_INVALID', 'url adaptation'], benign: ['URL_BENIGN_INVALID', 'confirmed benign URLs'] } as const;
/** The flag of `nml train url` that names each list, for what to do. */
const FLAG = { adapt: '--adapt-urls', benign: '--benign-urls' } as const;

/**
 * The URLs of an adaptation (or `--benign-urls`) file: one per line, scheme optional; blank lines and
 * `#` comments skipped, repeats read once; at most `max`, drawn by `seed` when there are more. Errors
 * name the file.
 */
export function readAdaptUrls(path: string, max = DEFAULT_ADAPT_MAX, seed = 1, list: keyof typeof LIST_ERRORS = 'adapt'): { urls: string[]; skipped: number } {
  const [code, what] = LIST_ERRORS[list];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = unreadableWhy(e, 'a list of URLs is one file');
    throw new AppError(code, pathFailureKind(e), `${what}: cannot read ${path}: ${why}; ${unreadableAdvice(e, `give ${FLAG[list]} a text file of URLs, one per line`)}`, undefined, e);
  }
  const seen = new Set<string>();
  const urls: string[] = [];
  let skipped = 0;
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t.length === 0) continue;
    if (t.startsWith('#')) {
      skipped++;
      continue;
    }
    const url = stripScheme(t);
    const key = dedupeKey(url);
    if (url.length === 0 || seen.has(key)) {
      skipped++;
      continue;
    }
    seen.add(key);
    urls.push(url);
  }
  if (urls.length === 0) throw new AppError(code, 'bad_request', `${what}: ${path} holds no URL (one per line; blank lines and # comments are skipped)`);
  if (urls.length <= max) return { urls, skipped };
  new Rng(seed).shuffle(urls);
  return { urls: urls.slice(0, max), skipped };
}

/**
 * How many times each `--benign-urls` row trains. An operator's false positives are few beside 237,000
 * rows, and once each moves a flagged URL too little (measured: `models/url/MODEL_CARD.md`, "An
 * operator's false positives").
 */
export const BENIGN_REPEAT = 4;
/** The source name of `--benign-urls` rows. */
export const CONFIRMED_SOURCE = 'confirmed-benign';

/** URLs a person confirmed benign (the findings they marked false positive) as training rows, each `repeat` times. */
export function confirmedBenignRows(urls: readonly string[], repeat = BENIGN_REPEAT): UrlRow[] {
  const out: UrlRow[] = [];
  for (const url of urls) for (let i = 0; i < repeat; i++) out.push({ url, label: 0, source: CONFIRMED_SOURCE, host: hostOf(url), type: 'confirmed' });
  return out;
}

/** The URLs that `scorer` scores below `below`, as benign training rows of the source `adapt`. */
export function adaptationRows(scorer: UrlScorer, urls: readonly string[], below: number): UrlRow[] {
  const scores = scorer.scoreBatch(urls);
  const out: UrlRow[] = [];
  urls.forEach((url, i) => {
    if (scores[i]! < below) out.push({ url, label: 0, source: ADAPT_SOURCE, host: hostOf(url), type: 'adapt' });
  });
  return out;
}
