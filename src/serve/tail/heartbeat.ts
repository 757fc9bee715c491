/**
 * WebSocket heartbeat: a ping every `intervalMs`; a socket that has not answered `maxMissed` pings in
 * a row when the next is due is closed (1001, `WS_PONG_TIMEOUT`) and its connection dropped at once.
 * Without it a client that vanished without closing TCP (a laptop lid shut, a NAT mapping dropped)
 * kept its socket, its tail client and its share of every tick until the OS gave up on the
 * connection, hours later. The pings also keep an idle feed alive through proxies that cut
 * connections silent for a minute (nginx's default read timeout). Browsers and `ws` answer pings
 * by themselves, so no client code is needed.
 */

/** What the heartbeat needs of a WebSocket (the `ws` socket has all of it). */
export interface HeartbeatSocket {
  ping(): void;
  on(event: 'pong', listener: () => void): unknown;
  off(event: 'pong', listener: () => void): unknown;
  close(code?: number, reason?: string): void;
  terminate(): void;
}

export interface HeartbeatOptions {
  /** ms between pings */
  intervalMs: number;
  /** pings in a row left unanswered when the next is due before the socket is closed */
  maxMissed: number;
}

/**
 * 30 s × 2: a vanished client is dropped 60 to 90 s after its last pong; a live one costs a 2-byte
 * frame each way every 30 s, and a busy link has a minute to get a pong through.
 */
export const HEARTBEAT_DEFAULTS: Readonly<HeartbeatOptions> = Object.freeze({ intervalMs: 30_000, maxMissed: 2 });

/**
 * 1001 "going away": the server gives up on a peer that stopped answering. Not 1008 or 4xxx, which
 * the UI takes as a refusal for good: a client that was only asleep reconnects.
 */
export const CLOSE_NO_PONG = 1001;
export const NO_PONG_REASON = 'WS_PONG_TIMEOUT';

/**
 * Starts the heartbeat on `socket`; `onDead` is told (for the log) just before a silent socket is
 * closed. Returns the stop, for the socket's `close` event.
 */
export function keepAlive(socket: HeartbeatSocket, opts: HeartbeatOptions, onDead: (missed: number) => void = () => undefined): () => void {
  let missed = 0;
  const pong = (): void => {
    missed = 0;
  };
  const stop = (): void => {
    clearInterval(timer);
    socket.off('pong', pong);
  };
  const timer = setInterval(() => {
    if (missed >= opts.maxMissed) {
      stop();
      onDead(missed);
      try {
        // the close frame says why to a client that can still read it; terminate frees the socket now
        // instead of waiting out ws's 30 s for a close reply that will not come
        socket.close(CLOSE_NO_PONG, NO_PONG_REASON);
        socket.terminate();
      } catch {
        // already closed
      }
      return;
    }
    missed++;
    try {
      socket.ping();
    } catch {
      // not open any more: its close event stops the heartbeat
    }
  }, opts.intervalMs);
  timer.unref();
  socket.on('pong', pong);
  return stop;
}

/**
 * A `{type:"heartbeat",at,intervalMs}` message every `intervalMs`, whatever else is sent (the live tail,
 * the SYN board's feed): pings never reach a page's script, so a page can tell a quiet feed from a dead
 * connection only by messages. `at` is the server's clock. Returns the stop.
 */
export function sendBeats(socket: { send(data: string): void }, intervalMs: number): () => void {
  const beat = setInterval(() => socket.send(JSON.stringify({ type: 'heartbeat', at: Date.now(), intervalMs })), intervalMs);
  beat.unref();
  return () => clearInterval(beat);
}
