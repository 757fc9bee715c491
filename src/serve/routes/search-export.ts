/**
 * Exports: every hit of a search as one JSON object per line (`ndjson`), or as its raw line (`lines`,
 * what `nml search` prints), pulled from `searcher.stream` only as fast as the client reads. The first
 * hit is fetched before replying, so a bad query still gets a 400; an error after that ends the stream
 * with one `{"error": ...}` line (`# nml: error: …` in `lines`). An export that left damaged shards out
 * ends with one `{"warning": ...}` line (SEARCH_SHARDS_SKIPPED) naming them (`# nml: warning: …`). Once the client went
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

/** How an export writes a hit, and the error or warning that may end it. */
export interface ExportFormat {
  type: string;
  /** the file name's extension where the export is downloaded */
  extension: string;
  hit(hit: Hit): string;
  end(line: { error: unknown } | ExportWarningLine): string;
}

/** One JSON object per line; `toJson` shapes a hit (parsed fields with fields=1). */
export function ndjsonFormat(toJson: (hit: Hit) => unknown): ExportFormat {
  return { type: NDJSON_TYPE, extension: 'ndjson', hit: (h) => JSON.stringify(toJson(h)), end: (line) => JSON.stringify(line) };
}

/**
 * Each hit's raw line as stored; an error or warning that ends the export is one line starting `# nml:`,
 * which no stored line is told apart from by anything else, so a reader of the file sees it is not whole.
 */
export const LINES_FORMAT: ExportFormat = {
  type: 'text/plain',
  extension: 'log',
  hit: (h) => h.raw,
  end: (line) => {
    if ('warning' in line) return `# nml: warning: ${line.warning.message}`;
    const e = (line as { error: { code: string; message: string } }).error;
    return `# nml: error: ${e.code}: ${e.message}`;
  },
};

async function* exportChunks(
  it: AsyncIterator<Hit>,
  first: IteratorResult<Hit>,
  format: ExportFormat,
  req: FastifyRequest,
  signal: AbortSignal | undefined,
  skipped: SkippedShards | undefined,
): AsyncGenerator<string> {
  let chunk = '';
  let failed = false;
  try {
    for (let r = first; r.done !== true; r = await it.next()) {
      chunk += format.hit(r.value) + '\n';
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
    chunk += format.end(f.body) + '\n';
  } finally {
    // runs also when the client went away: the searcher stops paging
    await it.return?.();
  }
  const left = skipped?.list ?? [];
  if (!failed && left.length > 0) chunk += format.end(skippedWarning(left)) + '\n';
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

/** The export `format=` (or `Accept: application/x-ndjson`) asks for; null for a page of JSON. */
export function exportWanted(req: FastifyRequest, format: string | undefined): 'ndjson' | 'lines' | null {
  if (format !== undefined) return format === 'ndjson' || format === 'lines' ? format : null;
  return (req.headers.accept ?? '').toLowerCase().includes(NDJSON_TYPE) ? 'ndjson' : null;
}

/**
 * `nml-search-20261206T1059Z-20261207T1059Z.log` (`nml-share-…` for `kind` share): the range searched (an open start `start`, an open end
 * the time of the export), in a name every file system takes.
 */
export function exportFileName(range: { from: number | null; to: number | null }, now: number, extension: string, kind = 'search'): string {
  // a time past what a Date holds (±8.64e15 ms) has no ISO form
  const stamp = (t: number): string => (Math.abs(t) <= 8.64e15 ? new Date(t).toISOString().slice(0, 16).replace(/[-:]/g, '') + 'Z' : 'far');
  return `nml-${kind}-${range.from === null ? 'start' : stamp(range.from)}-${stamp(range.to ?? now)}.${extension}`;
}

export async function sendExport(
  req: FastifyRequest,
  reply: FastifyReply,
  hits: AsyncIterable<Hit>,
  format: ExportFormat,
  signal?: AbortSignal,
  skipped?: SkippedShards,
  /** a file name: the browser saves the export (Content-Disposition: attachment) rather than showing it */
  download?: string,
): Promise<FastifyReply> {
  const it = hits[Symbol.asyncIterator]();
  if (gone(signal)) throw cancelled();
  const first = await it.next();
  // a client that left while the first page was fetched: no reply, no stream
  if (gone(signal)) {
    await it.return?.(undefined);
    throw cancelled();
  }
  reply.type(`${format.type}; charset=utf-8`).header('cache-control', 'no-store');
  if (download !== undefined) reply.header('content-disposition', `attachment; filename="${download}"`);
  return reply.send(Readable.from(exportChunks(it, first, format, req, signal, skipped), { objectMode: false }));
}

function cancelled(): AppError {
  return new AppError('SEARCH_CANCELLED', 'unavailable', 'search cancelled: the client that asked for it went away');
}

/** A function, not an inline test: TypeScript would narrow `aborted` across the awaits. */
function gone(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
