/** Bearer-token authentication as an onRequest hook for the routes registered beside it. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendUnauthorized } from './http-errors.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (header === undefined) return null;
  const m = BEARER.exec(header);
  return m === null ? null : m[1]!;
}

export function bearerAuth(tokens: { verify(token: string): boolean }) {
  return function requireBearer(req: FastifyRequest, reply: FastifyReply, done: () => void): void {
    const header = req.headers.authorization;
    const token = bearerToken(header);
    if (token === null) {
      sendUnauthorized(reply, header === undefined ? 'no Authorization header' : 'the Authorization header is not a Bearer token');
      return;
    }
    if (!tokens.verify(token)) {
      sendUnauthorized(reply, 'the token is not valid');
      return;
    }
    done();
  };
}
