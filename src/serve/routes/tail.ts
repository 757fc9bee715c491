/**
 * WebSocket `GET /api/tail?q=`: new events as they are committed, filtered by a query, batched and
 * sampled by the TailHub. Authenticated like every /api route (session cookie, or a Bearer header for
 * non-browser clients; @fastify/websocket is registered once in app.ts). The client may send `{"type":"query","q":"…"}` to change its filter.
 */
import type { FastifyInstance } from 'fastify';
import { AppError, isAppError } from '../../core/index.js';
import type { TailServerMessage } from '../api.js';
import { keepAlive, sendBeats, type TailClient, type TailHub } from '../tail/index.js';
import { closeWhenRevoked } from '../auth.js';
import { websocketOnly } from '../http-errors.js';
import { websocketReplies } from '../schemas.js';

/**
 * Close codes: 1008 policy violation (a bad query or message, queries too often), 1013 try again
 * later (full; the hub's own close of a client that does not read, WS_CLIENT_TOO_SLOW), 1001
 * WS_PONG_TIMEOUT (the heartbeat's close of a client that stopped answering pings).
 */
const CLOSE_BAD_INPUT = 1008;
const CLOSE_FULL = 1013;

interface Closable {
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

function fail(socket: Closable, e: unknown): void {
  const err = isAppError(e) && e.kind !== 'internal' ? e : new AppError('WS_BAD_MESSAGE', 'bad_request', 'tail: the message could not be handled');
  const msg: TailServerMessage = { type: 'error', error: { code: err.code, message: err.message } };
  socket.send(JSON.stringify(msg));
  socket.close(err.kind === 'too_many_requests' && err.code !== 'WS_TOO_MANY_QUERIES' ? CLOSE_FULL : CLOSE_BAD_INPUT, err.code);
}

function parseClientMessage(data: unknown): string {
  let msg: unknown;
  try {
    msg = JSON.parse(String(data));
  } catch {
    msg = null;
  }
  const m = msg as { type?: unknown; q?: unknown } | null;
  if (m === null || typeof m !== 'object' || m.type !== 'query' || typeof m.q !== 'string') {
    throw new AppError('WS_BAD_MESSAGE', 'bad_request', 'tail: a client message must be {"type":"query","q":"<query>"}');
  }
  return m.q;
}

/**
 * Live tails one user (or the API token) may hold open: the hub's 32 are shared by everyone, and a
 * security review's viewer took them all, so that nobody else could open one.
 */
export const TAIL_MAX_PER_USER = 8;

/**
 * A `heartbeat` message this often, lines or not. A filter that matches rarely is silent for hours, so
 * silence alone told a page nothing, and a connection a proxy or a lost peer held open left the Live
 * page "streaming" while no line could come. The page connects again after six missed.
 */
export const TAIL_BEAT_MS = 10_000;

export function tailRoutes(hub: TailHub, maxPerUser = TAIL_MAX_PER_USER, beatMs = TAIL_BEAT_MS) {
  const perUser = new Map<string, number>();
  return async function register(app: FastifyInstance): Promise<void> {
    app.addHook('onClose', async () => hub.close());
    app.route<{ Querystring: { q?: string } }>({
      method: 'GET',
      url: '/api/tail',
      schema: {
        summary: 'WebSocket: live tail of committed lines, filtered by a query',
        description:
          `Server messages: {type:"ready",q}, {type:"events",events:[{time,receivedAt,source,host,line,truncated?,fullLength?}],seen,sent,received,examined} at most every 250 ms (≤500 events and about 256 KiB, newest last; a line over 16 KiB is cut, with truncated:true and its fullLength), {type:"heartbeat",at,intervalMs} every intervalMs (${beatMs} ms here) whatever came (at: the server's clock), {type:"error",error:{code,message}} then close. The server pings every 30 s (by default) and closes (1001 WS_PONG_TIMEOUT) a client that left 2 in a row unanswered (browsers answer by themselves). Client message: {type:"query",q}, at most 10 a second.`,
        tags: ['search'],
        querystring: { type: 'object', additionalProperties: false, properties: { q: { type: 'string', maxLength: 4096 } } },
        response: websocketReplies,
      },
      // a plain GET gets a JSON 400 (the plugin's `websocket: true` answered an empty 404 and hid the route from /docs)
      wsHandler: (socket, req) => {
        const who = `${req.principal?.kind ?? ''}:${req.principal?.user.name ?? ''}`;
        const mine = perUser.get(who) ?? 0;
        if (mine >= maxPerUser) {
          fail(socket, new AppError('WS_TOO_MANY_CLIENTS', 'too_many_requests', `tail: ${req.principal?.user.name ?? 'this user'} has ${maxPerUser} live tails open already; close one and retry`, { max: maxPerUser }));
          return;
        }
        perUser.set(who, mine + 1);
        let client: TailClient | null = null;
        // once refused or closed by the hub, what the client still sends (a flood, say) is not read
        let failed = false;
        socket.on('message', (data) => {
          if (client === null || failed || client.closed) return;
          try {
            hub.setQuery(client, parseClientMessage(data));
          } catch (e) {
            failed = true;
            hub.remove(client);
            fail(socket, e);
          }
        });
        const stopChecking = closeWhenRevoked(socket, req);
        const { intervalMs, maxMissed } = hub.heartbeat;
        const stopPinging = keepAlive(socket, hub.heartbeat, (missed) =>
          req.log.info({ missed, intervalMs, maxMissed }, `websocket closed: no pong to ${missed} pings ${intervalMs} ms apart (WS_PONG_TIMEOUT)`),
        );
        const stopBeats = sendBeats(socket, beatMs);
        socket.on('close', () => {
          stopBeats();
          const left = (perUser.get(who) ?? 1) - 1;
          if (left > 0) perUser.set(who, left);
          else perUser.delete(who);
          stopChecking();
          stopPinging();
          if (client !== null) hub.remove(client);
        });
        socket.on('error', (err) => req.log.info({ err }, 'tail socket error'));
        try {
          client = hub.add(socket, req.query.q ?? '');
        } catch (e) {
          fail(socket, e);
        }
      },
      handler: websocketOnly,
    });
  };
}
