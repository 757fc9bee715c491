/**
 * The OpenAPI document (built by @fastify/swagger from every route's schemas) and the docs UI at
 * `/docs`. Both need the same credentials as the API (a Bearer token, or the web UI's session cookie:
 * log in to the UI, then open /docs). Until session 19 they were open, on the grounds that the document
 * grants nothing; but it maps every route for whoever can reach the port, and the rule is
 * authentication on every route but the health check and the login.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { createHash } from 'node:crypto';
import { NODE_REFUSALS } from './http-errors.js';
import { errorBody } from './schemas.js';

export const DOCS_PREFIX = '/docs';

/**
 * The one inline style of the docs UI: the `<style>` of the Swagger logo in its top bar, which the
 * standalone preset's script renders (swagger-ui-standalone-preset.js). The plugin's CSP hashes only
 * the styles of its index.html, so the browser refused this one (a console error on every visit).
 */
export const DOCS_LOGO_STYLE = '.logo_small_svg__cls-2{fill:#fff}.logo_small_svg__cls-3{fill:#85ea2d}';
const LOGO_STYLE_SOURCE = `'sha256-${createHash('sha256').update(DOCS_LOGO_STYLE).digest('base64')}'`;

/** The plugin's CSP for /docs as this server sends it (see `registerOpenApi`). */
export function docsCsp(csp: string): string {
  return csp
    .replace(/\s*upgrade-insecure-requests;?/, '')
    .replace("frame-ancestors 'self'", "frame-ancestors 'none'")
    .replace(' validator.swagger.io', '')
    .replace(/style-src ([^;]*?)\s*;/, `style-src $1 ${LOGO_STYLE_SOURCE};`);
}

/** What a browser that opens /docs without a session is shown (401 still): the way to the login. */
export const DOCS_LOGIN_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>NML API docs: log in first</title></head><body>' +
  '<h1>NML API docs</h1><p>The API documentation is for logged-in users. <a href="/">Log in to the web UI</a>, then open ' +
  '<a href="/docs">/docs</a> again (the user menu links to it). Scripts send <code>Authorization: Bearer &lt;token&gt;</code>, ' +
  'the token in <code>&lt;data&gt;/api-token</code>.</p></body></html>\n';

/** A browser's navigation (it asks for HTML first), not a script's fetch of the document. */
function wantsPage(req: FastifyRequest): boolean {
  const accept = req.headers.accept;
  return req.method === 'GET' && typeof accept === 'string' && /(^|,)\s*text\/html/i.test(accept);
}

type Operation = { requestBody?: { required?: boolean; content?: Record<string, { schema?: { maxProperties?: number } }> }; responses?: Record<string, unknown> };

/**
 * What no route's schema can say, added to every operation of the document: Node's refusals of any request
 * before a route is chosen (408, 431: `clientErrorHandler`, the timeouts and header limit app.ts sets), and,
 * for a route whose body is `noBody` (schemas.ts), that the body is optional: @fastify/swagger marks every
 * declared body required.
 */
export function withServerReplies(doc: { paths?: Record<string, Record<string, Operation>> }): typeof doc {
  for (const ops of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(ops)) {
      const content = Object.values(op.requestBody?.content ?? {});
      if (content.length > 0 && content.every((c) => c.schema?.maxProperties === 0)) op.requestBody!.required = false;
      if (op.responses === undefined) continue;
      for (const [status, error] of Object.entries(NODE_REFUSALS)) {
        op.responses[status] ??= { description: `${error.code}: ${error.message} (Node's refusal before any route; the connection is closed)`, content: { 'application/json': { schema: errorBody } } };
      }
    }
  }
  return doc;
}

export async function registerOpenApi(app: FastifyInstance, version: string, requireAuth: (req: FastifyRequest, reply: FastifyReply, done: () => void) => void): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'NML API',
        description: 'Collect, search and mine security logs. Every /api route but /api/health and /api/auth/login needs `Authorization: Bearer <token>` (or the session cookie of the web UI), and so does this documentation; /health and /api/health are open.',
        version,
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
      tags: [
        { name: 'ingest', description: 'store lines' },
        { name: 'search', description: 'find and count stored lines' },
        { name: 'ops', description: 'health, counters, metrics' },
      ],
    },
    transformObject: (doc) => ('openapiObject' in doc ? (withServerReplies(doc.openapiObject as Parameters<typeof withServerReplies>[0]) as typeof doc.openapiObject) : doc.swaggerObject),
  });
  // in a scope of its own whose hook covers every route the UI plugin adds, its static files included
  await app.register(async (docs) => {
    docs.addHook('onRequest', requireAuth);
    // the headers the app's pages send (a security review found /docs without them)
    docs.addHook('onSend', async (req, reply, payload) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('x-frame-options', 'DENY');
      // a person who opened /docs before logging in read a JSON error about Bearer tokens: a page tells them where to log in
      if (reply.statusCode === 401 && wantsPage(req)) {
        reply.type('text/html; charset=utf-8');
        return DOCS_LOGIN_PAGE;
      }
      return payload;
    });
    await docs.register(swaggerUi, {
      routePrefix: DOCS_PREFIX,
      uiConfig: { docExpansion: 'list', deepLinking: false, validatorUrl: null },
      // the plugin's CSP with its inline scripts' hashes, less what does not fit here: an upgrade to https
      // (nml serves plain HTTP by default, and the page would load nothing), framing, the public validator;
      // plus the hash of the logo's style (only that one: no 'unsafe-inline', and only on /docs)
      staticCSP: true,
      transformStaticCSP: docsCsp,
    });
  });
}
