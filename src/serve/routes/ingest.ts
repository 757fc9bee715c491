/**
 * `POST /api/ingest`: lines over HTTP into the store. The reply is sent only after every batch was
 * committed, so `accepted` means durable and searchable; a full writer queue delays the reply.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, checkedSourceHost, isAppError, startsGzip, type RawRecord, type RecordSink } from '../../core/index.js';
import { notUtf8Lines, otherArchive, SNIFF_BYTES } from '../../collect/index.js';
import type { IngestResponse } from '../api.js';
import { INGEST_BODY_LIMIT_DEFAULT } from '../deps.js';
import { checkCharset, ndjsonRecords, textRecords } from '../ingest-body.js';
import { decodeBody } from '../ingest-encoding.js';
import { errorBody, errorReplies } from '../schemas.js';
import { sendFailure, toHttpFailure } from '../http-errors.js';
import { diskRefusal, RefusalLog, refusalLine, storeReason } from './ingest-refusals.js';
import { IdempotencyCache, IDEMPOTENCY_HEADER } from './ingest-idempotency.js';
import type { KeyJournal } from './ingest-keys.js';
import { IngestAdmission, INGEST_IN_FLIGHT_DEFAULT } from './ingest-admission.js';

/** Records per `sink.write` call. */
export const INGEST_BATCH = 10_000;
const NDJSON = 'application/x-ndjson';

export interface IngestRouteOptions {
  sink: RecordSink;
  now: () => number;
  bodyLimit?: number;
  /**
   * lines of a request never handed to the sink because the sink refused an earlier batch of it: not
   * stored either, and counted nowhere else (the store counts only the batch it refused)
   */
  onUnsent?: (lines: number) => void;
  /**
   * lines a request stored, the bytes of its body (received, as the collectors count theirs) and its lines
   * whose bytes were not UTF-8 (stored with U+FFFD): the http source's row in /api/stats and /api/live
   */
  onStored?: (lines: number, bytes: number, notUtf8: number) => void;
  /** where Idempotency-Key keys outlive the process (`<data>/ingest-keys.db`); absent: in memory only */
  keys?: KeyJournal;
  /** bytes of bodies held at once (`http.ingestInFlightBytes`); past it 503 INGEST_BUSY (ingest-admission.ts) */
  inFlightBytes?: number;
}

function notCommitted(cause: unknown, committed: number, total: number): AppError {
  const why = isAppError(cause) && cause.kind !== 'internal' ? `: ${cause.message}` : '';
  const details: Record<string, unknown> = { accepted: committed, total };
  if (isAppError(cause)) details.cause = cause.code;
  const partly = isAppError(cause) && cause.code === 'STORE_PARTLY_WRITTEN';
  const stored = partly ? `${committed} of ${total} lines were stored before the failing batch of ${INGEST_BATCH.toLocaleString('en')}, and part of that batch too (search before resending it)` : `${committed} of ${total} lines were stored before it failed`;
  const message = `ingest: the store did not commit this request${why}; ${stored}, retry the rest later`;
  return new AppError('INGEST_NOT_COMMITTED', 'unavailable', message, details, cause);
}

/**
 * Writes in batches of `batchSize`, waiting out congestion first; resolves with the count committed. It
 * stops at the first batch refused and tells `onUnsent` how many lines after it were never handed over.
 */
export async function writeCommitted(sink: RecordSink, records: RawRecord[], batchSize = INGEST_BATCH, onUnsent?: (lines: number) => void): Promise<number> {
  let committed = 0;
  for (let at = 0; at < records.length; at += batchSize) {
    const batch = records.slice(at, at + batchSize);
    if (sink.congested) await sink.whenDrained();
    try {
      await sink.write(batch);
    } catch (e) {
      const unsent = records.length - at - batch.length;
      if (unsent > 0) onUnsent?.(unsent);
      throw notCommitted(e, committed, records.length);
    }
    committed += batch.length;
  }
  return committed;
}

/** The request's `?host=` (checked: INGEST_HOST_INVALID), or undefined without one. */
function hostOf(req: FastifyRequest): string | undefined {
  const host = (req.query as { host?: unknown } | undefined)?.host;
  return host === undefined ? undefined : checkedSourceHost(host, 'ingest: ?host=');
}

function isNdjson(req: FastifyRequest): boolean {
  return (req.headers['content-type'] ?? '').toLowerCase().startsWith(NDJSON);
}

/**
 * A body (after any Content-Encoding was undone) that is still compressed, by its first bytes: a
 * shipper that gzips without saying so, or an .xz posted as it is. Stored, it was lines of binary.
 */
function compressedBody(body: Buffer): AppError | null {
  const head = body.subarray(0, SNIFF_BYTES);
  const format = startsGzip(head) ? 'gzip' : otherArchive(head)?.name;
  if (format === undefined) return null;
  const what = format === 'gzip' ? "send it with 'Content-Encoding: gzip' (the header was missing, or the body was compressed twice)" : 'decompress it first, or send it gzip-compressed with \'Content-Encoding: gzip\'';
  return new AppError('INGEST_BODY_COMPRESSED', 'bad_request', `ingest: the body is ${format}-compressed data, not lines of text; ${what}; nothing from this request was stored`, { format });
}

export function ingestRoutes(opts: IngestRouteOptions) {
  const bodyLimit = opts.bodyLimit ?? INGEST_BODY_LIMIT_DEFAULT;
  return async function register(app: FastifyInstance): Promise<void> {
    // a full or read-only disk refuses every request alike: each is answered, the log told once a minute (ingest-refusals.ts)
    const refusals = new RefusalLog((r) => app.log.warn({ code: r.code, requests: r.requests, lines: r.lines }, refusalLine(r)));
    // a request turned away for memory is told to retry; the log hears of them once a minute too
    const busy = new RefusalLog((r) => app.log.warn({ code: r.code, requests: r.requests }, refusalLine(r)));
    app.addHook('onClose', async () => {
      refusals.flush();
      busy.flush();
    });
    const admission = new IngestAdmission(opts.inFlightBytes ?? INGEST_IN_FLIGHT_DEFAULT, bodyLimit);
    const admitted = new WeakMap<FastifyRequest, ReturnType<IngestAdmission['admit']>>();
    // what only a body's bytes tell, taken while they are at hand: its length, and its lines that were not UTF-8
    const bodyBytes = new WeakMap<FastifyRequest, { length: number; notUtf8: number }>();
    const idempotent = new IdempotencyCache(opts.now, undefined, undefined, opts.keys);
    // Only these two bodies, read as text; JSON and forms are refused with HTTP_UNSUPPORTED_MEDIA_TYPE.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(['text/plain', NDJSON], { parseAs: 'buffer', bodyLimit }, (req, body: Buffer, done) => {
      const refused = compressedBody(body);
      if (refused !== null) return done(refused);
      const text = body.toString('utf8');
      bodyBytes.set(req, { length: body.length, notUtf8: notUtf8Lines(body, text) });
      done(null, text);
    });

    app.post(
      '/api/ingest',
      {
        bodyLimit,
        // after authentication (the scope's hook) and before the body is read: past the budget nothing is read
        onRequest: async (req, reply) => {
          try {
            // a bad ?host= is refused before the body is read, as a busy server refuses
            hostOf(req);
          } catch (e) {
            return sendFailure(reply, toHttpFailure(e, req));
          }
          try {
            admitted.set(req, admission.admit(req, reply));
          } catch (e) {
            // answered here, not thrown: the error handler would log every refused request as an error
            busy.note('INGEST_BUSY', 0, (e as Error).message);
            return sendFailure(reply, toHttpFailure(e, req));
          }
        },
        // gzip and deflate bodies inflated here, the limit holding for the inflated size; other codings 415
        preParsing: decodeBody(bodyLimit),
        schema: {
          summary: 'store log lines; replies after they are committed',
          description:
            'UTF-8 only (a charset other than utf-8 is refused; bytes that are not valid UTF-8 are stored as U+FFFD, as syslog\'s are, and the lines ' +
            'that held them counted in the reply\'s notUtf8 and the http:/api/ingest source\'s); at most 1,000,000 lines. ' +
            'text/plain: one line per LF (CR before LF removed, empty lines skipped). application/x-ndjson: one ' +
            '{"line": string, "receivedAt"?: ms, "source"?: string, "host"?: string} per line; one bad line rejects the whole request ' +
            'and nothing from it is stored. Source defaults to http:<remote ip>. ' +
            'Content-Encoding: gzip (or x-gzip), deflate (zlib format) or identity; the body limit holds for the ' +
            'decompressed body too (over it: 400 HTTP_BODY_TOO_LARGE), a corrupt or cut-short compressed body is a ' +
            '400 HTTP_BAD_CONTENT_ENCODING, and any other coding, or several, a 415 HTTP_UNSUPPORTED_CONTENT_ENCODING. ' +
            'Delivery is at least once: a 2xx answer means every accepted line is committed, and a body cut off before it ' +
            'arrived whole stores nothing; but a request whose answer was lost (a client timeout, a dropped connection) may ' +
            'have been committed: send it again with the same `Idempotency-Key` header (1 to 200 printable ASCII characters, a UUID say) ' +
            'and its lines are stored once (the answer is the first one again, with `Idempotent-Replayed: true`). Keys are kept ' +
            'per principal for 24 hours, at most 10,000, and written to disk once the request\'s lines are committed, so a retry after a ' +
            'server restart is answered too (a crash between the commit and that write stores it again); a request that failed frees its ' +
            'key; the same key with another body is a 400 IDEMPOTENCY_KEY_REUSED. Without a key, a resent request stores its lines again. ' +
            'While the bodies held for the store (http.ingestInFlightBytes) are full, a request is refused before its body is read: 503 INGEST_BUSY with retry-after.',
          tags: ['ingest'],
          consumes: ['text/plain', NDJSON],
          querystring: {
            type: 'object',
            properties: {
              host: {
                type: 'string',
                description:
                  "the host of lines whose header names none (an access log, an app's own file): searchable as host:<name>, shown in the Host column; a header's own host wins, " +
                  "and an NDJSON record's own `host` wins over this. An IP address or a host name (letters, digits, '-' and '_' in dot-separated labels), at most 253 characters; " +
                  'anything else is a 400 INGEST_HOST_INVALID and nothing is stored. Part of what an Idempotency-Key covers: the same key and body with another host is a 400 IDEMPOTENCY_KEY_REUSED. Absent: no host.',
              },
            },
          },
          body: { type: 'string' },
          response: {
            200: { type: 'object', required: ['accepted'], properties: { accepted: { type: 'integer' }, headersSkipped: { type: 'integer' }, notUtf8: { type: 'integer' } } },
            ...errorReplies,
            415: errorBody,
          },
        },
      },
      async (req, reply): Promise<IngestResponse | FastifyReply> => {
        const ticket = admitted.get(req);
        return ticket === undefined ? store(req, reply) : ticket.during(() => store(req, reply));
      },
    );

    async function store(req: FastifyRequest, reply: FastifyReply): Promise<IngestResponse | FastifyReply> {
      // the body is read as UTF-8; one declared in another charset would be stored garbled, so it is refused
      checkCharset(req.headers['content-type']);
      const host = hostOf(req);
      const defaults = { receivedAt: opts.now(), source: `http:${req.ip}`, ...(host === undefined ? {} : { host }) };
      const body = typeof req.body === 'string' ? req.body : '';
      const skipped = { headers: 0 };
      const bytes = bodyBytes.get(req);
      const replaced = bytes?.notUtf8 ?? 0;
      const answer = (accepted: number): IngestResponse => ({
        accepted,
        ...(skipped.headers > 0 ? { headersSkipped: skipped.headers } : {}),
        ...(replaced > 0 ? { notUtf8: replaced } : {}),
      });
      const records = await (isNdjson(req) ? ndjsonRecords(body, defaults) : textRecords(body, defaults, skipped));
      let accepted: number;
      const key = req.headers[IDEMPOTENCY_HEADER];
      const write = (): Promise<number> => writeCommitted(opts.sink, records, INGEST_BATCH, opts.onUnsent);
      try {
        if (typeof key === 'string') {
          const scope = req.principal === null ? `ip:${req.ip}` : `${req.principal.kind}:${req.principal.user.name}`;
          // the host is part of what the key covers: the same body sent for another host is another request
          const r = await idempotent.run(scope, key, body, write, host);
          if (r.replayed) {
            // stored by the request this one repeats: nothing stored now, nothing counted again
            void reply.header('idempotent-replayed', 'true');
            return answer(r.value);
          }
          accepted = r.value;
        } else accepted = await write();
      } catch (e) {
        const code = diskRefusal(e);
        if (code === null) throw e;
        const stored = Number((e as AppError).details?.['accepted'] ?? 0);
        refusals.note(code, records.length - stored, storeReason(e as AppError));
        return sendFailure(reply, toHttpFailure(e, req));
      }
      if (accepted > 0) opts.onStored?.(accepted, bytes?.length ?? Buffer.byteLength(body, 'utf8'), replaced);
      return answer(accepted);
    }
  };
}
