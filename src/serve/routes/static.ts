/**
 * The web UI's files from `web/dist` without authentication (the app asks `/api/auth/me` and shows its
 * login form on 401), the page routes answered with index.html (the app routes in the browser), and
 * security headers on every response from here. Without a built UI, `/` says how to build it.
 */
import fastifyStatic from '@fastify/static';
import { existsSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Page routes of the single-page app (UI_API.md); each also takes sub-paths (`/hosts/10.0.0.1`). */
export const SPA_PAGES = ['search', 'live', 'hosts', 'alerts', 'watches', 'investigate', 'assist', 'trends', 'account'] as const;

const HOST = /^[A-Za-z0-9.:[\]-]{1,255}$/;

/** CSP for the app: only its own origin, WebSockets to it included; no framing. */
export function contentSecurityPolicy(host: string | undefined): string {
  const ws = host !== undefined && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${ws}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(req: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
  const type = String(reply.getHeader('content-type') ?? '');
  if (type.startsWith('text/html')) reply.header('content-security-policy', contentSecurityPolicy(req.headers.host));
}

const NOT_BUILT = (dir: string): string =>
  `NML web UI: not built.\n\nThe server found no ${dir}/index.html. Build the UI with\n\n    npm run build -w web\n\n` +
  `(or \`npm run build\` for everything) and restart \`nml serve\`. The HTTP API works without it: see /docs.\n`;

export function staticRoutes(webRoot: string | null) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.addHook('onSend', async (req, reply, payload) => {
      securityHeaders(req, reply);
      return payload;
    });
    const built = webRoot !== null && existsSync(join(webRoot, 'index.html'));
    const pages = ['/', ...SPA_PAGES.flatMap((p) => [`/${p}`, `/${p}/*`])];
    if (!built) {
      for (const url of pages) {
        // the page is open to anyone: it names web/dist, not where the server is installed (the log does)
        app.get(url, { schema: { hide: true } }, async (_req, reply) => reply.code(503).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT('web/dist')));
      }
      app.log.warn({ webRoot }, 'web UI: not built; / answers 503 until it is (npm run build -w web)');
      return;
    }
    const realRoot = realpathSync(webRoot);
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      index: false,
      wildcard: true,
      cacheControl: false,
      dotfiles: 'ignore',
      // a symbolic link out of the web root (served without authentication) is not followed
      allowedPath: (pathName: string) => {
        try {
          const real = realpathSync(join(webRoot, pathName));
          return real === realRoot || real.startsWith(realRoot + sep);
        } catch {
          return true; // not there: the 404 follows
        }
      },
      // hashed assets never change under their name; the page and anything else is checked each time
      setHeaders: (reply: FastifyReply, path: string) => {
        reply.header('cache-control', path.startsWith(join(realRoot, 'assets') + sep) || path.startsWith(join(webRoot, 'assets') + sep) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    for (const url of pages) {
      app.get(url, { schema: { hide: true } }, async (_req, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'));
    }
  };
}
