// In: RawRecord (one received line, its receive time and source).
// Out: LogEvent (syslog RFC 5424 / RFC 3164 header fields, or the line kept raw) with its entities.
// Never: throws on any input, does I/O, lets one line change how another parses, or imports anything but core.
export { parseLine } from './parse-line.js';
export { withoutColourCodes } from './ansi.js';
export { trustedTime, TIME_LIMIT } from './event-time.js';
export { extractEntities, extractUrls } from './entities/index.js';
export { mayNameUrl, URL_HINT } from './entities/url.js';
export { ZEEK_TLS_VERSIONS } from './relations/zeek.js';
export type { ParseOptions } from './options.js';
export { extractRelations, RELATION_KINDS, RELATION_ENTITY_TYPES, normalizeMac } from './relations/index.js';
export type { Relation, RelationKind, RelationEntityType } from './relations/index.js';
