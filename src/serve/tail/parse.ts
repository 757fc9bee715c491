/** The tail's view of a record: its event time as the writer lanes choose it, its header's host, and its typed index terms (with or without entities). */
import type { RawRecord } from '../../core/index.js';
import { parseLine, trustedTime, type ParseOptions } from '../../parse/index.js';
import { eventTerms } from '../../store/index.js';
import type { TailParser } from './hub.js';

export function tailParser(options: ParseOptions = {}): TailParser {
  const header: ParseOptions = { ...options, entities: false };
  return (record: RawRecord, withEntities = true) => {
    const ev = parseLine(record, withEntities ? options : header);
    const time = trustedTime(ev.time, record.receivedAt);
    return { time, host: ev.host, terms: eventTerms(ev) };
  };
}
