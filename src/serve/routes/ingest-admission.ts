/**
 * How many bytes of `POST /api/ingest` bodies the server holds at once. A request's body, its text
 * and its records stay in memory until the store has committed them, and the store commits at its own
 * pace: eight 62 MiB bodies sent together ran a server with a 1 GiB heap out of memory (about 130 MiB
 * of heap each), so at the default 4 GiB about thirty parallel uploads (`xargs -P 32 curl …`) ended
 * the process, collectors and acknowledged-but-unanswered requests with it. A request is admitted
 * before its body is read, for its declared `Content-Length`, or for the whole body limit when its
 * length is unknown (chunked); a compressed body for COMPRESSED_RATIO times its length, up to the limit
 * (logs inflate 5–15×; claiming the whole limit let only four gzip shippers post at once, however small
 * their batches, so the bound is soft for a body that inflates further); past the budget it is
 * answered 503 `INGEST_BUSY` with `retry-after`, nothing read or stored. One request is always
 * admitted when none is held, so a budget below the body limit still lets requests through one by one.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/index.js';

/** `http.ingestInFlightBytes`' default: 256 MiB, four bodies at the default 64 MiB limit. */
export const INGEST_IN_FLIGHT_DEFAULT = 256 * 1024 * 1024;
const RETRY_AFTER_S = 1;
/** what a compressed body is taken to inflate to, times its length */
export const COMPRESSED_RATIO = 16;

const mib = (bytes: number): string => `${Math.round(bytes / 1048576).toLocaleString('en')} MiB`;

/** The bytes a request is admitted for: its declared length (times COMPRESSED_RATIO when compressed), or the whole limit when unknown. */
export function claimedBytes(headers: FastifyRequest['headers'], bodyLimit: number): number {
  const coding = String(headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const length = Number(headers['content-length']);
  if (headers['content-length'] === undefined || !Number.isFinite(length) || length < 0) return bodyLimit;
  const compressed = coding !== 'identity' && coding !== '';
  return Math.min(compressed ? length * COMPRESSED_RATIO : length, bodyLimit);
}

export class IngestAdmission {
  private held = 0;
  private requests = 0;

  constructor(
    private readonly budget: number,
    private readonly bodyLimit: number,
  ) {}

  /** bytes held by requests admitted and not yet finished */
  get inFlight(): number {
    return this.held;
  }

  /**
   * Admits `req` or throws INGEST_BUSY. What it holds is given back once both the answer is closed and
   * the handler (`during`) has finished: a client that hangs up does not free the memory its records
   * still take until they are committed.
   */
  admit(req: FastifyRequest, reply: FastifyReply): { during<T>(work: () => Promise<T>): Promise<T> } {
    const bytes = claimedBytes(req.headers, this.bodyLimit);
    if (this.requests > 0 && this.held + bytes > this.budget) {
      void reply.header('retry-after', String(RETRY_AFTER_S));
      throw new AppError(
        'INGEST_BUSY',
        'unavailable',
        `ingest: ${mib(this.held)} of request bodies are being stored already, and this one (${mib(bytes)}${bytes === this.bodyLimit ? ', its length unknown or compressed' : ''}) would pass http.ingestInFlightBytes (${mib(this.budget)}); nothing from this request was stored: retry in ${RETRY_AFTER_S} s, or send fewer requests at once`,
        { inFlightBytes: this.held, requestBytes: bytes, limit: this.budget, retryAfter: `${RETRY_AFTER_S} s` },
      );
    }
    this.held += bytes;
    this.requests++;
    let holds = 1;
    const letGo = (): void => {
      if (holds === 0 || --holds > 0) return;
      this.held -= bytes;
      this.requests--;
    };
    reply.raw.once('close', letGo);
    return {
      during: async <T>(work: () => Promise<T>): Promise<T> => {
        if (holds > 0) holds++; // else the answer closed before the handler ran: already given back
        try {
          return await work();
        } finally {
          letGo();
        }
      },
    };
  }
}
