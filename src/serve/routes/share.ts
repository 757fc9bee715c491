/**
 * `GET /api/share/export` (admins and the API token only): the labelled, anonymized dataset of
 * `nml share export` (src/share), streamed as NDJSON rather than written to a folder. One record a line:
 * every `{"finding": …}` first (findings.ndjson's records), then every `{"line": …}` (lines.ndjson's), and
 * `{"manifest": …}` last (MANIFEST.json): a reader that got no manifest knows the export is not whole. A
 * failure part-way ends it with one `{"error": …}` line instead of the manifest. The records are made only
 * as fast as the client reads (Readable.from pulls the generator), and a client that goes away stops the
 * search under them (clientGone). The key is `share.keyFile`'s, read at each export; without it the
 * route answers 400 SHARE_KEY_MISSING saying how to set it. A whole export is anonymized in a worker thread
 * (share/records-thread.ts: on this thread it slowed every other request ~10×); a preview (`limit`) here.
 * At most `share.maxExports` whole exports run at once (each a worker anonymizing its whole range, a core
 * while it runs): one more is answered 503 SHARE_BUSY with retry-after before any search starts. A slot is
 * held until the answer closes (sent, failed or the client gone). Previews do not count: one search page of
 * at most SHARE_PREVIEW_MAX lines each, and the dialog asks one for every change of its domains, so a
 * download under way must not make the dialog that started it fail.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/index.js';
import type { FindingsStore } from '../../detect/index.js';
import { compileQuery, SkippedShards, type Hit, type Searcher } from '../../search/index.js';
import { findingsLastSeenIn, keyFingerprint, LineAnonymizer, loadShareKey, MAKE_SHARE_KEY, shareRecords, shareTextOffThread, type ShareLine, type ShareRecord } from '../../share/index.js';
import type { ShareManifest } from '../../share/index.js';
import { toHttpFailure } from '../http-errors.js';
import { clientGone } from '../request-signal.js';
import { asOfParam, errorBody, errorReplies, flagParam, queryParam, timeParams } from '../schemas.js';
import { searchRangeFromParams } from '../time-params.js';
import { exportFileName, NDJSON_TYPE } from './search-export.js';

export interface ShareRouteDeps {
  searcher: Pick<Searcher, 'stream'>;
  /** the findings whose triage labels the lines; absent: an export without findings or labels */
  findings?: Pick<FindingsStore, 'list'>;
  /** `share.keyFile`; null or absent: not set */
  keyFile?: string | null;
  version: string;
  now: () => number;
  /** `share.maxExports`: whole exports at once (SHARE_EXPORTS_DEFAULT when absent) */
  maxExports?: number;
}

/** `share.maxExports`' default */
export const SHARE_EXPORTS_DEFAULT = 2;
/** what a refused export is told to wait: a whole export of 200,000 lines takes about 20 s */
const BUSY_RETRY_S = 30;

interface ShareQuery {
  from?: string;
  to?: string;
  asOf?: number;
  q?: string;
  internalDomain?: string[];
  limit?: number;
  download?: string;
}

/** the most lines a preview (`limit`) may ask for */
export const SHARE_PREVIEW_MAX = 1000;

const CHUNK_CHARS = 64 * 1024;

const querystring = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...timeParams,
    ...asOfParam,
    q: queryParam,
    internalDomain: {
      type: 'array',
      maxItems: 100,
      items: { type: 'string', minLength: 1, maxLength: 253, pattern: '^\\.?[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.?$' },
      description: "a domain whose names are the site's own, made pseudonyms like names without a dot (repeatable: internalDomain=acme.com&internalDomain=acme.net), as nml share export --internal-domain",
    },
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: SHARE_PREVIEW_MAX,
      description: `a preview (the web UI's, before a download): every finding, then at most this many lines; when more lines match, the manifest carries partial: {lineLimit} and a note, and its counts are of what was read (at most ${SHARE_PREVIEW_MAX})`,
    },
    download: { ...flagParam, description: '1: sent as a file to save (Content-Disposition: attachment; nml-share-<from>-<to>.ndjson)' },
  },
} as const;

/** Admins (a session's admin role) and the API token, whose principal is an admin; others 403. */
async function requireAdmin(req: FastifyRequest): Promise<void> {
  const p = req.principal!;
  if (p.user.role === 'admin') return;
  req.log.info({ user: p.user.name, route: req.routeOptions.url }, 'share export refused: not an admin');
  throw new AppError('AUTH_FORBIDDEN', 'forbidden', `auth: exporting a shared dataset needs the admin role; '${p.user.name}' has the ${p.user.role} role (an admin decides what leaves the site)`, { role: p.user.role });
}

/** `first`, then the rest of `it`; closing it closes `it` (the search stops). */
async function* prefetched(first: IteratorResult<Hit>, it: AsyncIterator<Hit>): AsyncGenerator<ShareLine> {
  try {
    for (let r = first; r.done !== true; r = await it.next()) yield r.value;
  } finally {
    await it.return?.();
  }
}

/** `records` as NDJSON text in 64 KiB chunks, the manifest the return value: a preview's (`limit`), made on this thread. */
async function* inThread(records: AsyncGenerator<ShareRecord, ShareManifest>): AsyncGenerator<string, ShareManifest> {
  let chunk = '';
  try {
    let r = await records.next();
    for (; r.done !== true; r = await records.next()) {
      chunk += `${JSON.stringify(r.value)}\n`;
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk !== '') yield chunk;
    return r.value;
  } catch (err) {
    if (chunk !== '') yield chunk; // what was made goes out before the error line
    throw err;
  } finally {
    await records.return(undefined as never).catch(() => undefined);
  }
}

/** The records' text, then the manifest (or, on a failure part-way, one error line); stops when the client went away. */
async function* chunks(text: AsyncGenerator<string, ShareManifest>, req: FastifyRequest, signal: AbortSignal): AsyncGenerator<string> {
  let last = '';
  let chars = 0;
  try {
    let r = await text.next();
    for (; r.done !== true; r = await text.next()) {
      yield r.value;
      chars += r.value.length;
      if (signal.aborted) {
        req.log.info({ chars }, 'share export stopped: the client went away');
        return;
      }
    }
    last = `${JSON.stringify({ manifest: r.value })}\n`;
    req.log.info({ lines: r.value.files['lines.ndjson'].records, findings: r.value.files['findings.ndjson'].records, withheld: r.value.withheld.lines }, 'share export sent');
  } catch (err) {
    if (signal.aborted) return;
    const f = toHttpFailure(err, req);
    req.log.error({ err }, `share export failed part-way: ${f.body.error.code}`);
    last = `${JSON.stringify(f.body)}\n`;
  } finally {
    // also when the client went away: the records' search stops paging (and the worker ends)
    await text.return(undefined as never).catch(() => undefined);
  }
  if (last !== '') yield last;
}

export function shareRoutes(deps: ShareRouteDeps) {
  const max = deps.maxExports ?? SHARE_EXPORTS_DEFAULT;
  let running = 0;
  /** A slot for a whole export, given back once (call the result, or let the answer close), or SHARE_BUSY. */
  const takeSlot = (req: FastifyRequest, reply: FastifyReply): (() => void) => {
    if (running >= max) {
      req.log.info({ running, max }, 'share export refused: busy');
      void reply.header('retry-after', String(BUSY_RETRY_S));
      throw new AppError('SHARE_BUSY', 'unavailable', `share: ${running} whole ${running === 1 ? 'export is' : 'exports are'} running already, the most share.maxExports (${max}) allows at once; nothing was started: retry in ${BUSY_RETRY_S} s, when one has finished (a preview, limit=N, is not counted)`, { running, limit: max, retryAfter: `${BUSY_RETRY_S} s` });
    }
    running++;
    let held = true;
    const release = (): void => {
      if (!held) return;
      held = false;
      running--;
    };
    reply.raw.once('close', release);
    return release;
  };
  return async function register(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: ShareQuery }>(
      '/api/share/export',
      {
        onRequest: requireAdmin,
        schema: {
          summary: 'a labelled, anonymized dataset of one time range, as nml share export writes it, streamed (admins only)',
          description:
            'NDJSON, one record a line: {"finding": …} for each finding last seen in the range (its triage as label), then {"line": …} for each stored line (newest first, anonymized: Crypto-PAn addresses, keyed pseudonyms; labelled with the findings it names), then {"manifest": …} last (counts, withheld lines, skipped shards, the scheme and key fingerprint). No manifest at the end: the export is not whole; a failure part-way ends it with one {"error": …} line. The key is the file share.keyFile names (400 SHARE_KEY_MISSING when it is not set). At most share.maxExports whole exports run at once: one more is 503 SHARE_BUSY with retry-after (a preview, limit=N, is not counted).',
          tags: ['share'],
          querystring,
          response: {
            200: {
              description: '{"finding": …} records, {"line": …} records, one {"manifest": …} last',
              content: { 'application/x-ndjson': { schema: { type: 'string' } } },
            },
            ...errorReplies,
            403: errorBody,
          },
        },
      },
      async (req: FastifyRequest<{ Querystring: ShareQuery }>, reply: FastifyReply) => {
        const q = req.query;
        if (deps.keyFile === undefined || deps.keyFile === null) {
          throw new AppError('SHARE_KEY_MISSING', 'bad_request', `share: the server has no share key: set share.keyFile in the configuration file to a key file and restart nml serve; ${MAKE_SHARE_KEY}`, { setting: 'share.keyFile' });
        }
        if (q.from === undefined || q.from.trim() === '') {
          throw new AppError('SHARE_RANGE_MISSING', 'bad_request', 'share: query parameter from is needed: the start of the time range to export (ISO time, -7d, epoch ms); to defaults to now', { param: 'from' });
        }
        const key = loadShareKey(deps.keyFile, 'share.keyFile');
        const range = searchRangeFromParams(q, deps.now());
        // a query that does not compile is a 400 before anything is recorded or a slot taken: no export took place
        compileQuery(q.q ?? '');
        const release = q.limit === undefined ? takeSlot(req, reply) : () => undefined;
        try {
          return await exportTo(req, reply, key, range);
        } catch (err) {
          release(); // nothing is streaming: the slot is free now, not when the error reply closes
          throw err;
        }
      },
    );

    async function exportTo(req: FastifyRequest<{ Querystring: ShareQuery }>, reply: FastifyReply, key: ReturnType<typeof loadShareKey>, range: ReturnType<typeof searchRangeFromParams>): Promise<FastifyReply> {
      const q = req.query;
      const query = q.q ?? '';
      req.audit({ action: 'share.export', details: { from: range.from, to: range.to, q: query, internalDomain: q.internalDomain ?? [], keyFingerprint: keyFingerprint(key), ...(q.limit === undefined ? {} : { preview: q.limit }) } }, true);
      const findings = deps.findings === undefined ? [] : findingsLastSeenIn(deps.findings, range.from, range.to);
      const signal = clientGone(reply);
      const skipped = new SkippedShards();
      const it = deps.searcher.stream(query, range, Infinity, 1000, signal, skipped)[Symbol.asyncIterator]();
      // the first page before replying: a bad query is a 400, not a stream that ends in an error
      const first = await it.next();
      const lines = prefetched(first, it);
      const common = { lines, findings, range: { from: range.from, to: range.to }, query, nmlVersion: deps.version, skipped: () => skipped.list, now: deps.now };
      const domains = q.internalDomain ?? [];
      // a whole export anonymizes in a worker thread (records-thread.ts); a preview's few lines here
      const text =
        q.limit === undefined
          ? shareTextOffThread({ ...common, key, internalDomains: domains, signal })
          : inThread(shareRecords({ ...common, anonymizer: new LineAnonymizer(key, domains), keyFingerprint: keyFingerprint(key), lineLimit: q.limit }));
      reply.type(`${NDJSON_TYPE}; charset=utf-8`).header('cache-control', 'no-store');
      if (q.download === '1' || q.download === 'true') reply.header('content-disposition', `attachment; filename="${exportFileName(range, deps.now(), 'ndjson', 'share')}"`);
      return reply.send(Readable.from(chunks(text, req, signal), { objectMode: false }));
    }
  };
}
