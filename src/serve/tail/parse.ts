/** The tail's view of a record: its event time as the writer lanes choose it, and its typed index terms (with or without entities). */
import type { RawRecord } from '../../core/index.js';
import { parseLine, type ParseOptions } from '../../parse/index.js';
import { eventTerms } from '../../store/index.js';
import type { TailParser } from './hub.js';

/** Same rule as src/writer.worker.ts: a header time more than a day ahead of receipt is not trusted. */
const MAX_FUTURE_MS = 24 * 3600_000;

export function tailParser(options: ParseOptions = {}): TailParser {
  const header: ParseOptions = { ...options, entities: false };
  return (record: RawRecord, withEntities = true) => {
    const ev = parseLine(record, withEntities ? options : header);
    const time = Number.isFinite(ev.time) && ev.time <= record.receivedAt + MAX_FUTURE_MS && ev.time >= 0 ? ev.time : record.receivedAt;
    return { time, terms: eventTerms(ev) };
  };
}
