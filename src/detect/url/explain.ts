/** Explanations: byte weights (Bag-of-Bytes: gradient × input over the bins; n-grams: each gram's term) mapped back onto the URL's characters, and a one-line summary. */
import { deceptionText, type UrlDeception } from './deception.js';
import { hostEnd, normalizeUrl, type UrlNormalization } from './features.js';

export interface UrlExplanationDetail {
  /** logit of the score */
  logit: number;
  /**
   * one weight per character of the URL as given (scheme, quotes and surrounding blanks: 0), for its first
   * 4,096 characters only: a longer URL's tail is not explained and has no entries
   */
  weights: number[];
  /** [start, end) of host and path in the URL as given (within its first 4,096 characters) */
  host: [number, number];
  path: [number, number];
  /**
   * [start, end) of the query string (from its `?` up to any `#`), within `path`, when the URL has one: the
   * model reads it as part of the path (`part` says `path`), the summary calls a run inside it `(query)`
   */
  query?: [number, number];
  /** the most suspicious substrings, strongest first; `part` is the model's part (the path includes the query) */
  top: { text: string; from: number; to: number; part: 'host' | 'path'; weight: number }[];
  /** the popularity term, when the model has a popularity table and the host or a parent domain is on it */
  popularity?: { domain: string; meaning: string; weight: number };
  /**
   * the URL as scored, when it is not the one given (UrlDetector scores one form of each URL: without its
   * scheme, host in lower case, an empty path `/`, the scheme's default port dropped): `weights`, `host`,
   * `path` and `top` index into it
   */
  scored?: string;
  /**
   * n-grams, a URL over 128 bytes: the window of the URL that gave the score when it is not the whole URL
   * (`no-query`: all but its query string and fragment; `leading-path`: its host and the first 32 bytes of
   * its path; see ngram.ts `ngramWindows`). The characters after the window have weight 0.
   */
  window?: 'no-query' | 'leading-path';
  /**
   * the userinfo-deception rule fired (deception.ts): the URL names a host before `@` that is not where it
   * leads. A rule beside the model: the score is the model's, which never reads userinfo.
   */
  deception?: UrlDeception;
}

/** Characters explained at most (a 100 kB URL keeps its first ones; `weights` stops there). */
const MAX_CHARS = 4096;

/** UTF-8 byte length of one UTF-16 code unit sequence starting at i; returns [bytes, units]. */
function charBytes(s: string, i: number): [number, number] {
  const c = s.charCodeAt(i);
  if (c < 0x80) return [1, 1];
  if (c < 0x800) return [2, 1];
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return [4, 2];
  }
  return [3, 1];
}

/**
 * Spreads bin contributions over the bytes of a part: each occurrence of a bin gets an equal share;
 * a byte takes its own bin's share and half of each straddling bin it is part of.
 */
function byteWeights(bytes: Uint8Array, bin: (b: number) => number): Float64Array {
  const n = bytes.length;
  const counts = new Map<number, number>();
  const add = (k: number): void => void counts.set(k, (counts.get(k) ?? 0) + 1);
  for (let i = 0; i < n; i++) {
    add(bytes[i]!);
    if (i + 1 < n) add(((bytes[i]! & 0x0f) << 4) | (bytes[i + 1]! >> 4));
  }
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const own = bytes[i]!;
    w[i]! += bin(own) / counts.get(own)!;
    if (i + 1 < n) {
      const s = ((bytes[i]! & 0x0f) << 4) | (bytes[i + 1]! >> 4);
      const share = bin(s) / counts.get(s)! / 2;
      w[i]! += share;
      w[i + 1]! += share;
    }
  }
  return w;
}

/**
 * Character weights of `url` from per-bin contributions (`contrib[bin]`, 512 entries: host 0–255,
 * path 256–511), and the top substrings.
 */
export function explainUrl(url: string, contrib: Float32Array, logit: number, mode: UrlNormalization = 'scheme'): UrlExplanationDetail {
  return explainByBytes(url, logit, mode, (bytes, part) => byteWeights(bytes, (b) => contrib[part * 256 + b]!));
}

/**
 * Character weights of `url` from weights of the UTF-8 bytes of its host (part 0) and path (part 1),
 * as `partWeights` gives them, and the top substrings.
 */
export function explainByBytes(url: string, logit: number, mode: UrlNormalization, partWeights: (bytes: Uint8Array, part: 0 | 1) => Float64Array): UrlExplanationDetail {
  const full = url.length > MAX_CHARS ? url.slice(0, MAX_CHARS) : url;
  const stripped = normalizeUrl(full, mode);
  // normalizing trims, then only drops a prefix (quotes, scheme, `www.`): what it dropped in front is what
  // the trimmed-at-the-end URL has more (`indexOf` would find `tp` of `http://tp` inside the scheme)
  const offset = full.trimEnd().length - stripped.length;
  const h = hostEnd(stripped);
  const weights: number[] = new Array<number>(full.length).fill(0);
  const parts: [number, number, 0 | 1][] = [
    [offset, offset + h, 0],
    [offset + h, offset + stripped.length, 1],
  ];
  for (const [from, to, part] of parts) {
    const text = full.slice(from, to);
    const bw = partWeights(Buffer.from(text, 'utf8'), part);
    let bi = 0;
    for (let i = 0; i < text.length; ) {
      const [nb, nu] = charBytes(text, i);
      let s = 0;
      for (let k = 0; k < nb && bi < bw.length; k++) s += bw[bi++]!;
      weights[from + i] = Math.round(s * 1e4) / 1e4;
      i += nu;
    }
  }
  const detail: UrlExplanationDetail = { logit, weights, host: [offset, offset + h], path: [offset + h, offset + stripped.length], top: topSubstrings(full, weights, offset, offset + h, offset + stripped.length) };
  const query = queryRange(stripped, h);
  if (query !== undefined) detail.query = [offset + query[0], offset + query[1]];
  return detail;
}

/** [start, end) of the query string of a scheme-less URL whose path starts at `h`: its first `?` before any `#`, up to the `#` or the end. */
function queryRange(s: string, h: number): [number, number] | undefined {
  const fragment = s.indexOf('#', h);
  const q = s.indexOf('?', h);
  if (q < 0 || (fragment >= 0 && fragment < q)) return undefined;
  return [q, fragment < 0 ? s.length : fragment];
}

/**
 * The words for where a run lies: its part, `query` inside the query string, `path and query` across its `?`,
 * `query and fragment` across the `#` after it (a run in a fragment alone keeps `path`, as the model reads it).
 */
function placeOf(t: UrlExplanationDetail['top'][number], query: UrlExplanationDetail['query']): string {
  if (t.part === 'host' || query === undefined || t.to <= query[0] || t.from >= query[1]) return t.part;
  if (t.from >= query[0] && t.to <= query[1]) return 'query';
  return t.from < query[0] ? 'path and query' : 'query and fragment';
}

/** Letters and digits: the characters a word of a URL is made of. */
const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** Characters a run may grow by on each side to reach a word's edge (a long random token stays cut). */
const WIDEN = 16;

/**
 * Runs of characters with clearly positive weight (a run starts above a quarter of the strongest weight,
 * extends while above an eighth, and never crosses the host/path boundary), strongest total first, at most 3.
 * A run's text is widened to whole words within its part (`verify-acco` reads `verify-account`), so an
 * operator reads words; its weight stays that of the strong characters. A run inside the previous one's
 * word joins it; one that reaches past it starts where it ends.
 */
export function topSubstrings(url: string, w: number[], hostStart: number, hostEndAt: number, pathEnd: number): UrlExplanationDetail['top'] {
  const max = Math.max(0, ...w);
  if (max <= 0) return [];
  const runs: UrlExplanationDetail['top'] = [];
  for (let i = 0; i < w.length; ) {
    if (w[i]! <= max / 4) {
      i++;
      continue;
    }
    let from = i;
    let sum = 0;
    do sum += w[i++]!;
    while (i < w.length && w[i]! > max / 8 && i !== hostEndAt);
    const part = from < hostEndAt ? 'host' : 'path';
    const [lo, hi] = part === 'host' ? [hostStart, hostEndAt] : [hostEndAt, pathEnd];
    let to = i;
    for (let k = 0; k < WIDEN && from > lo && isWordChar(url.charCodeAt(from - 1)) && isWordChar(url.charCodeAt(from)); k++) from--;
    for (let k = 0; k < WIDEN && to < hi && isWordChar(url.charCodeAt(to)) && isWordChar(url.charCodeAt(to - 1)); k++) to++;
    const last = runs[runs.length - 1];
    if (last !== undefined && last.part === part && from < last.to) {
      // inside the previous run's word: one run; past it: starts where that one ends (a long token
      // with several strong runs stays several pieces, not one glued blob)
      if (to <= last.to) {
        last.weight = Math.round((last.weight + sum) * 1e4) / 1e4;
        continue;
      }
      from = last.to;
    }
    runs.push({ text: url.slice(from, to), from, to, part, weight: Math.round(sum * 1e4) / 1e4 });
  }
  return runs.sort((a, b) => b.weight - a.weight).slice(0, 3);
}
/** One line: the score and the substrings that pushed it up. */
export function summarize(score: number, d: UrlExplanationDetail): string {
  const verdict = `score ${score.toFixed(3)}`;
  const known = d.popularity === undefined ? '' : `; ${d.popularity.domain} is ${d.popularity.meaning.replace(/^(the host itself|a parent domain) /, '')} (${d.popularity.weight >= 0 ? '+' : ''}${d.popularity.weight.toFixed(2)})`;
  const window = d.window === undefined ? '' : d.window === 'no-query' ? '; scored without its query string' : '; scored on its host and the start of its path';
  const rule = d.deception === undefined ? '' : `; ${deceptionText(d.deception)}`;
  if (d.top.length === 0) return `${verdict}: no part of the URL pushed the score up${known}${window}${rule}`;
  return `${verdict}: most suspicious ${d.top.map((t) => `${JSON.stringify(t.text.length > 40 ? t.text.slice(0, 40) + '…' : t.text)} (${placeOf(t, d.query)})`).join(', ')}${known}${window}${rule}`;
}
