/**
 * What the server's logger is given so that no secret reaches the log: the credential headers
 * redacted, and the request line's query parameters whose names say they hold one (`?token=`,
 * `?password=`, `?api_key=` …). No route reads a credential from the query string, but clients send
 * them there anyway (a WebSocket client that cannot set headers, a monitoring URL): a review found
 * a valid API token in every "incoming request" line of such a client, refused 401 and logged whole.
 */

/** Pino redaction paths; a logger built outside (node.ts) gets them through `serveLoggerOptions`. */
export const SERVE_LOG_REDACT = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'];

const CENSOR = '[redacted]';
/** Query parameter names that hold a credential; no route of ours has a parameter that matches. */
const SECRET_PARAM = /token|passw|secret|api[-_]?key|^key$|auth|session|cookie|credential|signature/i;

function paramName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw; // a malformed escape: matched as sent
  }
}

/** `url` (a request target: path and query) with the values of secret-named query parameters replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url.slice(q + 1).split('&');
  let changed = false;
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    const eq = p.indexOf('=');
    if (eq < 0 || !SECRET_PARAM.test(paramName(p.slice(0, eq)))) continue;
    params[i] = `${p.slice(0, eq)}=${CENSOR}`;
    changed = true;
  }
  return changed ? `${url.slice(0, q + 1)}${params.join('&')}` : url;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  headers?: Record<string, unknown>;
  socket?: { remotePort?: number };
}

/** Fastify's own `req` serializer (method, url, version, host, address, port) with the URL redacted. */
function requestFields(req: LoggedRequest): Record<string, unknown> {
  return {
    method: req.method,
    url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
    version: req.headers?.['accept-version'],
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** Options for the pino logger that `buildApp` is given (or builds): level, redaction, the request serializer. */
export function serveLoggerOptions(level: string): { level: string; redact: { paths: string[]; censor: string }; serializers: { req: (req: LoggedRequest) => Record<string, unknown> } } {
  return { level, redact: { paths: SERVE_LOG_REDACT, censor: CENSOR }, serializers: { req: requestFields } };
}
