/** A JSON WebSocket that reconnects with backoff until closed; the owner gets messages and state changes. */
import { UNAUTHORIZED_EVENT } from './api.ts';

export type SocketState = 'connecting' | 'open' | 'closed' | 'failed';

export interface JsonSocket {
  send(msg: unknown): void;
  close(): void;
}

export function openJsonSocket(
  url: () => string,
  handlers: { onMessage(msg: unknown): void; onState(s: SocketState, why?: string): void },
): JsonSocket {
  let ws: WebSocket | null = null;
  let closed = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const connect = (): void => {
    if (closed) return;
    handlers.onState('connecting');
    const sock = new WebSocket(url());
    ws = sock;
    sock.onopen = () => {
      attempt = 0;
      handlers.onState('open');
    };
    sock.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      try {
        handlers.onMessage(JSON.parse(ev.data));
      } catch {
        // a frame that is not JSON is ignored
      }
    };
    sock.onclose = (ev) => {
      if (ws !== sock) return;
      ws = null;
      if (closed) return;
      // 1008: policy (auth); 4xxx: the server refused for good (e.g. a bad query)
      if (ev.code === 1008 || (ev.code >= 4000 && ev.code < 5000)) {
        handlers.onState('failed', ev.reason || `closed by the server (${ev.code})`);
        // the session ended while the feed was open (logout elsewhere, a password change, the user removed): log in again
        if (ev.reason === 'AUTH_REQUIRED') window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
        return;
      }
      handlers.onState('closed', ev.reason || undefined);
      const delay = Math.min(10_000, 500 * 2 ** attempt++);
      timer = setTimeout(connect, delay);
    };
  };
  connect();

  return {
    send(msg) {
      if (ws !== null && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
    },
    close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      ws?.close(1000);
      ws = null;
    },
  };
}
