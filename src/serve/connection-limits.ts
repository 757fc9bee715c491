/**
 * Open HTTP connections at most, in all and from one address (`http.maxConnections`,
 * `http.maxConnectionsPerAddress`), as the syslog listener has. Without them a client that opens
 * connections and never finishes its headers held every file descriptor the process may have: a
 * security review opened 22,000, and `/health` and every logged-in request went unanswered, with nothing
 * in the log. Past a limit a new connection is closed at once; the refusals are logged the first at once,
 * then at most once a minute with their count and a few addresses.
 */
import type { Server, Socket } from 'node:net';
import { refusalLog } from '../collect/index.js';

export interface ConnectionLimits {
  maxConnections: number;
  maxConnectionsPerAddress: number;
}

export type HttpRefusal = 'total' | 'address';

const REASONS: Record<HttpRefusal, string> = {
  total: 'http.maxConnections connections were open',
  address: 'its address held http.maxConnectionsPerAddress connections',
};

/** A client's unfinished headers are given this long (Node's default is a minute; a browser sends them at once). */
export const HEADERS_TIMEOUT_MS = 20_000;

/** Applies the limits to `server`; `warn` gets the refusal lines. Returns how many were refused so far. */
export function limitConnections(server: Server, limits: ConnectionLimits, warn: (fields: Record<string, unknown>, message: string) => void): () => number {
  let refused = 0;
  const log = refusalLog<HttpRefusal>(warn, { label: 'http', reasons: REASONS });
  // Node closes a connection past maxConnections itself and says so with 'drop'
  server.maxConnections = limits.maxConnections;
  server.on('drop', (d?: { remoteAddress?: string }) => {
    refused++;
    log('total', d?.remoteAddress ?? 'unknown');
  });
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const n = open.get(address) ?? 0;
    if (n >= limits.maxConnectionsPerAddress) {
      refused++;
      log('address', address);
      socket.destroy();
      return;
    }
    open.set(address, n + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
  return () => refused;
}
