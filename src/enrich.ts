/**
 * Fields of a stored hit. The store keeps only the raw line and its times; parsing is deterministic,
 * so fields and entities are recovered by parsing again at read time (cheap for a page of hits,
 * and the reason the store needs no space for them).
 */
import { parseLine } from './parse/index.js';
import type { Hit } from './search/index.js';
import type { EnrichedHit } from './serve/index.js';

export function enrichHit(hit: Hit): EnrichedHit {
  // the host its source gave the line (stored with it) where the header names none, as when it was indexed
  const ev = parseLine({ line: hit.raw, receivedAt: hit.receivedAt, source: hit.source, host: hit.sourceHost });
  return {
    ...hit,
    host: ev.host,
    app: ev.app,
    pid: ev.pid,
    severity: ev.severity,
    facility: ev.facility,
    msgid: ev.msgid,
    structured: ev.structured,
    message: ev.message,
    format: ev.format,
    entities: ev.entities,
  };
}
