/**
 * `GET /api/findings` and `GET /api/findings/:id`: what the detectors found, newest or highest first;
 * `PATCH /api/findings/:id`: a person's triage of one (any logged-in user or the API token): its
 * status, who it is assigned to (a user of this server), or both; `PATCH /api/findings` of many at once,
 * `PATCH /api/findings/matching` of every one a filter matches;
 * `GET /api/findings/counts`: how many in each status (the Alerts page's filter);
 * `GET /api/findings/:id/history`: who changed its status, when, to what;
 * `GET /api/findings/assignees`: the names findings may be assigned to (analysts and admins).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../core/index.js';
import { findingUrl, FINDING_STATUSES, FINDINGS_PAGE_MAX, FINDINGS_SORTS, parseStatuses, TRIAGE_MATCH_MAX, TRIAGE_NOTE_MAX, type FindingChange, type FindingsQuery, type FindingsStore, type TriageMatch } from '../../detect/index.js';
import { canTriage, viewerAssignee, type Role } from '../users/index.js';
import type { FindingAssigneesResponse, FindingMatchTriageRequest, FindingMatchTriageResponse, FindingBulkTriageRequest, FindingBulkTriageResponse, FindingHistoryResponse, FindingCountsParams, FindingCountsResponse, FindingsParams, FindingsResponse, FindingBody, FindingTriageRequest } from '../api.js';
import { errorReplies, timeExpr, timeParams } from '../schemas.js';
import { instantFromParam, rangeFromParams } from '../time-params.js';
import { viewersRefused } from '../read-only.js';
import { parseEntity } from '../../investigate/index.js';

/**
 * An `entity` filter as findings name it, however a person wrote it: a URL in the finding's form
 * (`findingUrl`), anything else as a pivot reads it (a bare address is `ip:`, a bare name `domain:`, an
 * IPv6 address in its short form, a name in lower case); as given when neither knows it. A review's
 * `?entity=205.111.203.112` listed nothing beside the open finding on `ip:205.111.203.112`.
 */
function findingEntity(text: string): string {
  const t = text.trim();
  if (/^url:/i.test(t)) return `url:${findingUrl(t.slice(4))}`;
  try {
    return parseEntity(t).key;
  } catch {
    return t;
  }
}

export interface FindingsRouteDeps {
  findings: Pick<FindingsStore, 'list' | 'get' | 'changeMany' | 'changeMatching' | 'counts' | 'history'>;
  /** the server's users, whom findings are assigned to (analysts and admins: a viewer cannot triage); absent (Bearer tokens only): nobody to assign to */
  users?: { get(name: string): { role: Role } | null; list(): readonly { name: string; role: Role }[] };
  now: () => number;
}

const finding = {
  type: 'object',
  required: ['id', 'detector', 'entity', 'score', 'threshold', 'modelVersion', 'time', 'firstSeen', 'lastSeen', 'count', 'explanation', 'evidence'],
  properties: {
    id: { type: 'integer' },
    detector: { type: 'string' },
    entity: { type: 'string' },
    score: { type: 'number' },
    threshold: { type: 'number' },
    modelVersion: { type: 'string' },
    time: { type: 'integer' },
    firstSeen: { type: 'integer' },
    lastSeen: { type: 'integer' },
    count: { type: 'integer' },
    sightedAt: { type: 'integer' },
    explanation: { type: 'object', required: ['summary'], properties: { summary: { type: 'string' }, detail: {} } },
    evidence: {
      type: 'object',
      required: ['query', 'from', 'to'],
      properties: {
        query: { type: 'string' },
        from: { type: 'integer' },
        to: { type: 'integer' },
        source: { type: 'object', required: ['kind', 'name'], properties: { kind: { type: 'string', enum: ['interface', 'replay'] }, name: { type: 'string' } } },
      },
    },
    board: { type: 'string' },
    triage: {
      type: 'object',
      required: ['status', 'note', 'by', 'at', 'reopenedAt'],
      properties: {
        status: { type: 'string', enum: FINDING_STATUSES },
        note: { type: 'string' },
        by: { type: ['string', 'null'] },
        at: { type: ['integer', 'null'] },
        reopenedAt: { type: ['integer', 'null'] },
        assignee: { type: ['string', 'null'], description: 'the user the finding is assigned to; null while nobody is' },
        assignedAt: { type: ['integer', 'null'], description: 'when it was last assigned or unassigned (ms)' },
      },
    },
  },
} as const;

/** the longest `entity` filter taken: as long as a query string may be (the server reads 16 KiB of headers) */
const ENTITY_PARAM_MAX = 16_384;

/** `/api/findings/:id`: a finding's id. */
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } } } as const;

/** Who a triage is recorded as: the logged-in user, or `api-token` (every route here is authenticated). */
const actor = (req: FastifyRequest): string => req.principal?.user.name ?? 'unknown';

/** the longest user name (users/store.ts) */
const USER_NAME_MAX = 64;

/** The `assignee` filter: a user name, `me` (the caller), `none` (assigned to nobody). */
const assigneeFilter = { type: 'string', minLength: 1, maxLength: USER_NAME_MAX, description: 'only the findings assigned to this user; me: to the caller; none: to nobody' } as const;

/** `assignee=` as the store takes it: `me` the caller's name, `none` null, a name as it is (one removed since still lists its findings). */
const assigneeOf = (text: string, req: FastifyRequest): string | null => (text === 'me' ? actor(req) : text === 'none' ? null : text);

/** The `assignee` of a change: a user of this server, or null for nobody. */
const assigneeBody = { type: ['string', 'null'], minLength: 1, maxLength: USER_NAME_MAX, description: 'a user of this server to assign the findings to (their status stays as it is); null: to nobody' } as const;

/**
 * A change as the store takes it, its assignee checked to be one of the server's users: a typo would
 * hand a finding to nobody who sees it as theirs. FINDINGS_ASSIGNEE_UNKNOWN otherwise.
 */
function changeOf(body: FindingTriageRequest, users: FindingsRouteDeps['users']): FindingChange {
  const change: FindingChange = {};
  if (body.status !== undefined) change.status = body.status;
  if (body.note !== undefined) {
    if (body.status === undefined) throw new AppError('FINDINGS_INVALID', 'bad_request', 'findings: a note goes with a status, and none was given; send the status with it, or leave the note out');
    change.note = body.note;
  }
  const name = body.assignee;
  if (name !== undefined && name !== null) {
    if (users === undefined) throw new AppError('FINDINGS_ASSIGNEE_UNKNOWN', 'bad_request', `findings: this server has no user accounts (API tokens only), so there is nobody to assign findings to; leave assignee out`, { assignee: name });
    const user = users.get(name);
    if (user === null) {
      throw new AppError('FINDINGS_ASSIGNEE_UNKNOWN', 'bad_request', `findings: no user '${name}' to assign to; name a user of this server (an admin lists them on the Users page or with 'nml user list'), or send assignee null to unassign`, { assignee: name });
    }
    if (!canTriage(user.role)) throw viewerAssignee(name);
  }
  if (name !== undefined) change.assignee = name;
  return change;
}

export function findingsRoutes(deps: FindingsRouteDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: FindingsParams }>(
      '/api/findings',
      {
        schema: {
          summary: 'findings of the detectors: newest event (sort=lastSeen), highest score (sort=score), most recently raised or seen again (sort=sighted) or most recently triaged (sort=triaged) first',
          tags: ['detect'],
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              detector: { type: 'string', maxLength: 32 },
              entity: { type: 'string', minLength: 1, maxLength: ENTITY_PARAM_MAX, description: 'only the findings of this entity, exactly as listed (`ip:192.0.2.7`, `url:…`)' },
              status: { type: 'string', maxLength: 200 },
              minScore: { type: 'number', minimum: 0, maximum: 1 },
              sort: {
                type: 'string',
                enum: [...FINDINGS_SORTS],
                description:
                  'lastSeen (default): newest event first; score: highest first; sighted: most recently raised or seen again first; triaged: the one whose status a person set last first (triage.at), then those nobody has set, most recently raised first; id: most recently raised first. Only id never changes while you page: with the others a finding seen again meanwhile moves ahead of the cursor and is not met on this pass, so a script that must visit every finding once pages with sort=id',
              },
              triagedSince: { ...timeExpr('only findings whose status a person set at or after this (triage.at), e.g. -12h for the shift before'), minLength: 1 },
              assignee: assigneeFilter,
              limit: { type: 'integer', minimum: 1, maximum: FINDINGS_PAGE_MAX },
              cursor: { type: 'string', maxLength: 256 },
              ...timeParams,
            },
          },
          response: { 200: { type: 'object', required: ['findings', 'readAt'], properties: { findings: { type: 'array', items: finding }, next: { type: 'string' }, readAt: { type: 'integer' } } }, ...errorReplies },
        },
      },
      async (req): Promise<FindingsResponse> => {
        const q = req.query;
        const query: FindingsQuery = { sort: q.sort ?? 'lastSeen', limit: q.limit ?? 50 };
        if (q.detector !== undefined) query.detector = q.detector;
        if (q.entity !== undefined) query.entity = findingEntity(q.entity);
        if (q.status !== undefined) query.status = parseStatuses(q.status, 'findings');
        if (q.minScore !== undefined) query.minScore = q.minScore;
        if (q.cursor !== undefined) query.cursor = q.cursor;
        if (q.triagedSince !== undefined) query.triagedSince = instantFromParam('triagedSince', q.triagedSince, deps.now());
        if (q.assignee !== undefined) query.assignee = assigneeOf(q.assignee, req);
        if (q.from !== undefined || q.to !== undefined) {
          const range = rangeFromParams(q, deps.now());
          if (range.from !== null) query.from = range.from;
          if (range.to !== null) query.to = range.to;
        }
        return deps.findings.list(query) as FindingsResponse;
      },
    );
    app.get(
      '/api/findings/assignees',
      {
        schema: {
          summary: 'the names findings may be assigned to: the users who can triage (analysts and admins), by name; nothing else of them',
          tags: ['detect'],
          response: { 200: { type: 'object', required: ['assignees'], properties: { assignees: { type: 'array', items: { type: 'string' } } } }, ...errorReplies },
        },
      },
      async (): Promise<FindingAssigneesResponse> => ({ assignees: (deps.users?.list() ?? []).filter((u) => canTriage(u.role)).map((u) => u.name) }),
    );
    app.get<{ Querystring: FindingCountsParams }>(
      '/api/findings/counts',
      {
        schema: {
          summary: 'how many findings are in each triage status (of one detector, of one entity, at or above a score, triaged since, of an assignee, when asked: the filters of GET /api/findings but status)',
          tags: ['detect'],
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              detector: { type: 'string', maxLength: 32 },
              entity: { type: 'string', minLength: 1, maxLength: ENTITY_PARAM_MAX },
              minScore: { type: 'number', minimum: 0, maximum: 1 },
              triagedSince: { ...timeExpr('only findings whose status a person set at or after this, as GET /api/findings takes it'), minLength: 1 },
              assignee: assigneeFilter,
            },
          },
          response: {
            200: {
              type: 'object',
              required: ['counts'],
              properties: { counts: { type: 'object', required: [...FINDING_STATUSES], properties: Object.fromEntries(FINDING_STATUSES.map((st) => [st, { type: 'integer' }])) } },
            },
            ...errorReplies,
          },
        },
      },
      async (req): Promise<FindingCountsResponse> => {
        const { detector, entity, minScore, triagedSince, assignee } = req.query;
        const q: Parameters<FindingsRouteDeps['findings']['counts']>[0] = {};
        if (detector !== undefined) q.detector = detector;
        if (entity !== undefined) q.entity = findingEntity(entity);
        if (minScore !== undefined) q.minScore = minScore;
        if (triagedSince !== undefined) q.triagedSince = instantFromParam('triagedSince', triagedSince, deps.now());
        if (assignee !== undefined) q.assignee = assigneeOf(assignee, req);
        return { counts: deps.findings.counts(q) };
      },
    );
    app.get<{ Params: { id: number } }>(
      '/api/findings/:id',
      {
        schema: {
          summary: 'one finding',
          tags: ['detect'],
          params: idParams,
          response: { 200: finding, 404: errorReplies[400], ...errorReplies },
        },
      },
      async (req): Promise<FindingBody> => {
        const f = deps.findings.get(req.params.id);
        if (f === null) throw new AppError('FINDINGS_NOT_FOUND', 'not_found', `no finding with id ${req.params.id}: list them with GET /api/findings`);
        return f as FindingBody;
      },
    );
    app.get<{ Params: { id: number } }>(
      '/api/findings/:id/history',
      {
        schema: {
          summary: "a finding's status and assignee changes, oldest first: each person's, and each sighting that opened a resolved finding again (the newest 100)",
          tags: ['detect'],
          params: idParams,
          response: {
            200: {
              type: 'object',
              required: ['history'],
              properties: {
                history: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['at', 'by', 'status', 'note', 'cause'],
                    properties: {
                      at: { type: 'integer' },
                      by: { type: ['string', 'null'] },
                      status: { type: 'string', enum: FINDING_STATUSES },
                      note: { type: 'string' },
                      cause: { type: 'string', enum: ['person', 'sighting', 'assignment', 'user-removed', 'user-demoted'] },
                      assignee: { type: ['string', 'null'], description: "an assignment's: the user it assigned the finding to, null when it unassigned it; a user-removed's or user-demoted's: null" },
                      removedUser: { type: 'string', description: "a user-removed's: the user whose removal unassigned the finding (by: who removed them)" },
                      demotedUser: { type: 'string', description: "a user-demoted's: the user made a viewer, which unassigned the finding (by: who changed their role)" },
                    },
                  },
                },
              },
            },
            404: errorReplies[400],
            ...errorReplies,
          },
        },
      },
      async (req): Promise<FindingHistoryResponse> => {
        const history = deps.findings.history(req.params.id);
        if (history === null) throw new AppError('FINDINGS_NOT_FOUND', 'not_found', `no finding with id ${req.params.id}: list them with GET /api/findings`);
        return { history };
      },
    );
    app.patch<{ Body: FindingBulkTriageRequest }>(
      '/api/findings',
      {
        onRequest: viewersRefused('triaging findings'),
        schema: {
          summary: 'sets the triage of many findings at once (at most 1,000): the same status, and the same note when one is given; the same assignee; or both',
          description:
            'A finding that already stands so (that status, and that note when one is given, not reopened since; that assignee) is left as it is, with no history entry: its id is in `unchanged`, and it is in `findings` too. The assignee must be a user of this server (FINDINGS_ASSIGNEE_UNKNOWN); a status or an assignee must be given (FINDINGS_INVALID).',
          tags: ['detect'],
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['ids'],
            properties: {
              ids: { type: 'array', minItems: 1, maxItems: FINDINGS_PAGE_MAX, items: { type: 'integer', minimum: 1 } },
              status: { type: 'string', enum: FINDING_STATUSES },
              note: { type: 'string', maxLength: TRIAGE_NOTE_MAX },
              assignee: assigneeBody,
            },
          },
          response: { 200: { type: 'object', required: ['findings', 'missing'], properties: { findings: { type: 'array', items: finding }, unchanged: { type: 'array', items: { type: 'integer' } }, missing: { type: 'array', items: { type: 'integer' } } } }, ...errorReplies, 403: errorReplies[400] },
        },
      },
      async (req): Promise<FindingBulkTriageResponse> => {
        const by = actor(req);
        const r = deps.findings.changeMany(req.body.ids, changeOf(req.body, deps.users), by, deps.now());
        req.log.info({ user: by, findings: r.findings.length - r.unchanged.length, unchanged: r.unchanged.length, missing: r.missing.length, status: req.body.status, assignee: req.body.assignee, noteLength: req.body.note?.length ?? null }, 'findings triaged');
        return r as FindingBulkTriageResponse;
      },
    );
    app.patch<{ Body: FindingMatchTriageRequest }>(
      '/api/findings/matching',
      {
        onRequest: viewersRefused('triaging findings'),
        schema: {
          summary: `sets the triage (status, assignee or both) of every finding a filter matches (at most ${TRIAGE_MATCH_MAX}), as the Alerts page's "all that match"`,
          description:
            'Findings recorded, seen again, triaged or assigned after `match.readAt` (the `readAt` of the list the person decided on) are left as they are: they came, came back or changed since. `match` takes the filters of GET /api/findings but entity, sort and time; a relative `triagedSince` (-12h) is read at `readAt`, as the list was.',
          tags: ['detect'],
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['match'],
            properties: {
              match: {
                type: 'object',
                additionalProperties: false,
                required: ['readAt'],
                properties: {
                  status: { type: 'string', maxLength: 200 },
                  detector: { type: 'string', maxLength: 32 },
                  minScore: { type: 'number', minimum: 0, maximum: 1 },
                  triagedSince: { ...timeExpr('only findings whose status a person set at or after this, as GET /api/findings takes it (a relative time is read at readAt)'), minLength: 1 },
                  assignee: assigneeFilter,
                  readAt: { type: 'integer' },
                },
              },
              status: { type: 'string', enum: FINDING_STATUSES },
              note: { type: 'string', maxLength: TRIAGE_NOTE_MAX },
              assignee: assigneeBody,
            },
          },
          response: { 200: { type: 'object', required: ['changed'], properties: { changed: { type: 'integer' } } }, ...errorReplies, 403: errorReplies[400] },
        },
      },
      async (req): Promise<FindingMatchTriageResponse> => {
        const by = actor(req);
        const m = req.body.match;
        const match: TriageMatch = { readAt: m.readAt };
        if (m.status !== undefined) match.status = parseStatuses(m.status, 'findings');
        if (m.detector !== undefined) match.detector = m.detector;
        if (m.minScore !== undefined) match.minScore = m.minScore;
        // at readAt, as the list the person decided on read it: -12h then is not -12h now
        if (m.triagedSince !== undefined) match.triagedSince = instantFromParam('match.triagedSince', m.triagedSince, m.readAt);
        if (m.assignee !== undefined) match.assignee = assigneeOf(m.assignee, req);
        const changed = deps.findings.changeMatching(match, changeOf(req.body, deps.users), by, deps.now());
        req.log.info({ user: by, findings: changed, match: { ...m }, status: req.body.status, assignee: req.body.assignee, noteLength: req.body.note?.length ?? null }, 'findings triaged by filter');
        return { changed };
      },
    );
    app.patch<{ Params: { id: number }; Body: FindingTriageRequest }>(
      '/api/findings/:id',
      {
        onRequest: viewersRefused('triaging findings'),
        schema: {
          summary: "sets a finding's triage: open, acknowledged, resolved or false-positive, with a note; or who it is assigned to; or both",
          description:
            'A sighting after `resolved` opens the finding again; `acknowledged` and `false-positive` stay, and sightings still count. Assigning (`assignee`: a user of this server, or null for nobody) leaves the status as it is and is kept in the history.',
          tags: ['detect'],
          params: idParams,
          body: {
            type: 'object',
            additionalProperties: false,
            properties: { status: { type: 'string', enum: FINDING_STATUSES }, note: { type: 'string', maxLength: TRIAGE_NOTE_MAX }, assignee: assigneeBody },
          },
          response: { 200: finding, 404: errorReplies[400], ...errorReplies, 403: errorReplies[400] },
        },
      },
      async (req): Promise<FindingBody> => {
        const by = actor(req);
        const f = deps.findings.changeMany([req.params.id], changeOf(req.body, deps.users), by, deps.now()).findings[0];
        if (f === undefined) throw new AppError('FINDINGS_NOT_FOUND', 'not_found', `no finding with id ${req.params.id}: list them with GET /api/findings`);
        // the note is the person's free text: its length is logged, never the text
        req.log.info({ user: by, finding: f.id, detector: f.detector, status: f.triage.status, assignee: f.triage.assignee, noteLength: f.triage.note.length }, 'finding triaged');
        return f as FindingBody;
      },
    );
  };
}
