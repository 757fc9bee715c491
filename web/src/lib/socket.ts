/**
 * A JSON WebSocket that reconnects with backoff until closed; the owner gets messages and state changes.
 * The backoff is reset only by a real data frame (any message but `{type:"error"}`) or by the socket
 * staying open STABLE_MS: a server that accepts, says it is full and closes must not be hammered.
 * With `heartbeat`, an open connection on which nothing at all has come for `reconnectAfterBeats` of the
 * server's heartbeat intervals is given up and another opened: a proxy or a peer lost without a FIN can
 * hold a dead connection open for many minutes, with no error and no close.
 */
import { request, UNAUTHORIZED_EVENT } from './api.ts';

/** An open socket counts as working after this long without an error. */
const STABLE_MS = 5000;
/** 1013 "try again later" (the tail hub is full): a longer backoff from the start. */
const CLOSE_TRY_LATER = 1013;
/**
 * The reason of the server's close at its stop (1001 "going away"; src/serve/tail/hub.ts STOPPING_REASON).
 * It is the `why` of every 'closed' after it that gives no reason of its own (the refused reconnects of a
 * server still down), until the server speaks again: a page says the server stopped or is restarting,
 * not that the network failed. The socket reconnects after it as after any drop.
 */
export const SERVER_STOPPING = 'server stopping';
const CLOSE_GOING_AWAY = 1001;

/** The wait before reconnect attempt `attempt` (0-based): exponential, capped, with jitter (half to full). */
export function backoffDelay(attempt: number, tryLater: boolean, random: () => number = Math.random): number {
  const base = tryLater ? 2000 : 500;
  const cap = tryLater ? 60_000 : 10_000;
  const d = Math.min(cap, base * 2 ** Math.min(attempt, 20));
  return Math.round(d / 2 + (random() * d) / 2);
}

export type SocketState = 'connecting' | 'open' | 'closed' | 'failed';

export interface JsonSocket {
  send(msg: unknown): void;
  close(): void;
}

/**
 * The feed's heartbeat: the server sends `{type:"heartbeat", intervalMs}` at that interval (`defaultMs`
 * until the first says); silence past `reconnectAfterBeats` of it gives the connection up.
 */
export interface HeartbeatOptions {
  defaultMs: number;
  reconnectAfterBeats: number;
}

/** How often a silent connection is looked at. */
const WATCH_MS = 250;

export function openJsonSocket(
  url: () => string,
  handlers: { onMessage(msg: unknown): void; onState(s: SocketState, why?: string, retryInMs?: number): void },
  heartbeat?: HeartbeatOptions,
): JsonSocket {
  let ws: WebSocket | null = null;
  let closed = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stable: ReturnType<typeof setTimeout> | null = null;
  // the server's last word on the open connection (a message, or the open itself), and its beat
  let heard = 0;
  let beatMs = heartbeat?.defaultMs ?? 0;
  // the server said it was stopping, and has said nothing since
  let serverStopped = false;
  const clearStable = () => {
    if (stable !== null) clearTimeout(stable);
    stable = null;
  };

  const connect = (): void => {
    if (closed) return;
    handlers.onState('connecting');
    const sock = new WebSocket(url());
    ws = sock;
    sock.onopen = () => {
      heard = Date.now();
      handlers.onState('open');
      clearStable();
      stable = setTimeout(() => {
        if (ws === sock) attempt = 0;
      }, STABLE_MS);
    };
    sock.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let msg: unknown;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return; // a frame that is not JSON is ignored
      }
      heard = Date.now();
      serverStopped = false;
      const m = msg as { type?: unknown; intervalMs?: unknown } | null;
      if (m?.type === 'heartbeat' && typeof m.intervalMs === 'number' && m.intervalMs > 0) beatMs = m.intervalMs;
      if (m?.type !== 'error') attempt = 0;
      handlers.onMessage(msg);
    };
    sock.onclose = (ev) => {
      if (ws !== sock) return;
      ws = null;
      clearStable();
      if (closed) return;
      // 1008: policy (auth); 4xxx: the server refused for good (e.g. a bad query)
      if (ev.code === 1008 || (ev.code >= 4000 && ev.code < 5000)) {
        handlers.onState('failed', ev.reason || `closed by the server (${ev.code})`);
        // the session ended while the feed was open (logout elsewhere, a password change, the user removed): log in again
        if (ev.reason === 'AUTH_REQUIRED') window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
        return;
      }
      // A handshake the server refuses for want of a session (401) reaches the page as a bare 1006, as a
      // lost network does: without asking, a feed whose session ended while it was away (a server restart
      // that outlasted the idle time, the user removed between two attempts) retried for ever, 'reconnecting'.
      // A request that answers 401 says the session ended, as every other call does; one that fails says nothing.
      request('/api/auth/me', { background: true }).catch(() => undefined);
      if (ev.code === CLOSE_GOING_AWAY && ev.reason === SERVER_STOPPING) serverStopped = true;
      const delay = backoffDelay(attempt++, ev.code === CLOSE_TRY_LATER);
      handlers.onState('closed', ev.reason || (serverStopped ? SERVER_STOPPING : undefined), delay);
      timer = setTimeout(connect, delay);
    };
  };
  connect();

  // silent past its heartbeat: give the connection up and open another (the owner sees 'connecting')
  const watch =
    heartbeat === undefined
      ? null
      : setInterval(() => {
          const sock = ws;
          if (closed || sock === null || sock.readyState !== WebSocket.OPEN) return;
          if (Date.now() - heard <= heartbeat.reconnectAfterBeats * beatMs) return;
          // detached first: its close, whenever it completes, schedules nothing
          ws = null;
          clearStable();
          sock.close(1000, 'no word from the server');
          connect();
        }, WATCH_MS);

  return {
    send(msg) {
      if (ws !== null && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
    },
    close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      if (watch !== null) clearInterval(watch);
      clearStable();
      ws?.close(1000);
      ws = null;
    },
  };
}
