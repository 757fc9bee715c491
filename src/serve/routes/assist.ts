/**
 * The incident assistant over HTTP: `POST /api/assist/normalize`, `GET /api/assist/similar`, `POST /api/assist/chat`,
 * and the incident base itself: `GET /api/assist/incidents`, `GET` and `DELETE /api/assist/incidents/:id`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../core/index.js';
import { CHAT_MESSAGE_MAX, notInBase, SIMILAR_SHOWN, type Assistant, type InputFormat, type SimilarResult } from '../../assist/index.js';
import type { AssistChatBody, AssistChatResponse, AssistNormalizeBody, AssistSimilarParams, AssistSimilarResponse, AssistAnalysisResponse, AssistIncidentsParams, AssistIncidentsResponse, AssistIncidentResponse, AssistIncidentDeletedResponse } from '../api.js';
import { errorBody, errorReplies, noBody, skippedShards, timeExpr } from '../schemas.js';
import { refuseViewer, viewersRefused } from '../read-only.js';
import { instantFromParam } from '../time-params.js';

export type AssistantApi = Pick<Assistant, 'analyze' | 'similar' | 'get' | 'queryOf' | 'chat' | 'incidents' | 'stored' | 'remove'>;

/** Largest report or thread accepted (bytes). */
export const ASSIST_BODY_LIMIT = 8 * 1024 * 1024;
const UPLOADS = ['message/rfc822', 'application/mbox', 'application/octet-stream'];
const FORMATS = ['alert', 'email', 'json', 'text'];

const anyObject = { type: 'object', additionalProperties: true } as const;
const similarItem = {
  type: 'object',
  required: ['id', 'title', 'source', 'score', 'why'],
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    source: { type: 'string' },
    time: { type: ['string', 'null'] },
    score: { type: 'number' },
    firstAction: { type: ['string', 'null'] },
    why: anyObject,
  },
} as const;

/**
 * What normalize reads, by media type: its validation and its OpenAPI entry. JSON is an object with
 * `text` or `base64` (or the report as a JSON string, which the handler always took); text/plain the report;
 * the file types its bytes. No `minLength`: the handler's ASSIST_BAD_BODY says "the report is empty"
 * for any of them; no `additionalProperties: false`: fields it does not read were always ignored.
 */
const normalizeBody = {
  content: {
    'application/json': {
      schema: {
        anyOf: [
          {
            type: 'object',
            properties: {
              text: { type: 'string', description: 'the report: an alert, an e-mail or mbox thread, VERIS JSON or prose' },
              base64: { type: 'string', description: "or the bytes of a file, base64 (standard or URL-safe alphabet, line breaks allowed): an mbox in Shift_JIS, say; used when there is no text" },
              format: { type: 'string', enum: FORMATS, description: 'how to read it; detected when left out' },
              save: { type: 'boolean', description: 'store it in the incident base (a viewer is refused: 403)' },
            },
            anyOf: [{ required: ['text'] }, { required: ['base64'] }],
          },
          { type: 'string', description: 'the report itself, as a JSON string' },
        ],
      },
    },
    'text/plain': { schema: { type: 'string', description: 'the report, UTF-8' } },
    ...Object.fromEntries(UPLOADS.map((type) => [type, { schema: { contentMediaType: type, description: 'the file itself: an .eml, an mbox, a report' } }])),
  },
} as const;

/** Most incidents one page of GET /api/assist/incidents lists. */
export const INCIDENTS_PAGE_MAX = 500;

const incidentSummary = {
  type: 'object',
  required: ['id', 'source', 'title', 'time', 'saved'],
  properties: {
    id: { type: 'string' },
    source: { type: 'string', description: 'vcdb, casie, hackmageddon, report (a saved report), demo …' },
    title: { type: 'string' },
    time: { type: ['string', 'null'], description: 'the time the report gives, as written there' },
    saved: { type: ['integer', 'null'], description: 'when it was saved to the base (ms); null for incidents saved before the base kept it' },
  },
} as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 200 } } } as const;

function similarBody(rs: SimilarResult[]): AssistSimilarResponse['results'] {
  return rs.map((r) => ({ id: r.incident.id, title: r.incident.title, source: r.incident.source, time: r.incident.time, score: r.score, firstAction: r.incident.firstAction, why: r.why }));
}


/**
 * The bytes of a JSON body's `base64`: Node's decoder skips what is not base64, so `"!!!"` was "the
 * report is empty" and a text pasted there by mistake became a few stray bytes. Standard or URL-safe
 * alphabet, padding at the end, white space anywhere (a wrapped MIME body).
 */
function base64Bytes(text: string): Buffer {
  const bad = /[^A-Za-z0-9+/_\-=\s]|=(?=[\s=]*[^\s=])/.exec(text);
  if (bad !== null) {
    throw new AppError('ASSIST_BAD_BODY', 'bad_request', `assist: base64 holds ${JSON.stringify(bad[0])} at character ${bad.index + 1}, which base64 does not; send the file's bytes base64-encoded, or the report as {"text": "…"}`);
  }
  return Buffer.from(text, 'base64');
}

const notAReport = (): AppError => new AppError('ASSIST_BAD_BODY', 'bad_request', 'assist: send the report as text/plain or a file, or JSON {"text": "…"}');

/**
 * A JSON number, boolean, null or array was never a report; refused before validation, where Ajv (which
 * coerces) would make `0`, `true` or `["x"]` the string the schema allows, and a report of it. An object
 * with neither `text` nor `base64` gets the same answer as before the schema: it names every way to send one.
 */
async function refuseNonReports(req: FastifyRequest): Promise<void> {
  const b = req.body;
  if (b === undefined || typeof b === 'string' || Buffer.isBuffer(b)) return;
  if (typeof b === 'object' && b !== null && !Array.isArray(b) && ('text' in b || 'base64' in b)) return;
  throw notAReport();
}

export function assistRoutes(assistant: AssistantApi) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.addContentTypeParser(UPLOADS, { parseAs: 'buffer', bodyLimit: ASSIST_BODY_LIMIT }, (_req, body, done) => done(null, body));
    app.addContentTypeParser('text/plain', { parseAs: 'string', bodyLimit: ASSIST_BODY_LIMIT }, (_req, body, done) => done(null, body));

    app.post<{ Body: string | Buffer | AssistNormalizeBody; Querystring: { format?: string; save?: string } }>(
      '/api/assist/normalize',
      {
        bodyLimit: ASSIST_BODY_LIMIT,
        preValidation: refuseNonReports,
        schema: {
          summary: 'normalize an incident report (alert, e-mail, VERIS JSON, text): the record, similar incidents, the first action',
          description: 'Send JSON `{text, format?, save?}` (or `{base64}` for the bytes of a file), or the file itself as text/plain, message/rfc822, application/mbox or application/octet-stream (then `format` and `save` go in the query). Saving (`save: true` or `save=1`) is refused to a viewer\'s session: 403 AUTH_FORBIDDEN, nothing stored.',
          tags: ['assist'],
          querystring: { type: 'object', additionalProperties: false, properties: { format: { type: 'string', enum: FORMATS }, save: { type: 'string', enum: ['0', '1', 'true', 'false'] } } },
          body: normalizeBody,
          response: { 200: { type: 'object', required: ['id', 'record', 'similar', 'suggestion', 'searched'], properties: { id: { type: 'string' }, saved: { type: 'boolean' }, record: anyObject, similar: { type: 'array', items: similarItem }, suggestion: anyObject, searched: { type: 'integer', minimum: 0, description: 'how many incidents the base held when searched' } } }, ...errorReplies, 403: errorReplies[400] },
        },
      },
      async (req): Promise<AssistAnalysisResponse> => {
        const b = req.body;
        let data: string | Buffer;
        let format = req.query.format;
        let save = req.query.save === '1' || req.query.save === 'true';
        if (typeof b === 'string' || Buffer.isBuffer(b)) data = b;
        else if (typeof b === 'object' && b !== null && (typeof b.text === 'string' || typeof b.base64 === 'string')) {
          data = typeof b.text === 'string' ? b.text : base64Bytes(b.base64 as string);
          if (b.format !== undefined) format = b.format;
          if (b.save === true) save = true;
        } else throw notAReport();
        if (data.length === 0) throw new AppError('ASSIST_BAD_BODY', 'bad_request', 'assist: the report is empty');
        if (save) refuseViewer(req, 'saving a report to the incident base');
        const a = await assistant.analyze(data, { format: format as InputFormat | undefined, save });
        return { id: a.incident.id, saved: save, record: a.record as unknown as Record<string, unknown>, similar: similarBody(a.similar), suggestion: a.suggestion as unknown as Record<string, unknown>, searched: a.searched };
      },
    );

    app.get<{ Querystring: AssistSimilarParams }>(
      '/api/assist/similar',
      {
        schema: {
          summary: 'incidents similar to a stored incident or to a text, each with why',
          tags: ['assist'],
          querystring: { type: 'object', additionalProperties: false, properties: { incidentId: { type: 'string', maxLength: 200 }, text: { type: 'string', maxLength: 100_000 }, limit: { type: 'integer', minimum: 1, maximum: 100 } } },
          response: { 200: { type: 'object', required: ['results'], properties: { results: { type: 'array', items: similarItem } } }, 404: errorBody, ...errorReplies },
        },
      },
      async (req): Promise<AssistSimilarResponse> => {
        const { incidentId, text, limit } = req.query;
        if ((incidentId === undefined) === (text === undefined)) throw new AppError('ASSIST_BAD_QUERY', 'bad_request', 'assist: give exactly one of incidentId and text', { param: 'incidentId' });
        const q = incidentId !== undefined ? assistant.get(incidentId) : assistant.queryOf(text as string);
        const rs = assistant.similar(q, (limit ?? SIMILAR_SHOWN) + (incidentId !== undefined ? 1 : 0)).filter((r) => r.incident.id !== incidentId);
        return { results: similarBody(rs.slice(0, limit ?? SIMILAR_SHOWN)) };
      },
    );

    app.get<{ Querystring: AssistIncidentsParams }>(
      '/api/assist/incidents',
      {
        schema: {
          summary: 'the incidents of the incident base, newest saved first, with how many match and how many it holds by source',
          tags: ['assist'],
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              source: { type: 'string', minLength: 1, maxLength: 200, description: 'only this source (vcdb, casie, hackmageddon, report …)' },
              q: { type: 'string', maxLength: 200, description: 'only incidents whose title or summary holds this text (any case)' },
              since: { ...timeExpr('only incidents saved at or after this'), minLength: 1 },
              limit: { type: 'integer', minimum: 1, maximum: INCIDENTS_PAGE_MAX, default: 50 },
              // bounded: a number past 2^53 reached SQLite's OFFSET as a float and failed with a 500 (fuzz seed 781002)
              offset: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 0, description: 'skip this many of the newest matches (at most 1,000,000,000)' },
            },
          },
          response: {
            200: {
              type: 'object',
              required: ['incidents', 'total', 'sources'],
              properties: {
                incidents: { type: 'array', items: incidentSummary },
                total: { type: 'integer', minimum: 0, description: 'how many match, past this page too' },
                sources: { type: 'object', additionalProperties: { type: 'integer' }, description: 'how many incidents the whole base holds, by source' },
              },
            },
            ...errorReplies,
          },
        },
      },
      async (req): Promise<AssistIncidentsResponse> => {
        const { source, q, since, limit, offset } = req.query;
        return assistant.incidents({ source, match: q, since: since === undefined ? undefined : instantFromParam('since', since, Date.now()), limit, offset });
      },
    );

    app.get<{ Params: { id: string } }>(
      '/api/assist/incidents/:id',
      {
        schema: {
          summary: 'one incident of the incident base: its text, labels, response and, for a saved report, the normalized record',
          tags: ['assist'],
          params: idParams,
          response: { 200: { type: 'object', required: ['incident', 'saved'], properties: { incident: anyObject, saved: incidentSummary.properties.saved } }, 404: errorBody, ...errorReplies },
        },
      },
      async (req): Promise<AssistIncidentResponse> => {
        const { incident, saved } = assistant.stored(req.params.id);
        return { incident: incident as unknown as Record<string, unknown>, saved };
      },
    );

    app.delete<{ Params: { id: string } }>(
      '/api/assist/incidents/:id',
      {
        onRequest: viewersRefused('removing an incident from the incident base'),
        schema: {
          summary: 'remove an incident from the incident base (analysts and admins): it is no similar incident or citation any more',
          tags: ['assist'],
          params: idParams,
          body: noBody,
          response: { 200: { type: 'object', required: ['deleted'], properties: { deleted: incidentSummary } }, 403: errorBody, 404: errorBody, ...errorReplies },
        },
      },
      async (req): Promise<AssistIncidentDeletedResponse> => {
        const deleted = assistant.remove(req.params.id);
        if (deleted === null) throw notInBase(req.params.id);
        // who removed what, never the report's words (the title is the report's summary)
        req.log.info({ user: req.principal?.user.name, principal: req.principal?.kind, incident: deleted.id, source: deleted.source }, 'incident removed from the incident base');
        return { deleted };
      },
    );

    app.post<{ Body: AssistChatBody }>(
      '/api/assist/chat',
      {
        schema: {
          summary: 'ask about an incident: what is this, what did we do last time, which hosts talked to this IP …; answers cite incidents and log lines',
          tags: ['assist'],
          body: {
            type: 'object',
            required: ['messages'],
            additionalProperties: false,
            properties: {
              incidentId: { type: 'string', maxLength: 200 },
              messages: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'object', required: ['role', 'content'], additionalProperties: false, properties: { role: { type: 'string', enum: ['user', 'assistant', 'system'] }, content: { type: 'string', maxLength: CHAT_MESSAGE_MAX } } } },
            },
          },
          response: {
            200: {
              type: 'object',
              required: ['answer', 'citations', 'intent', 'phrased', 'skipped'],
              properties: {
                answer: { type: 'string' },
                intent: { type: 'string' },
                phrased: { type: 'boolean' },
                unphrased: { type: 'string' },
                // the log searches behind the answer: not empty, the answer is partial (SEARCH_SHARDS_SKIPPED)
                skipped: skippedShards,
                citations: { type: 'array', items: { type: 'object', required: ['kind', 'ref', 'snippet'], properties: { kind: { type: 'string', enum: ['incident', 'log', 'pivot'] }, ref: { type: 'string' }, snippet: { type: 'string' }, search: { type: 'object', description: 'a log search that shows what the citation stands on (ms)', required: ['q', 'from', 'to'], properties: { q: { type: 'string' }, from: { type: 'number' }, to: { type: 'number' } } } } } },
              },
            },
            404: errorBody,
            ...errorReplies,
          },
        },
      },
      async (req): Promise<AssistChatResponse> => {
        try {
          return await assistant.chat(req.body.incidentId, req.body.messages);
        } catch (e) {
          if (isAppError(e)) throw e;
          throw new AppError('ASSIST_CHAT_FAILED', 'unavailable', 'assist: the answer could not be composed; see the server log', {}, e);
        }
      },
    );
  };
}
