/**
 * `GET /api/findings/clients?ids=…`: who each finding concerns, from the relation index over the
 * finding's evidence window: the addresses that asked for a URL finding's host (and the users behind
 * them; per address its HTTP/TLS requests, connections and DNS lookups counted apart), and who is behind a finding's own address when it is one of the network's (a scanning
 * workstation). The Alerts page asks for the rows it shows.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/index.js';
import { isFindingId, type FindingsStore } from '../../detect/index.js';
import { findingWho, VIA_NAMES_MAX, type Investigator } from '../../investigate/index.js';
import type { FindingClientsParams, FindingClientsResponse, FindingWho } from '../api.js';
import { errorReplies } from '../schemas.js';
import { identitySchema } from './pivot.js';

export const FINDING_CLIENTS_IDS_MAX = 100;
/** addresses listed per finding: requesters first, then those that only looked the name up; the most frequent first within each */
export const FINDING_CLIENTS_LIMIT = 5;

export interface FindingClientsDeps {
  findings: Pick<FindingsStore, 'get'>;
  investigator: Pick<Investigator, 'clients' | 'identity'>;
}

const identity = { ...identitySchema, type: ['object', 'null'] } as const;

function parseIds(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = parts.find((s) => !isFindingId(s));
  if (bad !== undefined || parts.length === 0) {
    throw new AppError('FINDINGS_IDS_INVALID', 'bad_request', `findings: ids must be finding ids (whole numbers ≥ 1), comma-separated; got ${JSON.stringify((bad ?? text).slice(0, 40))}`);
  }
  if (parts.length > FINDING_CLIENTS_IDS_MAX) {
    throw new AppError('FINDINGS_IDS_INVALID', 'bad_request', `findings: at most ${FINDING_CLIENTS_IDS_MAX} ids at once, got ${parts.length}; ask for the rest in another request`);
  }
  return [...new Set(parts.map(Number))];
}

export function findingClientsRoutes(deps: FindingClientsDeps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: FindingClientsParams }>(
      '/api/findings/clients',
      {
        schema: {
          summary: "who findings concern: the addresses that asked for a URL finding's host, and who is behind a finding's own address",
          description: `From the relation index over each finding's evidence window; at most ${FINDING_CLIENTS_IDS_MAX} ids, ${FINDING_CLIENTS_LIMIT} addresses each: those that requested the host or connected to it first (for a name, connections to an address it resolved to count, with \`via\`, unless more than ${VIA_NAMES_MAX} names share that address), then those that only looked its name up (DNS), the most frequent first within each.`,
          tags: ['detect'],
          querystring: {
            type: 'object',
            additionalProperties: false,
            required: ['ids'],
            properties: { ids: { type: 'string', minLength: 1, maxLength: 2000, description: 'finding ids, comma-separated' } },
          },
          response: {
            200: {
              type: 'object',
              required: ['who', 'missing'],
              properties: {
                who: {
                  type: 'object',
                  additionalProperties: {
                    type: 'object',
                    required: ['entity', 'total', 'clients', 'identity'],
                    properties: {
                      entity: { type: 'string' },
                      total: { type: 'integer' },
                      clients: {
                        type: 'array',
                        items: {
                          type: 'object',
                          required: ['entity', 'count', 'last', 'identity'],
                          properties: {
                            entity: { type: 'string' },
                            count: { type: 'integer', description: 'requests + connections + lookups' },
                            requests: { type: 'integer', description: 'HTTP/TLS requests for the host (proxy, URL-filter, HTTP and TLS logs)' },
                            connections: { type: 'integer', description: 'connections to the address (flows, blocked attempts); 0 for a name' },
                            lookups: { type: 'integer', description: 'DNS lookups of the name: resolved it, which is not a visit; 0 for an address' },
                            last: { type: 'integer' },
                            identity,
                            via: {
                              type: 'array',
                              items: { type: 'string' },
                              description: "a name's client that connected to addresses the name resolved to (counted in connections): those addresses; absent when it reached the name itself only",
                            },
                          },
                        },
                      },
                      identity,
                      truncated: { type: 'boolean' },
                      readFrom: { type: 'integer', description: 'truncated: the clients are those seen from here (ms) to the end of the range' },
                      addresses: { type: 'array', items: { type: 'string' }, description: 'a name: the addresses it resolved to in the window whose connections count as its clients\' (few names share each)' },
                      sharedAddresses: {
                        type: 'array',
                        items: { type: 'string' },
                        description: `a name: addresses it resolved to that more than ${VIA_NAMES_MAX} names share (a CDN, a hosting provider); their clients are not counted`,
                      },
                      timedOut: { type: 'boolean', description: "the question's time budget ran out: some relations were not read" },
                    },
                  },
                },
                missing: { type: 'array', items: { type: 'integer' } },
              },
            },
            ...errorReplies,
          },
        },
      },
      async (req): Promise<FindingClientsResponse> => {
        const out: FindingClientsResponse = { who: {}, missing: [] };
        for (const id of parseIds(req.query.ids)) {
          const f = deps.findings.get(id);
          if (f === null) {
            out.missing.push(id);
            continue;
          }
          let who: FindingWho | null;
          try {
            who = findingWho(deps.investigator, f, FINDING_CLIENTS_LIMIT);
          } catch (err) {
            // one finding the relation index cannot answer for (a file being rolled up, a bad span) says nothing; the rest answer
            req.log.warn({ err, finding: id }, 'findings clients: lookup failed');
            who = null;
          }
          if (who !== null) out.who[String(id)] = who;
        }
        return out;
      },
    );
  };
}
