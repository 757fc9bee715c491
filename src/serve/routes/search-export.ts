/**
 * NDJSON exports: every hit of a search as one JSON object per line, pulled from `searcher.stream`
 * only as fast as the client reads. The first hit is fetched before replying, so a bad query still
 * gets a 400; an error after that ends the stream with one `{"error": ...}` line. An export that left
 * damaged shards out ends with one `{"warning": ...}` line (SEARCH_SHARDS_SKIPPED) naming them. Once the client went
 * away (`signal`, from clientGone) no further hit, hence no further page, is asked for: the readable
 * ends this generator only at a `yield`, and a rare term can fetch many pages between two yields.
 */
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/index.js';
import { skippedMessage, type Hit, type SkippedShards } from '../../search/index.js';
import type { ApiSkippedShard, ExportWarningLine } from '../api.js';
import { toHttpFailure } from '../http-errors.js';

export const NDJSON_TYPE = 'application/x-ndjson';
const CHUNK_CHARS = 64 * 1024;

async function* ndjsonChunks(
  it: AsyncIterator<Hit>,
  first: IteratorResult<Hit>,
  toJson: (hit: Hit) => unknown,
  req: FastifyRequest,
  signal: AbortSignal | undefined,
  skipped: SkippedShards | undefined,
): AsyncGenerator<string> {
  let chunk = '';
  let failed = false;
  try {
    for (let r = first; r.done !== true; r = await it.next()) {
      chunk += JSON.stringify(toJson(r.value)) + '\n';
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
      if (gone(signal)) return; // nobody reads: no next hit, no next page
    }
  } catch (err) {
    if (gone(signal)) {
      req.log.info('search export stopped: the client went away');
      return;
    }
    failed = true;
    const f = toHttpFailure(err, req);
    req.log.error({ err }, `search export failed part-way: ${f.body.error.code}`);
    chunk += JSON.stringify(f.body) + '\n';
  } finally {
    // runs also when the client went away: the searcher stops paging
    await it.return?.();
  }
  const left = skipped?.list ?? [];
  if (!failed && left.length > 0) chunk += JSON.stringify(skippedWarning(left)) + '\n';
  if (chunk !== '') yield chunk;
}

/** The last line of an export that left damaged shards out (ExportWarningLine). */
function skippedWarning(skipped: ApiSkippedShard[]): ExportWarningLine {
  return {
    warning: {
      code: 'SEARCH_SHARDS_SKIPPED',
      message: skippedMessage(skipped),
      details: { skipped },
    },
  };
}

export function wantsNdjson(req: FastifyRequest, format: string | undefined): boolean {
  if (format !== undefined) return format === 'ndjson';
  return (req.headers.accept ?? '').toLowerCase().includes(NDJSON_TYPE);
}

export async function sendExport(
  req: FastifyRequest,
  reply: FastifyReply,
  hits: AsyncIterable<Hit>,
  toJson: (hit: Hit) => unknown,
  signal?: AbortSignal,
  skipped?: SkippedShards,
): Promise<FastifyReply> {
  const it = hits[Symbol.asyncIterator]();
  if (gone(signal)) throw cancelled();
  const first = await it.next();
  // a client that left while the first page was fetched: no reply, no stream
  if (gone(signal)) {
    await it.return?.(undefined);
    throw cancelled();
  }
  reply.type(`${NDJSON_TYPE}; charset=utf-8`).header('cache-control', 'no-store');
  return reply.send(Readable.from(ndjsonChunks(it, first, toJson, req, signal, skipped), { objectMode: false }));
}

function cancelled(): AppError {
  return new AppError('SEARCH_CANCELLED', 'unavailable', 'search cancelled: the client that asked for it went away');
}

/** A function, not an inline test: TypeScript would narrow `aborted` across the awaits. */
function gone(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
