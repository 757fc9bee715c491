/** The SYN detector's live board: `GET /api/detect/syn/hosts`, `GET /api/detect/syn/hosts/:ip` (with its image), WebSocket `/api/detect/syn/live`. */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/index.js';
import type { SynLiveBoard } from '../../detect/index.js';
import type { SynHostResponse, SynHostsResponse, SynLiveMessage } from '../api.js';
import { websocketOnly } from '../http-errors.js';
import { errorReplies } from '../schemas.js';
import { closeWhenRevoked } from '../auth.js';

const host = {
  type: 'object',
  required: ['ip', 'score', 'maxScore', 'packets', 'distinctPorts', 'distinctDsts', 'firstSeen', 'lastSeen', 'explanation'],
  properties: {
    ip: { type: 'string' },
    score: { type: 'number' },
    maxScore: { type: 'number' },
    packets: { type: 'integer' },
    distinctPorts: { type: 'integer' },
    distinctDsts: { type: 'integer' },
    firstSeen: { type: 'number' },
    lastSeen: { type: 'number' },
    explanation: { type: 'object', required: ['summary'], properties: { summary: { type: 'string' }, detail: {} } },
  },
} as const;

const stats = {
  type: 'object',
  required: ['threshold', 'packets', 'tracked', 'maxHosts', 'evicted', 'evictedUnscored', 'backlog', 'ignoredPackets'],
  properties: {
    threshold: { type: 'number' },
    packets: { type: 'integer' },
    tracked: { type: 'integer' },
    maxHosts: { type: 'integer' },
    evicted: { type: 'integer' },
    evictedUnscored: { type: 'integer' },
    backlog: { type: 'integer' },
    ignoredPackets: { type: 'integer' },
  },
} as const;

/** Most hosts one WebSocket message carries (the rest come in the next ones). */
const LIVE_MAX = 500;

export function detectSynRoutes(board: SynLiveBoard) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: { sort?: 'score' | 'packets' | 'ip' | 'lastSeen'; order?: 'asc' | 'desc'; limit?: number; minPackets?: number } }>(
      '/api/detect/syn/hosts',
      {
        schema: {
          summary: 'source hosts seen in TCP SYNs with their malicious-host probability',
          tags: ['detect'],
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              sort: { type: 'string', enum: ['score', 'packets', 'ip', 'lastSeen'], default: 'score' },
              order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
              limit: { type: 'integer', minimum: 1, maximum: 5000, default: 200 },
              minPackets: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1, description: 'leave out hosts with fewer SYNs (3: hide a flood\'s one- and two-SYN sources)' },
            },
          },
          response: { 200: { type: 'object', required: ['hosts', 'updatedAt', 'stats'], properties: { hosts: { type: 'array', items: host }, updatedAt: { type: 'number' }, stats } }, ...errorReplies },
        },
      },
      async (req): Promise<SynHostsResponse> => ({ hosts: board.list(req.query), updatedAt: board.updatedAt, stats: board.stats() }),
    );

    app.get<{ Params: { ip: string } }>(
      '/api/detect/syn/hosts/:ip',
      {
        schema: {
          summary: 'one source host with its image (rows = its latest SYNs, columns = fields) and per-pixel saliency',
          tags: ['detect'],
          params: { type: 'object', required: ['ip'], properties: { ip: { type: 'string', maxLength: 64 } } },
          response: {
            200: {
              type: 'object',
              required: ['host', 'image', 'saliency'],
              properties: {
                host,
                image: {
                  type: 'object',
                  required: ['rows', 'cols', 'pixels', 'rowLabel', 'colGroups'],
                  properties: {
                    rows: { type: 'integer' },
                    cols: { type: 'integer' },
                    pixels: { type: 'array', items: { type: 'number' } },
                    rowLabel: { type: 'string' },
                    colGroups: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, from: { type: 'integer' }, to: { type: 'integer' } } } },
                  },
                },
                saliency: { type: 'array', items: { type: 'number' } },
              },
            },
            404: errorReplies[400],
            ...errorReplies,
          },
        },
      },
      async (req): Promise<SynHostResponse> => {
        const h = board.host(req.params.ip);
        if (h === null && board.ignores(req.params.ip)) throw new AppError('SYN_HOST_NOT_FOUND', 'not_found', `syn board: ${req.params.ip} is on syn.ignore, so its SYNs are not scored (remove it from the config to see it here)`);
        if (h === null) throw new AppError('SYN_HOST_NOT_FOUND', 'not_found', `syn board: no host ${req.params.ip} (never seen, or evicted after going idle)`);
        return h;
      },
    );

    app.route({
      method: 'GET',
      url: '/api/detect/syn/live',
      schema: {
        summary: 'WebSocket: hosts whose probability changed, at most every 500 ms',
        description: `Server messages: {type:"hosts",hosts:[…changed hosts, ≤${LIVE_MAX}…],updatedAt,stats}. The first message lists the current top hosts.`,
        tags: ['detect'],
      },
      // a plain GET gets a JSON 400 (the plugin's `websocket: true` answered an empty 404 and hid the route from /docs)
      wsHandler: (socket, req) => {
        const send = (hosts: SynHostsResponse['hosts'], updatedAt: number): void => {
          for (let i = 0; i < hosts.length || i === 0; i += LIVE_MAX) {
            const msg: SynLiveMessage = { type: 'hosts', hosts: hosts.slice(i, i + LIVE_MAX), updatedAt, stats: board.stats() };
            socket.send(JSON.stringify(msg));
          }
        };
        send(board.list({ limit: LIVE_MAX }), board.updatedAt);
        const off = board.onChange((changed, at) => {
          // a slow client skips updates rather than queueing them without bound
          if (socket.bufferedAmount > 4 * 1024 * 1024) return;
          send(changed, at);
        });
        const stopChecking = closeWhenRevoked(socket, req);
        socket.on('close', () => {
          off();
          stopChecking();
        });
        socket.on('error', (err) => req.log.info({ err }, 'syn live socket error'));
      },
      handler: websocketOnly,
    });
  };
}
