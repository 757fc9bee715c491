/** `POST /api/detect/url`: scores a batch of URLs with the url detector (explanations unless `explain: false`). */
import type { FastifyInstance } from 'fastify';
import { isScored, type Detector } from '../../detect/index.js';
import type { DetectUrlRequest, DetectUrlResponse, DetectUrlResult } from '../api.js';
import { errorReplies } from '../schemas.js';

/** Most URLs one request may carry. */
export const DETECT_URL_MAX = 10_000;

/** What the url detector answers for an empty or blank URL when it explains (UrlDetector.scoreOne). */
const URL_EMPTY = { code: 'URL_EMPTY', message: 'url: empty string; give a URL' };

/** The detector, and optionally its fast path (probabilities only, batched). */
export type UrlDetectorDep = Detector<string> & { scoreFast?(urls: readonly string[]): Promise<Float32Array> };

const result = {
  type: 'object',
  required: ['subject'],
  properties: {
    subject: { type: 'string' },
    score: { type: 'number', minimum: 0, maximum: 1 },
    explanation: { type: 'object', required: ['summary'], properties: { summary: { type: 'string' }, detail: {} } },
    error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
  },
} as const;

export function detectUrlRoutes(detector: UrlDetectorDep) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.post<{ Body: DetectUrlRequest }>(
      '/api/detect/url',
      {
        schema: {
          summary: 'probability that each URL is malicious, with the characters that pushed the score up',
          tags: ['detect'],
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
            200: { type: 'object', required: ['modelVersion', 'results'], properties: { modelVersion: { type: 'string' }, results: { type: 'array', items: result } } },
            ...errorReplies,
          },
        },
      },
      async (req): Promise<DetectUrlResponse> => {
        const { urls, explain } = req.body;
        let results: DetectUrlResult[];
        if (explain === false && detector.scoreFast !== undefined) {
          const s = await detector.scoreFast(urls);
          // a blank URL is the same per-item error as with explanations (the fast path scores it 0)
          results = urls.map((subject, i) => (subject.trim() === '' ? { subject, error: URL_EMPTY } : { subject, score: s[i]! }));
        } else {
          results = (await detector.score(urls)).map((r) => (isScored(r) ? { subject: r.subject, score: r.score, explanation: r.explanation } : { subject: r.subject, error: r.error }));
        }
        return { modelVersion: detector.modelVersion, results };
      },
    );
  };
}
