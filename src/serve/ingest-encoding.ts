/**
 * `Content-Encoding` of `POST /api/ingest` bodies. Fastify does not decode bodies, and shippers with
 * compression on (the http outputs of Vector, Fluent Bit, Logstash) send `gzip`: their compressed
 * bytes were stored as lines, answered 200. gzip and deflate are now inflated as they arrive, with
 * the DECOMPRESSED size held to the route's body limit (a kilobyte of gzip can hold gigabytes of
 * zeros: nothing past the limit is allocated); any other coding is refused with 415, saying what is
 * accepted.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { AppError } from '../core/index.js';
import { failure, sendFailure } from './http-errors.js';

/** What `Content-Encoding` may say; `deflate` is the zlib format (RFC 9110 8.4.1.2), as HTTP defines it. */
export const ACCEPTED_ENCODINGS = ['gzip', 'deflate', 'identity'] as const;
type Coding = (typeof ACCEPTED_ENCODINGS)[number];

/** A body stream as Fastify reads it: it compares `receivedEncodedLength` with Content-Length. */
export type DecodedBody = Readable & { readonly receivedEncodedLength: number };

/**
 * The coding of a `Content-Encoding` header: none or `identity` is identity, `x-gzip` is gzip (RFC
 * 9110 asks recipients to take it so). Several codings one on the other, or one not accepted, are
 * returned as `{ refused }`, the header as sent.
 */
export function contentCoding(header: string | string[] | undefined): Coding | { refused: string } {
  const sent = Array.isArray(header) ? header.join(', ') : (header ?? '');
  const codings = sent.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '');
  if (codings.length === 0) return 'identity';
  const only = codings.length === 1 ? (codings[0] === 'x-gzip' ? 'gzip' : codings[0]!) : '';
  return (ACCEPTED_ENCODINGS as readonly string[]).includes(only) ? (only as Coding) : { refused: sent.trim().slice(0, 100) };
}

function tooLarge(limit: number, coding: Coding, what: string): AppError {
  return new AppError('HTTP_BODY_TOO_LARGE', 'bad_request', `request: body is larger than the limit of ${limit} bytes ${what}; send it in parts`, { limit, contentEncoding: coding });
}

function badEncoding(coding: Coding, cause: unknown): AppError {
  const why = cause instanceof Error ? cause.message.toLowerCase() : String(cause);
  const format = coding === 'gzip' ? 'gzip' : 'deflate (zlib format, RFC 1950)';
  const message = `request: the body is not valid ${format} as its 'Content-Encoding: ${coding}' says (${why}); nothing from this request was stored, send it compressed whole or uncompressed`;
  return new AppError('HTTP_BAD_CONTENT_ENCODING', 'bad_request', message, { contentEncoding: coding }, cause);
}

/** Counts bytes through it and fails once they are over `limit`, with `error()`. */
function byteCap(limit: number, error: () => AppError): Transform & { bytes: number } {
  const cap = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      cap.bytes += chunk.length;
      done(cap.bytes > limit ? error() : null, cap.bytes > limit ? undefined : chunk);
    },
  }) as Transform & { bytes: number };
  cap.bytes = 0;
  return cap;
}

/**
 * `payload` inflated as it comes: compressed bytes over `limit`, or inflated bytes over it, fail the
 * stream with HTTP_BODY_TOO_LARGE; zlib's refusal (corrupt, cut short) with HTTP_BAD_CONTENT_ENCODING.
 * The request stream itself is never destroyed (that would drop the connection before the error
 * reply): on failure it is only unpiped, and the reply closes the connection.
 */
export function inflating(payload: Readable, coding: 'gzip' | 'deflate', limit: number): DecodedBody {
  const encoded = byteCap(limit, () => tooLarge(limit, coding, 'compressed'));
  const zlib = coding === 'gzip' ? createGunzip() : createInflate();
  const decoded = byteCap(limit, () => tooLarge(limit, coding, 'once decompressed'));
  Object.defineProperty(decoded, 'receivedEncodedLength', { get: () => encoded.bytes });
  const fail = (e: unknown): void => {
    payload.unpipe(encoded);
    encoded.destroy();
    zlib.destroy();
    if (!decoded.destroyed) decoded.destroy(e as Error);
  };
  payload.on('error', fail); // a client that goes away mid-body: the parser waiting on `decoded` is told
  encoded.on('error', fail);
  zlib.on('error', (e) => {
    // an empty body is empty, whatever its header says (zlib calls it cut short)
    if (encoded.bytes === 0 && !decoded.destroyed) decoded.end();
    else fail(badEncoding(coding, e));
  });
  decoded.on('error', fail);
  payload.pipe(encoded).pipe(zlib).pipe(decoded);
  return decoded as unknown as DecodedBody;
}

/**
 * The ingest route's `preParsing` hook: the body inflated by its Content-Encoding, or a 415 (with
 * `Accept-Encoding`, RFC 9110 15.5.16) for a coding it is not. Callback style: a hook that replied
 * must not go on, and an async one would go on before the reply's onSend hooks have finished.
 */
export function decodeBody(limit: number) {
  return function preParsing(req: FastifyRequest, reply: FastifyReply, payload: Readable, done: (err: Error | null, body?: Readable) => void): void {
    const coding = contentCoding(req.headers['content-encoding']);
    if (coding === 'identity') return done(null, payload);
    if (typeof coding === 'string') return done(null, inflating(payload, coding, limit));
    const route = `${req.method} ${req.url.split('?')[0]!.slice(0, 200)}`;
    const message = `request: content encoding '${coding.refused}' is not accepted; ${route} accepts gzip, deflate or identity, one of them: send 'Content-Encoding: gzip', or none for an uncompressed body`;
    req.log.info({ code: 'HTTP_UNSUPPORTED_CONTENT_ENCODING' }, message);
    // the body is left unread: the connection is closed after the reply, not read on for the next request
    reply.header('accept-encoding', 'gzip, deflate').header('connection', 'close');
    sendFailure(reply, { ...failure('HTTP_UNSUPPORTED_CONTENT_ENCODING', 'bad_request', message, { contentEncoding: coding.refused, accepted: [...ACCEPTED_ENCODINGS] }), status: 415 });
  };
}
