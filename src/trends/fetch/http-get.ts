/** One HTTP(S) GET with a total deadline, a size cap, a redirect limit and an optional SOCKS5 proxy (Tor). */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { SocksClient } from 'socks';
import { AppError } from '../../core/index.js';

export interface Socks5Proxy {
  host: string;
  port: number;
}

export interface GetOptions {
  /** whole request including every redirect, ms */
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  userAgent: string;
  headers?: Record<string, string>;
  /** route the request through this SOCKS5 proxy; the host name is resolved by the proxy (onion names) */
  proxy?: Socks5Proxy | null;
  /** called before each redirect is followed, with the URL it leads to; throws to refuse it (robots.txt of that host) */
  beforeRedirect?: (url: URL) => Promise<void>;
}

export interface GetResult {
  status: number;
  /** the URL after redirects */
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

interface Hop {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function proxiedSocket(proxy: Socks5Proxy, url: URL, timeoutMs: number): Promise<Duplex> {
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  try {
    const { socket } = await SocksClient.createConnection({
      proxy: { host: proxy.host, port: proxy.port, type: 5 },
      command: 'connect',
      destination: { host: url.hostname, port },
      timeout: timeoutMs,
    });
    if (url.protocol !== 'https:') return socket;
    return tls.connect({ socket, servername: url.hostname });
  } catch (e) {
    throw new AppError('FEED_PROXY_FAILED', 'unavailable', `fetch: socks5 proxy ${proxy.host}:${proxy.port} could not reach ${url.host}: ${(e as Error).message}; check the proxy (tor) is running`, { url: url.href }, e);
  }
}

function requestOnce(url: URL, opts: GetOptions, deadline: number, socket: Duplex | null): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http;
    const headers = { 'user-agent': opts.userAgent, accept: '*/*', 'accept-encoding': 'identity', ...opts.headers };
    const reqOpts: http.RequestOptions = { method: 'GET', headers };
    if (socket !== null) reqOpts.createConnection = () => socket as never;
    const req = mod.request(url, reqOpts);
    let done = false;
    const fail = (e: AppError): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      reject(e);
    };
    const timer = setTimeout(
      () => fail(new AppError('FEED_TIMEOUT', 'timeout', `fetch: ${url.href} took longer than ${opts.timeoutMs} ms; the server is slow or stalled`, { url: url.href })),
      Math.max(1, deadline - Date.now()),
    );
    req.on('error', (e) => fail(new AppError('FEED_NETWORK', 'unavailable', `fetch: ${url.href} failed: ${e.message}${networkAdvice(e)}`, { url: url.href }, e)));
    req.on('response', (res) => {
      const declared = Number(res.headers['content-length'] ?? '0');
      if (declared > opts.maxBytes) {
        fail(new AppError('FEED_TOO_LARGE', 'bad_request', `fetch: ${url.href} declares ${declared} bytes, over the ${opts.maxBytes} byte limit`, { url: url.href }));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > opts.maxBytes) {
          fail(new AppError('FEED_TOO_LARGE', 'bad_request', `fetch: ${url.href} is over the ${opts.maxBytes} byte limit`, { url: url.href }));
          return;
        }
        chunks.push(c);
      });
      res.on('error', (e) => fail(new AppError('FEED_NETWORK', 'unavailable', `fetch: ${url.href} failed while reading: ${e.message}`, { url: url.href }, e)));
      res.on('end', () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body: Buffer.concat(chunks) });
      });
    });
    req.end();
  });
}

/** What to do about a request that got no answer, by its errno: the source's error said "connect ECONNREFUSED 127.0.0.1:1" and no more. */
const NETWORK_ADVICE: Record<string, string> = {
  ECONNREFUSED: 'nothing listens there: check the host and port of the url, or whether the site is up',
  ENOTFOUND: 'the host name does not resolve: check the url, or the DNS of this machine',
  EAI_AGAIN: 'the host name could not be resolved now: check the DNS of this machine; the source is tried again next cycle',
  EHOSTUNREACH: 'no route to the host: check the network of this machine',
  ENETUNREACH: 'no route to the host: check the network of this machine',
  ECONNRESET: 'the server closed the connection: the source is tried again next cycle; if it keeps failing, check the url',
};

function networkAdvice(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  const advice = typeof code === 'string' ? NETWORK_ADVICE[code] : undefined;
  return advice === undefined ? '' : ` (${advice})`;
}

/** Follows up to `maxRedirects` redirects; throws AppError `FEED_*` on timeouts, size, redirects and network failures. */
export async function httpGet(target: string, opts: GetOptions): Promise<GetResult> {
  const deadline = Date.now() + opts.timeoutMs;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new AppError('FEED_BAD_URL', 'bad_request', `fetch: '${target}' is not a url; give an absolute http(s) url`);
  }
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new AppError('FEED_BAD_URL', 'bad_request', `fetch: ${url.href} is not http or https`, { url: url.href });
    }
    const socket = opts.proxy ? await proxiedSocket(opts.proxy, url, Math.max(1, deadline - Date.now())) : null;
    const res = await requestOnce(url, opts, deadline, socket);
    const location = res.headers['location'];
    if (res.status >= 300 && res.status < 400 && res.status !== 304 && location !== undefined) {
      if (hop >= opts.maxRedirects) {
        throw new AppError('FEED_REDIRECTS', 'bad_request', `fetch: ${target} redirected more than ${opts.maxRedirects} times; fix the source url`, { url: target });
      }
      url = new URL(location, url);
      if (opts.beforeRedirect !== undefined) await opts.beforeRedirect(url);
      continue;
    }
    return { status: res.status, url: url.href, headers: res.headers, body: res.body };
  }
}
