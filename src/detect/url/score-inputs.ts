/**
 * Inputs scored as `nml score url` and `POST /api/detect/url` read them (input-urls.ts): a URL as it is,
 * exactly as before; a log line by the highest score of the URLs it names, which says which one that
 * was (TLS server names and CONNECT hosts among them as `url.tlsNames` says, as live scoring reads
 * them); a log line that names none as the per-item error URL_NOT_FOUND; an input that is no web URL
 * (`javascript:`, `data:`, a bare path: web-url.ts) as the per-item error URL_NOT_WEB, never scored.
 */
import type { Explanation, ScoreResult } from '../detector.js';
import { deceptionOf, withDeception, type UrlDeception } from './deception.js';
import { inputUrls, lineDeceptions, lineUrls } from './input-urls.js';
import type { PopularityTable } from './popularity.js';
import { URL_EMPTY } from './url-detector.js';
import { notWebUrl } from './web-url.js';

/** The url detector as the two callers hold it: explanations always, the fast path (probabilities, batched) where there is one. */
export interface InputScorer {
  score(urls: readonly string[]): Promise<ScoreResult[]>;
  scoreFast?(urls: readonly string[]): Promise<Float32Array>;
  /** the model's popularity table, for the IDN-homograph rule (homograph.ts); absent or null: that rule never fires */
  readonly popularity?: PopularityTable | null;
}

/** One input's result: a score (with its explanation when asked), or why it has none. */
export interface InputResult {
  /** the input as given */
  subject: string;
  score?: number;
  explanation?: Explanation;
  error?: { code: string; message: string };
  /** an input read as a log line: the input as given */
  item?: string;
  /** a log line: the URL it names that gave the score, in findings' form (`findingUrl`) */
  scored?: string;
  /** a log line that names more than one URL: each, with its score, in the line's order */
  urls?: { url: string; score: number }[];
  /**
   * scored without explanations (`explain: false`, plain `nml score url`): a deception rule fired
   * (deception.ts: `rule` 'userinfo-host' or 'idn-homograph'); with explanations it is `explanation.detail.deception`
   */
  deception?: UrlDeception;
  /**
   * a log line: each of its URLs a deception rule fired on, in the line's order, with or
   * without explanations (`deception`, or `detail.deception`, is still one: the scored URL's, else the first's)
   */
  deceptions?: LineDeception[];
}

/** A URL of a log line a deception rule fired on: the URL in findings' form, and what the rule found. */
export type LineDeception = UrlDeception & { url: string };

const URL_NOT_FOUND = {
  code: 'URL_NOT_FOUND',
  message: 'url: the input holds a space, so it was read as a log line, and names no URL (http://, https://, ftp://, or a log record nml reads); give a URL, or a line that holds one',
};

/** URL_NOT_FOUND for a line whose only names are a TLS server name or a CONNECT host, with `url.tlsNames` false */
const URL_NOT_FOUND_TLS_OFF = {
  code: URL_NOT_FOUND.code,
  message: 'url: the input holds a space, so it was read as a log line, and names no URL: its TLS server name or CONNECT host is not read, as url.tlsNames is false (live scoring skips it too); set url.tlsNames to true to score it, or give a URL',
};

/**
 * Scores `inputs` in order, one result each. `explain` false scores through the fast path where the
 * detector has one (no explanations). `tlsNames`: `url.tlsNames`, whether a log line's TLS server name
 * and CONNECT host are among its URLs. The URLs of all inputs go to the detector as one batch.
 */
export async function scoreInputs(d: InputScorer, inputs: readonly string[], explain = true, tlsNames = true): Promise<InputResult[]> {
  const lines = inputs.map((input) => inputUrls(input, tlsNames));
  const flat: string[] = [];
  inputs.forEach((input, i) => {
    const urls = lines[i]!;
    if (urls === null) flat.push(input);
    else for (const u of urls) flat.push(u);
  });
  const scored = await scoreFlat(d, flat, explain);
  const out: InputResult[] = [];
  let k = 0;
  inputs.forEach((input, i) => {
    const urls = lines[i]!;
    if (urls === null) out.push(scored[k++]!);
    else {
      const none = !tlsNames && urls.length === 0 && lineUrls(input, true).length > 0 ? URL_NOT_FOUND_TLS_OFF : URL_NOT_FOUND;
      out.push(lineResult(input, scored.slice(k, k + urls.length), none, lineDeceptions(input, tlsNames, d.popularity ?? null)));
      k += urls.length;
    }
  });
  return out;
}

/** `urls` scored in order, those that are no web URL given their error instead (not sent to the model). */
async function scoreFlat(d: InputScorer, urls: string[], explain: boolean): Promise<InputResult[]> {
  const refused = urls.map(notWebUrl);
  if (refused.every((r) => r === null)) return scoreWeb(d, urls, explain);
  const scored = await scoreWeb(d, urls.filter((_, i) => refused[i] === null), explain);
  let k = 0;
  return urls.map((subject, i) => {
    const error = refused[i];
    return error === null || error === undefined ? scored[k++]! : { subject, error };
  });
}

async function scoreWeb(d: InputScorer, urls: string[], explain: boolean): Promise<InputResult[]> {
  if (explain || d.scoreFast === undefined) return d.score(urls);
  const s = await d.scoreFast(urls);
  // a blank URL is the same per-item error as with explanations (the fast path scores it 0)
  return urls.map((subject, i) => {
    if (subject.trim() === '') return { subject, error: URL_EMPTY };
    const deception = deceptionOf(subject, d.popularity);
    return deception === null ? { subject, score: s[i]! } : { subject, score: s[i]!, deception };
  });
}

/**
 * `r` with a deception rule's finding: in its explanation (summary and `detail.deception`) when it has one,
 * else as `deception`. `more`: how many other URLs of its log line a rule fired on, which the summary
 * counts (`homographs`: whether any of those is an IDN homograph, not a host named before @).
 */
function resultWith(r: InputResult, deception: UrlDeception, more = 0, homographs = false): InputResult {
  if (r.explanation === undefined) return { ...r, deception };
  const x = withDeception(r.explanation, deception);
  const what = homographs ? 'imitate another host' : 'name another host before @';
  const others = more === 0 ? '' : `; ${more} more ${more === 1 ? 'URL' : 'URLs'} of the line ${more === 1 ? what.replace(/^(imitate|name)/, '$1s') : what} (deceptions lists each)`;
  return { ...r, explanation: { ...x, summary: x.summary + others } };
}

/**
 * A log line's result from its URLs' (subject: the URL scored): the highest score, the first of equals;
 * `none` when it names none. `deceptions`: the userinfo-deception rule's findings by URL (findings' form,
 * as the URLs were scored without userinfo), in the line's order: all of them are the line's `deceptions`,
 * and the scored URL's, else the line's first, its `deception` (or `detail.deception`), as before there were more.
 */
function lineResult(line: string, urls: readonly InputResult[], none: InputResult['error'], deceptions: ReadonlyMap<string, UrlDeception>): InputResult {
  let best: InputResult | undefined;
  for (const r of urls) if (r.score !== undefined && (best === undefined || r.score > best.score!)) best = r;
  if (best === undefined) return { subject: line, item: line, error: urls[0]?.error ?? none };
  const out: InputResult = { subject: line, item: line, scored: best.subject, score: best.score };
  if (urls.length > 1) out.urls = urls.filter((r) => r.score !== undefined).map((r) => ({ url: r.subject, score: r.score! }));
  if (best.explanation !== undefined) out.explanation = best.explanation;
  if (deceptions.size === 0) return out;
  out.deceptions = [...deceptions].map(([url, d]) => ({ url, ...d }));
  const deception = deceptions.get(best.subject) ?? deceptions.values().next().value!;
  const homographs = [...deceptions.values()].some((x) => x !== deception && x.rule === 'idn-homograph');
  return resultWith(out, deception, deceptions.size - 1, homographs);
}
