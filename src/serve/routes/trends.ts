/**
 * `GET /api/trends`: per attack type the observed counts and predicted probabilities over time, and the
 * next period's prediction with its drivers; `GET /api/trends/documents`: the documents behind one count.
 */
import type { FastifyInstance } from 'fastify';
import type { TrendsDocumentsParams, TrendsDocumentsResponse, TrendsParams, TrendsResponse } from '../api-trends.js';
import { errorBody, errorReplies } from '../schemas.js';
import { AppError } from '../../core/index.js';
import { MAX_PERIOD_DOCUMENTS, type TrendsService } from '../../trends/index.js';

export type TrendsDep = Pick<TrendsService, 'overview' | 'documents'>;

/** How far `offset` may page: past the documents the service keeps (50,000 collected and the timeline), nothing is there. */
const MAX_OFFSET = 1_000_000;

const str = { type: 'string' } as const;
const num = { type: 'number' } as const;
const int = { type: 'integer' } as const;

const point = {
  type: 'object',
  required: ['start', 'observed', 'probability'],
  properties: { start: str, observed: { type: ['number', 'null'] }, probability: { type: ['number', 'null'] }, partial: { type: 'boolean' }, uncounted: { type: 'integer', minimum: 1 } },
} as const;

/** `below`: the feature acts by being under its training mean ("reported rarely"), either way */
const driver = { type: 'object', required: ['name', 'weight'], properties: { name: str, weight: num, detail: str, below: { type: 'boolean' } } } as const;

const typeBody = {
  type: 'object',
  required: ['type', 'label', 'points', 'next'],
  properties: {
    type: str,
    label: str,
    points: { type: 'array', items: point },
    next: {
      type: 'object',
      required: ['start', 'probability', 'drivers', 'lowering', 'calendar', 'documents'],
      properties: {
        start: str,
        probability: num,
        drivers: { type: 'array', description: 'what raised the probability most, strongest first; weight: what it adds to the log-odds', items: driver },
        lowering: { type: 'array', description: 'what lowered the probability most, strongest first; weight: what it adds to the log-odds (negative)', items: driver },
        calendar: { type: 'array', items: str },
        documents: {
          type: 'array',
          items: { type: 'object', required: ['id', 'title', 'url', 'time'], properties: { id: str, title: str, url: { type: ['string', 'null'] }, time: str, certainty: num } },
        },
        warning: { type: ['string', 'null'] },
        reported: {
          type: ['object', 'null'],
          description: 'the reports of the type already in the period forecast (it is not over), null when none; documents: the /api/trends/documents path listing them',
          required: ['count', 'documents'],
          properties: { count: { type: 'integer', minimum: 1 }, documents: str },
        },
      },
    },
  },
} as const;

const sourceBody = {
  type: 'object',
  required: ['name', 'fetches', 'items', 'stored', 'duplicates', 'errors'],
  properties: {
    name: str,
    fetches: int,
    notModified: int,
    items: int,
    stored: int,
    duplicates: int,
    errors: { type: 'object', additionalProperties: int },
    lastError: { type: ['string', 'null'] },
    lastErrorAt: { type: ['number', 'null'] },
    failing: { type: 'boolean' },
    charsetMismatches: int,
    futureDated: int,
    undated: int,
    lastFetchAt: { type: ['number', 'null'] },
  },
} as const;

export function trendsRoutes(trends: TrendsDep) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: TrendsParams }>(
      '/api/trends',
      {
        schema: {
          summary: 'attack-type trends: observed counts, predicted probabilities, and what drives the next prediction',
          tags: ['trends'],
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { period: { type: 'string', enum: ['day', 'week'] }, limit: { type: 'integer', minimum: 1, maximum: 1000 } },
          },
          response: {
            200: {
              type: 'object',
              required: ['period', 'generatedAt', 'basis', 'types', 'sources'],
              properties: {
                period: str,
                generatedAt: str,
                basis: {
                  type: 'object',
                  required: ['historyDocs', 'collectedDocs'],
                  properties: {
                    historyDocs: int,
                    collectedDocs: int,
                    window: { type: 'object', properties: { from: str, periods: int, history: int, collected: int, demo: int } },
                    // collected documents of the window the classifier could not read (src/trends/classify/readable.ts)
                    unread: { type: 'object', properties: { documents: int, language: { type: 'object', additionalProperties: int }, fewKnownWords: int } },
                  },
                },
                caveat: { type: ['string', 'null'] },
                warning: { type: ['string', 'null'] },
                types: { type: 'array', items: typeBody },
                sources: { type: 'array', items: sourceBody },
              },
            },
            404: errorBody,
            ...errorReplies,
          },
        },
      },
      async (req): Promise<TrendsResponse> => trends.overview(req.query.period ?? 'day', req.query.limit ?? 90),
    );

    app.get<{ Querystring: TrendsDocumentsParams }>(
      '/api/trends/documents',
      {
        schema: {
          summary: 'the documents behind a count of reports: those counted as one attack type in one period, newest first, a page at a time',
          tags: ['trends'],
          querystring: {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'start'],
            properties: {
              type: { type: 'string', pattern: '^[a-z_]{1,40}$', description: 'an attack type id, as in /api/trends types[].type' },
              period: { type: 'string', enum: ['day', 'week'] },
              start: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?Z)?$', description: 'any time in the period, UTC: 2026-12-03 or 2026-12-03T00:00:00.000Z' },
              offset: { type: 'integer', minimum: 0, maximum: MAX_OFFSET },
              limit: { type: 'integer', minimum: 1, maximum: MAX_PERIOD_DOCUMENTS },
            },
          },
          response: {
            200: {
              type: 'object',
              required: ['type', 'period', 'start', 'total', 'offset', 'documents'],
              properties: {
                type: str,
                period: str,
                start: str,
                total: int,
                offset: int,
                documents: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['id', 'title', 'url', 'time', 'source'],
                    properties: { id: str, title: str, url: { type: ['string', 'null'] }, time: str, source: { type: ['string', 'null'] }, certainty: num },
                  },
                },
              },
            },
            ...errorReplies,
          },
        },
      },
      async (req): Promise<TrendsDocumentsResponse> => {
        const at = Date.parse(req.query.start.length === 10 ? `${req.query.start}T00:00:00Z` : req.query.start);
        if (Number.isNaN(at)) {
          throw new AppError('HTTP_BAD_REQUEST', 'bad_request', `request: query parameter start: ${req.query.start} is not a date; send a UTC day, as in start=2026-12-03`, { in: 'querystring', param: 'start' });
        }
        return trends.documents(req.query.type, req.query.period ?? 'day', at, req.query.offset ?? 0, req.query.limit ?? 20);
      },
    );
  };
}
