/** Test helpers: a local HTTP server with scripted routes, and a minimal SOCKS5 proxy (no auth, CONNECT by name). */
import http from 'node:http';
import net from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';

/** test/fixtures/trends, found from src/ (tsx) and from dist/src/ alike */
export const FIXTURES = join(repoRoot(), 'test', 'fixtures', 'trends');

function repoRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'test', 'fixtures', 'trends'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`trends: test/fixtures/trends not found above ${import.meta.dirname}`);
    dir = up;
  }
  return dir;
}
export const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface FixtureServer {
  url: string;
  port: number;
  /** requests seen per path */
  hits: Map<string, number>;
  route(path: string, h: Handler): void;
  close(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const routes = new Map<string, Handler>();
  const hits = new Map<string, number>();
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const h = routes.get(path);
    if (h === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    h(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hits,
    route: (path, h) => routes.set(path, h),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Serves a fixed body with a content type (and optional extra headers). */
export function serve(body: string | Buffer, type: string, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': type, ...headers }).end(body);
  };
}

export interface Socks5Server {
  port: number;
  /** host names the proxy was asked to connect to */
  requested: string[];
  close(): Promise<void>;
}

/** A SOCKS5 proxy that resolves every requested host name through `resolve` (e.g. an .onion name to the fixture server). */
export async function startSocks5(resolve: (host: string, port: number) => { host: string; port: number }): Promise<Socks5Server> {
  const requested: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let buf = Buffer.alloc(0);
    let stage: 'greet' | 'request' | 'piped' = 'greet';
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      if (stage === 'greet') {
        if (buf.length < 2 || buf.length < 2 + buf[1]!) return;
        buf = buf.subarray(2 + buf[1]!);
        client.write(Buffer.from([5, 0]));
        stage = 'request';
      }
      if (stage === 'request') {
        if (buf.length < 5) return;
        const atyp = buf[3]!;
        let host: string;
        let end: number;
        if (atyp === 3) {
          end = 5 + buf[4]!;
          if (buf.length < end + 2) return;
          host = buf.subarray(5, end).toString('latin1');
        } else if (atyp === 1) {
          end = 8;
          if (buf.length < end + 2) return;
          host = [...buf.subarray(4, 8)].join('.');
        } else {
          client.end(Buffer.from([5, 8, 0, 1, 0, 0, 0, 0, 0, 0]));
          return;
        }
        const port = buf.readUInt16BE(end);
        const rest = buf.subarray(end + 2);
        requested.push(host);
        stage = 'piped';
        client.off('data', onData);
        const target = resolve(host, port);
        const upstream = net.connect(target.port, target.host, () => {
          client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]));
          if (rest.length > 0) upstream.write(rest);
          client.pipe(upstream).pipe(client);
        });
        upstream.on('error', () => client.destroy());
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
      }
    };
    client.on('data', onData);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    requested,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/**
 * A synthetic incident history: `days` days from 2023-01-01, a few reports a day of rotating types, and
 * DDoS reported on exactly the days of `electionDays` (a planted calendar signal no baseline can see).
 */
export function syntheticHistory(days: number, electionDays: Set<number>): { time: number; tokens: string[]; types: string[]; motive: string; ref: { id: string; title: string; url: null } }[] {
  const t0 = Date.UTC(2023, 0, 1);
  const kinds = ['malware', 'ransomware', 'account_takeover', 'web_attack'];
  const out = [];
  let n = 0;
  for (let d = 0; d < days; d++) {
    for (let k = 0; k < 2; k++) {
      const type = kinds[(d * 2 + k) % kinds.length]!;
      out.push({ time: t0 + d * 86_400_000 + k * 3_600_000, tokens: [type, 'attack', `w${d % 5}`], types: [type], motive: 'cyber crime', ref: { id: `s:${n}`, title: `${type} report ${n++}`, url: null } });
    }
    if (electionDays.has(d)) {
      out.push({ time: t0 + d * 86_400_000 + 7_200_000, tokens: ['ddos', 'election', 'portal'], types: ['ddos'], motive: 'hacktivism', ref: { id: `s:${n}`, title: `ddos on election portal ${n++}`, url: null } });
    }
  }
  return out;
}

/** Election days every 5–9 days (deterministic), and the matching calendar entries. */
export function syntheticElections(days: number): { days: Set<number>; calendar: { date: string; name: string; kind: 'election'; countries: string[]; source: string }[] } {
  const set = new Set<number>();
  for (let d = 3, step = 0; d < days; d += 5 + (step++ % 5)) set.add(d);
  const calendar = [...set].map((d) => ({ date: new Date(Date.UTC(2023, 0, 1) + d * 86_400_000).toISOString().slice(0, 10), name: `election ${d}`, kind: 'election' as const, countries: ['XX'], source: 'synthetic' }));
  return { days: set, calendar };
}
