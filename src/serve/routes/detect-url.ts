/**
 * `POST /api/detect/url`: scores a batch of URLs with the url detector (explanations unless `explain: false`);
 * an item holding a space is a log line, scored by the highest of its URLs (detect/url/score-inputs.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, startsGzip } from '../../core/index.js';
import { otherArchive, SNIFF_BYTES } from '../../collect/index.js';
import { scoreInputs, type Detector } from '../../detect/index.js';
import type { DetectUrlRequest, DetectUrlResponse, DetectUrlResult } from '../api.js';
import { errorReplies } from '../schemas.js';

/** Most URLs one request may carry. */
export const DETECT_URL_MAX = 10_000;

/** The detector, its model's threshold, and optionally its fast path (probabilities only, batched). */
export type UrlDetectorDep = Detector<string> & { readonly threshold: number; scoreFast?(urls: readonly string[]): Promise<Float32Array> };

/** The fields of either deception rule's finding (detect/url/deception.ts `UrlDeception`): userinfo-host's, then idn-homograph's. */
const DECEPTION_PROPERTIES = { rule: { type: 'string' }, userinfo: { type: 'string' }, named: { type: 'string' }, host: { type: 'string' }, shown: { type: 'string' }, looksLike: { type: 'string' } } as const;

const result = {
  type: 'object',
  required: ['subject'],
  properties: {
    subject: { type: 'string' },
    score: { type: 'number', minimum: 0, maximum: 1 },
    explanation: { type: 'object', required: ['summary'], properties: { summary: { type: 'string' }, detail: {} } },
    error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
    item: { type: 'string', description: 'an item read as a log line (it holds a space): the item as given' },
    scored: { type: 'string', description: 'a log line: the URL in it that gave the score, as findings write it' },
    urls: {
      type: 'array',
      description: 'a log line naming more than one URL: each with its score, in the line\'s order',
      items: { type: 'object', required: ['url', 'score'], properties: { url: { type: 'string' }, score: { type: 'number' } } },
    },
    deception: {
      type: 'object',
      description: '`explain: false` only (else `explanation.detail.deception`): a deception rule fired, a rule beside the model (the score stays the model\'s). `rule` \'userinfo-host\': the item names a host before `@` (`http://paypal.com@evil.tk/`, look-alike letters of other scripts read as Latin) other than the one it leads to (`named`; `userinfo` is written with its password part as `:…`). `rule` \'idn-homograph\': its host (`host`, punycode) shows as `shown`, a look-alike of the popular domain `looksLike` (`http://xn--pypal-4ve.com/`, pаypal.com with a Cyrillic а)',
      required: ['rule', 'host'],
      properties: DECEPTION_PROPERTIES,
    },
    deceptions: {
      type: 'array',
      description: 'an item read as a log line: each URL of it a deception rule fired on (`url` as findings write it), in the line\'s order, with or without explanations; `deception` (or `explanation.detail.deception`) is one of them, the scored URL\'s, else the first',
      items: {
        type: 'object',
        required: ['url', 'rule', 'host'],
        properties: { url: { type: 'string' }, ...DECEPTION_PROPERTIES },
      },
    },
  },
} as const;

/**
 * A text/plain body as `nml score url` reads stdin: one URL (or log line) a line, lines end at LF (one CR before it
 * is dropped), the LF after the last line ends it rather than starting an empty one; a blank line is a
 * URL_EMPTY item in its place. A body with no URL at all is refused, as an empty stdin is.
 */
export function textBodyUrls(text: string): string[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.at(-1) === '') lines.pop();
  if (lines.every((l) => l.trim() === '')) {
    throw new AppError('URL_NO_INPUT', 'bad_request', 'request: the text/plain body holds no URL; send one URL a line, or JSON {"urls": [...]}');
  }
  return lines;
}

/**
 * A body that is compressed or binary, by its first bytes (`startsGzip`, collect's `otherArchive`, as
 * `POST /api/ingest` tells them): a gzip text/plain body was read as one line of text and scored (the
 * fixture model scored a gzipped list of two URLs 0.445, one item), and a gzip JSON body got only
 * "not valid JSON". This route decodes no Content-Encoding, with the header or without (only
 * `POST /api/ingest` does), so it is refused; null for a body that is not.
 */
function compressedBody(body: Buffer, type: 'text/plain' | 'JSON'): AppError | null {
  const head = body.subarray(0, SNIFF_BYTES);
  const archive = startsGzip(head) ? { name: 'gzip', undo: 'zcat', notText: undefined } : otherArchive(head);
  if (archive === null) return null;
  const bytes = [...head.subarray(0, 2)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const what = archive.notText === true ? `a ${archive.name}, not text` : `${archive.name}-compressed`;
  const fix = archive.notText === true ? `send the URLs as text (${archive.undo})` : `send it uncompressed (${archive.undo} first)`;
  return new AppError('URL_BODY_COMPRESSED', 'bad_request', `request: the ${type} body is ${what} (it starts with the bytes ${bytes}), and URLs are read as ${type === 'JSON' ? 'JSON text' : 'text, one a line'}; POST /api/detect/url decodes no Content-Encoding (POST /api/ingest does), so ${fix}`, { format: archive.name });
}

/** `a number (5)`, `null`, `an object` */
function described(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  const t = typeof v;
  const shown = t === 'number' || t === 'boolean' || t === 'bigint' ? ` (${String(v)})` : '';
  return `${t === 'object' || t === 'undefined' ? 'an' : 'a'} ${t}${shown}`;
}

/**
 * `urls` as sent, before the schema's validation, which coerces (`5` became "5", `null` "", and one
 * string a list of one): a value that is not a list of strings is refused, naming the first bad item.
 */
function checkUrls(req: FastifyRequest): void {
  const body = req.body as { urls?: unknown } | null | undefined;
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('urls' in body)) return;
  const urls = body.urls;
  if (!Array.isArray(urls)) {
    throw new AppError('URL_INVALID', 'bad_request', `request: body urls is ${described(urls)}, not a list; send {"urls": ["http://example.com/", ...]} (a list even for one URL)`, { param: 'urls' });
  }
  const i = urls.findIndex((u) => typeof u !== 'string');
  if (i >= 0) {
    throw new AppError('URL_INVALID', 'bad_request', `request: body urls[${i}] is ${described(urls[i])}, not a string; send each URL as a JSON string`, { param: `urls.${i}`, index: i });
  }
}

/**
 * `threshold`: the score at or above which live scoring makes a URL a finding (`url.threshold`, else the
 * model's), answered with every response so that a client tells flagged from not as findings do.
 * `tlsNames`: `url.tlsNames`, whether a log line's TLS server name and CONNECT host are scored, as live
 * scoring does (until 2026-12-04 always).
 */
export function detectUrlRoutes(detector: UrlDetectorDep, threshold = detector.threshold, tlsNames = true) {
  return async function register(app: FastifyInstance): Promise<void> {
    // text/plain is one URL a line (this scope's parser; the others keep theirs)
    app.removeContentTypeParser('text/plain');
    app.addContentTypeParser('text/plain', { parseAs: 'buffer' }, (_req, body: Buffer, done) => {
      try {
        const refused = compressedBody(body, 'text/plain');
        if (refused !== null) throw refused;
        done(null, { urls: textBodyUrls(body.toString('utf8')) });
      } catch (e) {
        done(e as Error, undefined);
      }
    });
    // JSON as Fastify reads it, but a compressed body is said as such (it got only "not valid JSON")
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body: Buffer, done) => {
      const refused = compressedBody(body, 'JSON');
      if (refused !== null) return done(refused, undefined);
      parseJson(req, body.toString('utf8'), done);
    });
    app.post<{ Body: DetectUrlRequest }>(
      '/api/detect/url',
      {
        preValidation: async (req) => checkUrls(req),
        schema: {
          summary: 'probability that each URL is malicious, with the characters that pushed the score up',
          description:
            'JSON `{"urls": [...]}`, or text/plain with one URL a line (as `nml score url` reads stdin; explanations included), uncompressed: no Content-Encoding is decoded, and a compressed body (gzip, xz, zstd…), text or JSON, is refused (URL_BODY_COMPRESSED). An item holding a space is read as a log line (a squid access.log line, say): its URLs are found as live scoring finds them (TLS server names and Squid CONNECT hosts only when `url.tlsNames` is true) and its score is the highest of theirs (`scored` names that URL, `urls` lists each when there are more); one naming no URL is the per-item error URL_NOT_FOUND. An item that is no web URL (a `javascript:`, `data:`, `mailto:`, `tel:` or `about:` URL, or a path without a host) is the per-item error URL_NOT_WEB, not scored. A `blob:` URL is scored as the web URL after `blob:` (the explanation\'s `detail.scored` names the form scored); one without a web origin (`blob:null/…`) is URL_NOT_WEB, as is a URL with an empty host (`http:///x`, `blob:https:///x`). An item that names a host in its userinfo (`http://paypal.com@evil.tk/`) keeps the model\'s score, and the userinfo-deception rule says so: in the explanation\'s summary and `detail.deception` (with `explain: false`, the result\'s `deception`); so does an item whose host shows as a look-alike of a popular domain (`http://xn--pypal-4ve.com/`: the IDN-homograph rule, `rule: \'idn-homograph\'`)',
          tags: ['detect'],
          consumes: ['application/json', 'text/plain'],
          body: {
            type: 'object',
            required: ['urls'],
            additionalProperties: false,
            properties: {
              urls: { type: 'array', maxItems: DETECT_URL_MAX, items: { type: 'string', maxLength: 100_000 } },
              explain: { type: 'boolean', default: true, description: 'false: scores only (faster)' },
            },
          },
          response: {
            200: {
              type: 'object',
              required: ['modelVersion', 'threshold', 'results'],
              properties: {
                modelVersion: { type: 'string' },
                threshold: { type: 'number', minimum: 0, maximum: 1, description: 'the score at or above which an item is flagged, as live findings are: `url.threshold`, else the model\'s' },
                results: { type: 'array', items: result },
              },
            },
            ...errorReplies,
          },
        },
      },
      async (req): Promise<DetectUrlResponse> => {
        const { urls, explain } = req.body;
        const results: DetectUrlResult[] = await scoreInputs(detector, urls, explain !== false, tlsNames);
        return { modelVersion: detector.modelVersion, threshold, results };
      },
    );
  };
}
