/** Polite fetching: concurrency limit, per-host spacing, robots.txt, retries with backoff, conditional GETs. */
import robotsParserModule from 'robots-parser';
import { AppError, isAppError } from '../../core/index.js';
import { httpGet, type GetOptions, type GetResult, type Socks5Proxy } from './http-get.js';
import { HostSpacing, Semaphore, sleep } from './limiter.js';

export interface FetcherOptions {
  concurrency: number;
  /** minimum ms between two requests to one host (robots.txt Crawl-delay raises it) */
  perHostIntervalMs: number;
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  /** extra attempts after a retryable failure (network, timeout, 429, 5xx) */
  retries: number;
  /** first backoff, doubled per attempt */
  backoffMs: number;
  respectRobots: boolean;
  userAgent: string;
  proxy: Socks5Proxy | null;
}

export const FETCHER_DEFAULTS: FetcherOptions = {
  concurrency: 32,
  perHostIntervalMs: 1000,
  timeoutMs: 15_000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
  retries: 2,
  backoffMs: 1000,
  respectRobots: true,
  userAgent: 'nml-trends/1 (+security research; honours robots.txt)',
  proxy: null,
};

export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

export type FetchOutcome =
  | { kind: 'ok'; result: GetResult; validators: Validators; attempts: number }
  | { kind: 'not_modified'; attempts: number };

interface Robots {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}

type RobotsParser = (url: string, text: string) => Robots;
// robots-parser is CommonJS: under tsx and node the function arrives as the default or as the module itself
const robotsParser = ((robotsParserModule as unknown as { default?: RobotsParser }).default ?? robotsParserModule) as unknown as RobotsParser;

const RETRYABLE = new Set(['FEED_NETWORK', 'FEED_TIMEOUT', 'FEED_PROXY_FAILED', 'FEED_HTTP_RETRYABLE']);

export class Fetcher {
  private readonly opts: FetcherOptions;
  private readonly sem: Semaphore;
  private readonly spacing: HostSpacing;
  private readonly robots = new Map<string, Promise<Robots | null>>();

  constructor(opts: Partial<FetcherOptions> = {}, now: () => number = Date.now) {
    this.opts = { ...FETCHER_DEFAULTS, ...opts };
    this.sem = new Semaphore(this.opts.concurrency);
    this.spacing = new HostSpacing(now);
  }

  private getOptions(proxy: boolean, headers: Record<string, string>): GetOptions {
    return {
      timeoutMs: this.opts.timeoutMs,
      maxBytes: this.opts.maxBytes,
      maxRedirects: this.opts.maxRedirects,
      userAgent: this.opts.userAgent,
      headers,
      proxy: proxy ? this.opts.proxy : null,
    };
  }

  /**
   * Throws FEED_ROBOTS_DENIED when the robots.txt of `url`'s origin disallows it; returns its Crawl-delay
   * in ms, if any. Checked for the source URL and for every redirect it leads to (a source that answers
   * 302 to a disallowed path, on its own host or another, is not fetched), each against its own host's robots.txt.
   */
  private async checkRobots(url: URL, proxy: boolean, source: string): Promise<number | null> {
    const robots = await this.robotsFor(url, proxy);
    if (robots === null) return null;
    if (robots.isAllowed(url.href, this.opts.userAgent) === false) {
      const via = url.href === source ? '' : ` (${source} redirects there)`;
      throw new AppError('FEED_ROBOTS_DENIED', 'bad_request', `fetch: robots.txt of ${url.host} disallows ${url.pathname}${via}; remove the source or ask the site`, { url: url.href, source });
    }
    const delay = robots.getCrawlDelay(this.opts.userAgent);
    return delay !== undefined && Number.isFinite(delay) ? Math.min(delay, 60) * 1000 : null;
  }

  private robotsFor(url: URL, proxy: boolean): Promise<Robots | null> {
    const key = url.origin;
    let p = this.robots.get(key);
    if (p === undefined) {
      const robotsUrl = `${url.origin}/robots.txt`;
      p = httpGet(robotsUrl, { ...this.getOptions(proxy, {}), maxBytes: 512 * 1024 })
        .then((r) => (r.status >= 200 && r.status < 300 ? robotsParser(robotsUrl, r.body.toString('utf8')) : null))
        .catch(() => null);
      this.robots.set(key, p);
    }
    return p;
  }

  /** One polite GET; `viaProxy` sends it through the configured SOCKS5 proxy (required for .onion). */
  async get(target: string, validators: Validators | null, viaProxy = false): Promise<FetchOutcome> {
    const url = new URL(target);
    if (url.hostname.endsWith('.onion') && this.opts.proxy === null) {
      throw new AppError('FEED_PROXY_REQUIRED', 'bad_request', `fetch: ${url.host} is an onion site; configure trends.proxy (a socks5 proxy such as tor)`, { url: target });
    }
    const proxy = viaProxy || url.hostname.endsWith('.onion');
    if (proxy && this.opts.proxy === null) {
      throw new AppError('FEED_PROXY_REQUIRED', 'bad_request', `fetch: ${target} is set to use a proxy but none is configured; set trends.proxy`, { url: target });
    }
    let interval = this.opts.perHostIntervalMs;
    if (this.opts.respectRobots) {
      const delay = await this.checkRobots(url, proxy, target);
      if (delay !== null) interval = Math.max(interval, delay);
    }
    const headers: Record<string, string> = {};
    if (validators?.etag) headers['if-none-match'] = validators.etag;
    if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
    const options: GetOptions = { ...this.getOptions(proxy, headers) };
    if (this.opts.respectRobots) {
      options.beforeRedirect = async (hop) => {
        // its robots.txt is fetched the way the request goes (through the proxy when it does)
        await this.checkRobots(hop, proxy, target);
      };
    }

    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.sem.run(async () => {
          await sleep(this.spacing.reserve(url.host, interval));
          return httpGet(target, options);
        });
        if (result.status === 304) return { kind: 'not_modified', attempts: attempt };
        if (result.status === 429 || result.status >= 500) {
          throw new AppError('FEED_HTTP_RETRYABLE', 'unavailable', `fetch: ${target} answered ${result.status}; retried with backoff`, { url: target, status: result.status });
        }
        if (result.status < 200 || result.status >= 300) {
          throw new AppError('FEED_HTTP_STATUS', 'bad_request', `fetch: ${target} answered ${result.status}; check the source url`, { url: target, status: result.status });
        }
        return {
          kind: 'ok',
          result,
          attempts: attempt,
          validators: { etag: result.headers['etag'] ?? null, lastModified: result.headers['last-modified'] ?? null },
        };
      } catch (e) {
        if (!isAppError(e) || !RETRYABLE.has(e.code) || attempt > this.opts.retries) throw e;
        await sleep(this.opts.backoffMs * 2 ** (attempt - 1));
      }
    }
  }
}
