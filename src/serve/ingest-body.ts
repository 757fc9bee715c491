/**
 * `POST /api/ingest` bodies -> raw records. A body is read whole and validated whole before anything
 * is written, so a bad line rejects its request without a partial write. At most `INGEST_MAX_LINES`
 * lines a request, counted before anything is allocated, and the event loop gets a turn every
 * `YIELD_EVERY` lines: a body of 64 MiB of one-byte lines is 33 million records, gigabytes of heap
 * and half a minute in which the server answers nobody.
 */
import { DEFAULT_MAX_LINE_BYTES, isFormatHeader } from '../collect/index.js';
import { AppError, shownHost, sourceHostProblem, type RawRecord } from '../core/index.js';
import { TIME_LIMIT } from '../parse/index.js';

export interface IngestDefaults {
  receivedAt: number;
  source: string;
  /** the host of lines whose header names none (`?host=`); absent: none */
  host?: string;
}

const MAX_SOURCE_LENGTH = 256;
/** 9999-12-31T23:59:59.999Z: shard paths hold a four-digit year */
const MAX_TIME_MS = TIME_LIMIT - 1;
const NDJSON_FIELDS = new Set(['line', 'receivedAt', 'source', 'host']);
/** Lines (empty ones included) one request may hold; a million lines of 64 bytes fill the default body limit. */
export const INGEST_MAX_LINES = 1_000_000;
const YIELD_EVERY = 10_000;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Refuses a body of more than INGEST_MAX_LINES lines before any line is read. */
function checkLineCount(body: string): void {
  let lines = 0;
  for (let at = body.indexOf('\n'); at >= 0; at = body.indexOf('\n', at + 1)) {
    if (++lines >= INGEST_MAX_LINES && at + 1 < body.length) {
      throw new AppError('INGEST_TOO_MANY_LINES', 'bad_request', `ingest: a request holds at most ${INGEST_MAX_LINES.toLocaleString('en')} lines; nothing from this request was stored, send it in parts`, { max: INGEST_MAX_LINES });
    }
  }
}

/**
 * Lines of a body: split on LF, one trailing CR removed; `lineNo` is 1-based and counts empty lines.
 * One byte order mark at the start of the body (Windows editors and PowerShell write one) is not part
 * of line 1: kept, it made NDJSON line 1 invalid JSON over an invisible character and stored a text
 * line 1 that no search for its first word finds. Yields the event loop every YIELD_EVERY lines.
 */
async function eachLine(body: string, visit: (text: string, lineNo: number) => void): Promise<void> {
  checkLineCount(body);
  let start = body.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNo = 0;
  while (start < body.length) {
    let end = body.indexOf('\n', start);
    if (end < 0) end = body.length;
    lineNo++;
    const cut = end > start && body.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (cut > start) visit(body.slice(start, cut), lineNo);
    start = end + 1;
    if (lineNo % YIELD_EVERY === 0) await turn();
  }
}

/**
 * A line longer than the collectors keep (1 MiB of UTF-8): they store its head and count the tail
 * dropped; a request can be answered, so it is refused whole, naming the line.
 */
function checkLength(line: string, lineNo: number): void {
  if (line.length * 3 <= DEFAULT_MAX_LINE_BYTES) return; // cannot be over, whatever its characters
  const bytes = Buffer.byteLength(line, 'utf8');
  if (bytes > DEFAULT_MAX_LINE_BYTES) {
    throw new AppError('INGEST_LINE_TOO_LONG', 'bad_request', `ingest: line ${lineNo} is ${bytes} bytes, over the ${DEFAULT_MAX_LINE_BYTES} bytes a line may have; nothing from this request was stored`, { line: lineNo, bytes, max: DEFAULT_MAX_LINE_BYTES });
  }
}

/**
 * `text/plain`: one record per non-empty line; a log file's format header lines (Zeek TSV `#fields` …,
 * W3C `#Fields:` …) are counted in `skipped.headers`, not stored, as `nml ingest` leaves them out (a
 * conn.log posted whole stored its nine header lines as events at the time it arrived). Throws
 * INGEST_LINE_TOO_LONG or INGEST_TOO_MANY_LINES.
 */
export async function textRecords(body: string, d: IngestDefaults, skipped: { headers: number } = { headers: 0 }): Promise<RawRecord[]> {
  const records: RawRecord[] = [];
  await eachLine(body, (line, lineNo) => {
    checkLength(line, lineNo);
    if (isFormatHeader(line)) {
      skipped.headers++;
      return;
    }
    records.push(d.host === undefined ? { line, receivedAt: d.receivedAt, source: d.source } : { line, receivedAt: d.receivedAt, source: d.source, host: d.host });
  });
  return records;
}

function badLine(lineNo: number, what: string, field?: string): AppError {
  const details: Record<string, unknown> = field === undefined ? { line: lineNo } : { line: lineNo, field };
  return new AppError('INGEST_BAD_NDJSON', 'bad_request', `ingest: ndjson line ${lineNo} ${what}; nothing from this request was stored`, details);
}

function ndjsonRecord(text: string, lineNo: number, d: IngestDefaults): RawRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const why = (e as Error).message;
    throw badLine(lineNo, `is not valid JSON (${why.charAt(0).toLowerCase()}${why.slice(1)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badLine(lineNo, 'is not a JSON object');
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!NDJSON_FIELDS.has(key)) throw badLine(lineNo, `has unknown field '${key}' (known: line, receivedAt, source, host)`, key);
  }
  if (typeof o.line !== 'string') throw badLine(lineNo, o.line === undefined ? "has no field 'line'" : "has a 'line' that is not a string", 'line');
  checkLength(o.line, lineNo);
  const record: RawRecord = d.host === undefined ? { line: o.line, receivedAt: d.receivedAt, source: d.source } : { line: o.line, receivedAt: d.receivedAt, source: d.source, host: d.host };
  if (o.receivedAt !== undefined) {
    const t = o.receivedAt;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > MAX_TIME_MS) {
      throw badLine(lineNo, "has a 'receivedAt' that is not an integer of ms since epoch from 1970 to the end of year 9999", 'receivedAt');
    }
    record.receivedAt = t;
  }
  if (o.source !== undefined) {
    const s = o.source;
    if (typeof s !== 'string' || s.length === 0 || s.length > MAX_SOURCE_LENGTH) {
      throw badLine(lineNo, `has a 'source' that is not a string of 1 to ${MAX_SOURCE_LENGTH} characters`, 'source');
    }
    // the store keeps a line's host after a NUL in its source (store/stored-source.ts): a source never holds one
    if (s.includes('\u0000')) throw badLine(lineNo, "has a 'source' holding a NUL character", 'source');
    record.source = s;
  }
  if (o.host !== undefined) {
    const why = sourceHostProblem(o.host);
    if (why !== null) throw badLine(lineNo, `has a 'host' (the host of a line whose header names none) ${shownHost(o.host)} that is ${why}`, 'host');
    record.host = o.host as string;
  }
  return record;
}

/** `application/x-ndjson`: one `{line, receivedAt?, source?, host?}` per non-empty line. Throws INGEST_BAD_NDJSON, INGEST_LINE_TOO_LONG or INGEST_TOO_MANY_LINES. */
export async function ndjsonRecords(body: string, d: IngestDefaults): Promise<RawRecord[]> {
  const records: RawRecord[] = [];
  await eachLine(body, (text, lineNo) => {
    if (text.trim() === '') return;
    records.push(ndjsonRecord(text, lineNo, d));
  });
  return records;
}

/**
 * The body is read as UTF-8; a body declared in another charset would be stored garbled, so it is
 * refused, and so is `charset=` with no value (a client's template left blank), saying what to send.
 * Throws HTTP_UNSUPPORTED_MEDIA_TYPE.
 */
export function checkCharset(contentType: string | undefined): void {
  const m = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType ?? '');
  if (m === null || /^(utf-?8|us-ascii)$/i.test(m[1]!)) return;
  const charset = m[1]!.slice(0, 40);
  if (charset === '') {
    throw new AppError('HTTP_UNSUPPORTED_MEDIA_TYPE', 'bad_request', "ingest: the content type's charset is empty; send 'charset=utf-8', or no charset parameter at all (the body is read as UTF-8)", { charset });
  }
  throw new AppError('HTTP_UNSUPPORTED_MEDIA_TYPE', 'bad_request', `ingest: charset '${charset}' is not accepted; send the lines as UTF-8 (or omit charset), e.g. convert with iconv -t UTF-8`, { charset });
}
