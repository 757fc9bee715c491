/** The SYN detector's live board: `GET /api/detect/syn/hosts`, `GET /api/detect/syn/hosts/:ip` (with its image), WebSocket `/api/detect/syn/live`. */
import type { FastifyInstance } from 'fastify';
import { AppError, parseIp } from '../../core/index.js';
import type { SynLiveBoard } from '../../detect/index.js';
import type { SynHostResponse, SynHostsResponse, SynLiveMessage } from '../api.js';
import { websocketOnly } from '../http-errors.js';
import { HEARTBEAT_DEFAULTS, keepAlive, sendBeats, type HeartbeatOptions } from '../tail/index.js';
import { errorReplies, websocketReplies } from '../schemas.js';
import { closeWhenRevoked } from '../auth.js';

const host = {
  type: 'object',
  required: ['ip', 'score', 'maxScore', 'packets', 'distinctPorts', 'distinctDsts', 'firstSeen', 'lastSeen', 'idle', 'explanation'],
  properties: {
    ip: { type: 'string' },
    score: { type: 'number' },
    maxScore: { type: 'number' },
    packets: { type: 'integer' },
    distinctPorts: { type: 'integer' },
    distinctDsts: { type: 'integer' },
    firstSeen: { type: 'number' },
    lastSeen: { type: 'number' },
    idle: { type: 'boolean', description: 'off the live board (no SYN for the idle time, or pushed off a full board), listed because it is a finding: kept keepMs after its last SYN, at most maxKept (stats)' },
    explanation: { type: 'object', required: ['summary'], properties: { summary: { type: 'string' }, detail: {} } },
  },
} as const;

const stats = {
  type: 'object',
  required: ['threshold', 'packets', 'tracked', 'maxHosts', 'evicted', 'evictedUnscored', 'backlog', 'ignoredPackets', 'aheadPackets', 'source', 'kept', 'maxKept', 'keepMs', 'captureNow'],
  properties: {
    threshold: { type: 'number' },
    packets: { type: 'integer' },
    tracked: { type: 'integer' },
    maxHosts: { type: 'integer' },
    evicted: { type: 'integer' },
    evictedUnscored: { type: 'integer' },
    backlog: { type: 'integer' },
    ignoredPackets: { type: 'integer' },
    aheadPackets: { type: 'integer', description: "SYNs stamped further ahead of the board's capture time than its idle time (a corrupt record, a wrong clock), not scored" },
    source: {
      type: ['object', 'null'],
      description: 'what feeds the board: an interface (restarting after tcpdump exited, with why) or a replayed capture; null when nothing does',
      required: ['kind', 'name', 'state', 'error', 'restarts'],
      properties: {
        kind: { type: 'string', enum: ['interface', 'replay'] },
        name: { type: 'string' },
        state: { type: 'string', enum: ['starting', 'running', 'restarting', 'ended', 'failed'] },
        error: { type: ['string', 'null'] },
        restarts: { type: 'integer' },
      },
    },
    kept: { type: 'integer', description: 'findings off the live board, listed as idle (not in tracked)' },
    maxKept: { type: 'integer', description: 'most findings so kept (syn.maxKeptFindings)' },
    keepMs: { type: 'number', description: 'ms of capture time a finding is kept after its last SYN (syn.keepFindingsHours)' },
    captureNow: { type: ['number', 'null'], description: "the board's capture time, ms since the epoch (null before a SYN): hosts' lastSeen are on this clock; for a replayed capture measure how long ago from it, not from the wall clock" },
  },
} as const;

const counted = (key: 'port' | 'ip') =>
  ({
    type: 'array',
    items: {
      type: 'object',
      required: [key, 'syns', 'over'],
      properties: {
        [key]: key === 'port' ? { type: 'integer' } : { type: 'string' },
        syns: { type: 'integer', description: 'SYNs the host sent to it (at most; at least syns - over)' },
        over: { type: 'integer', description: 'how much syns may be too high: 0 while the host has sent to at most 32 distinct values, past which the board keeps 32 counters' },
      },
    },
  }) as const;

/** What a host sent its SYNs to (the host panel's lists): the board's SynHostTargets. */
const targets = {
  type: 'object',
  description: 'the destination ports and addresses the host sent most SYNs to (at most 10 each, most first; past 32 distinct values only counts known to be 2 or more), from 32 counters per host for each, and how many distinct ones are not listed',
  required: ['ports', 'morePorts', 'portRuns', 'morePortRuns', 'dsts', 'moreDsts', 'dstsExact'],
  properties: {
    ports: counted('port'),
    morePorts: { type: 'integer', description: 'distinct ports not listed (exact)' },
    portRuns: {
      type: 'array',
      description: 'every port the host sent SYNs to, as runs of consecutive ports, lowest first (exact; at most 16 runs)',
      items: { type: 'object', required: ['from', 'to'], properties: { from: { type: 'integer' }, to: { type: 'integer' } } },
    },
    morePortRuns: { type: 'integer', description: 'runs left out of portRuns' },
    dsts: counted('ip'),
    moreDsts: { type: 'integer', description: 'distinct addresses not listed: estimated (within about 1%) when dstsExact is false, past 256 addresses' },
    dstsExact: { type: 'boolean' },
  },
} as const;

/**
 * The board's key for an address as a client may spell it: the board keys hosts by the capture reader's
 * text (RFC 5952 for IPv6, `::ffff:1.2.3.4` for IPv4-mapped), which core's `parseIp` writes too, so
 * `2001:DB8::A`, `2001:0db8:0:0:0:0:0:000a` or `::ffff:102:304` find the host its canonical form does.
 */
function boardAddress(param: string): string {
  const ip = parseIp(param);
  if (ip === null) {
    throw new AppError('HTTP_BAD_REQUEST', 'bad_request', `request: path parameter ip '${param}' is not an IP address; give a source address as GET /api/detect/syn/hosts lists it (192.0.2.7, 2001:db8::7)`, { in: 'params', param: 'ip' });
  }
  return ip.text;
}

/** Most hosts one WebSocket message carries (the rest come in the next ones). */
const LIVE_MAX = 500;

/**
 * Live board sockets open at once, over all users: each is sent every change. A security review opened
 * 300 with one token; past this one more is told so and closed (1013, WS_TOO_MANY_CLIENTS), as the tail's.
 */
export const SYN_LIVE_MAX_CLIENTS = 64;

/**
 * A `heartbeat` message this often, changes or not. WebSocket pings are invisible to a page's script:
 * a server stopped (SIGSTOP) or a proxy holding the connection left the Hosts page showing old
 * probabilities as live. The page warns after three missed (30 s).
 */
export const SYN_LIVE_BEAT_MS = 10_000;

/** A client's unsent bytes past which its changes are skipped (and later made good by a `resync`). */
export const SYN_LIVE_MAX_BUFFERED = 4 * 1024 * 1024;

/**
 * A slow client skips changes rather than queueing them without bound; since a skipped change is lost
 * to it (the next message of a host that changed only then never comes), the first message it gets once
 * caught up is a `resync` that tells it to read the board again. Before, it went on showing what the
 * skipped changes had altered, as live.
 */
export class SlowClientGate {
  private skipped = 0;

  constructor(
    private readonly socket: { readonly bufferedAmount: number; send(data: string): void },
    private readonly maxBuffered = SYN_LIVE_MAX_BUFFERED,
  ) {}

  /** whether a change may be sent now; sends the `resync` first when changes were skipped before it */
  pass(): boolean {
    if (this.socket.bufferedAmount > this.maxBuffered) {
      this.skipped++;
      return false;
    }
    if (this.skipped > 0) {
      const msg: SynLiveMessage = { type: 'resync', skipped: this.skipped };
      this.socket.send(JSON.stringify(msg));
      this.skipped = 0;
    }
    return true;
  }
}

export interface SynLiveOptions {
  /** the WebSocket ping heartbeat (default 30 s pings, 2 missed) */
  heartbeat?: HeartbeatOptions;
  maxClients?: number;
  /** ms between `heartbeat` messages (default SYN_LIVE_BEAT_MS; tests shorten it) */
  beatMs?: number;
}

export function detectSynRoutes(board: SynLiveBoard, options: SynLiveOptions = {}) {
  const { heartbeat = HEARTBEAT_DEFAULTS, maxClients = SYN_LIVE_MAX_CLIENTS, beatMs = SYN_LIVE_BEAT_MS } = options;
  let open = 0;
  return async function register(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: { sort?: 'score' | 'packets' | 'distinctPorts' | 'ip' | 'lastSeen'; order?: 'asc' | 'desc'; limit?: number; minPackets?: number; match?: string } }>(
      '/api/detect/syn/hosts',
      {
        schema: {
          summary: 'source hosts seen in TCP SYNs with their malicious-host probability',
          tags: ['detect'],
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              sort: { type: 'string', enum: ['score', 'packets', 'distinctPorts', 'ip', 'lastSeen'], default: 'score' },
              order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
              limit: { type: 'integer', minimum: 1, maximum: 5000, default: 200 },
              minPackets: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1, description: 'leave out hosts with fewer SYNs (3: hide a flood\'s one- and two-SYN sources)' },
              match: { type: 'string', maxLength: 64, description: 'only hosts whose address contains this text, any case (203.179, 2001:db8:5::)' },
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
          summary: 'one source host with its image (rows = its latest SYNs, columns = fields) and per-pixel saliency; a host that is a finding is served for a day after it went idle (its summary says so)',
          tags: ['detect'],
          params: { type: 'object', required: ['ip'], properties: { ip: { type: 'string', maxLength: 64 } } },
          response: {
            200: {
              type: 'object',
              required: ['host', 'image', 'saliency', 'targets'],
              properties: {
                host,
                targets,
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
        const ip = boardAddress(req.params.ip);
        const h = board.host(ip);
        if (h === null && board.ignores(ip)) throw new AppError('SYN_HOST_NOT_FOUND', 'not_found', `syn board: ${ip} is on syn.ignore, so its SYNs are not scored (remove it from the config to see it here)`);
        if (h === null) throw new AppError('SYN_HOST_NOT_FOUND', 'not_found', `syn board: no host ${ip} (never seen, or dropped: ${board.retention()}); for an older finding, search the logs for ${ip}`);
        return h;
      },
    );

    app.route({
      method: 'GET',
      url: '/api/detect/syn/live',
      schema: {
        summary: 'WebSocket: hosts whose probability changed, at most every 500 ms',
        description:
          `Server messages: {type:"hosts",hosts:[…changed hosts, ≤${LIVE_MAX}…],updatedAt,stats,gone?}; the first lists the current top hosts; ` +
          'a finding that goes idle comes as a changed host with idle:true (it stays listed), and gone:[…addresses] names kept findings that left the list for good. ' +
          `{type:"heartbeat",at,intervalMs} every intervalMs (${beatMs} ms here), whether or not anything changed: at is the server's clock; ` +
          '{type:"resync",skipped} when changes were skipped for this client (more than 4 MiB unsent: a slow link) and it has caught up: read GET /api/detect/syn/hosts again; ' +
          'a client that has heard nothing for a few intervals knows its figures may be out of date (the server hung, or a proxy holds the connection). ' +
          `The server pings every ${heartbeat.intervalMs / 1000} s and closes (1001 WS_PONG_TIMEOUT) a client that left ${heartbeat.maxMissed} in a row unanswered (browsers answer by themselves).`,
        tags: ['detect'],
        response: websocketReplies,
      },
      // a plain GET gets a JSON 400 (the plugin's `websocket: true` answered an empty 404 and hid the route from /docs)
      wsHandler: (socket, req) => {
        if (open >= maxClients) {
          const msg: SynLiveMessage = { type: 'error', error: { code: 'WS_TOO_MANY_CLIENTS', message: `syn live: ${maxClients} live boards are open already; close one and retry` } };
          socket.send(JSON.stringify(msg));
          socket.close(1013, msg.error.code);
          return;
        }
        open++;
        const send = (hosts: SynHostsResponse['hosts'], updatedAt: number, gone: readonly string[] = []): void => {
          for (let i = 0; i < hosts.length || i === 0; i += LIVE_MAX) {
            const msg: SynLiveMessage = { type: 'hosts', hosts: hosts.slice(i, i + LIVE_MAX), updatedAt, stats: board.stats(), ...(i === 0 && gone.length > 0 ? { gone: [...gone] } : {}) };
            socket.send(JSON.stringify(msg));
          }
        };
        send(board.list({ limit: LIVE_MAX }), board.updatedAt);
        const gate = new SlowClientGate(socket);
        const off = board.onChange((changed, at, gone) => {
          if (gate.pass()) send(changed, at, gone);
        });
        const stopBeats = sendBeats(socket, beatMs);
        const stopChecking = closeWhenRevoked(socket, req);
        // a client gone without closing TCP kept its subscription, sent every change, for hours
        const stopPinging = keepAlive(socket, heartbeat, (missed) =>
          req.log.info({ missed }, `syn live: websocket closed: no pong to ${missed} pings ${heartbeat.intervalMs} ms apart (WS_PONG_TIMEOUT)`),
        );
        socket.on('close', () => {
          open--;
          stopBeats();
          off();
          stopChecking();
          stopPinging();
        });
        socket.on('error', (err) => req.log.info({ err }, 'syn live socket error'));
      },
      handler: websocketOnly,
    });
  };
}
