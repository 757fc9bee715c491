// In: nothing. Out: the shared vocabulary of every stage (events, entities, time ranges, errors, IPs).
// Never: imports another folder, keeps state, or does I/O but one kind: a file replaced whole (whole-file.ts),
// the write every stage needs and none of them may import from another.
export type { RawRecord, LogEvent, Entity, EntityKind } from './event.js';
export { ENTITY_KINDS, SEVERITY_NAMES } from './event.js';
export type { TimeRange } from './time-range.js';
export { ALL_TIME, MAX_DATE_MS, overlaps, contains } from './time-range.js';
export type { ErrorKind, ErrorData } from './errors.js';
export { AppError, CHECK_PATH, describeCause, errnoOf, ERROR_KINDS, isAppError, isWrongPath, pathFailureKind, toErrorData, unreadableAdvice, unreadableWhy, fromErrorData } from './errors.js';
export type { IpAddress, Cidr } from './ip.js';
export type { RecordSink, DropReason } from './sink.js';
export { DROP_REASONS } from './sink.js';
export { parseIp, parseIPv4, parseIPv6, formatIPv6, ipTerm, ipOrderKey, parseCidr, mappedIPv4 } from './ip.js';
export { urlHost, urlSearchParts } from './url-host.js';
export { decodePunycode, hostSpellings, urlSearchTerms } from './host-spellings.js';
export { checkedSourceHost, MAX_SOURCE_HOST_LENGTH, peerHost, shownHost, sourceHostProblem } from './source-host.js';
export { durationMs, relativeMs } from './relative-time.js';
export { shellWord } from './shell-word.js';
export { startsGzip } from './gzip.js';
export { bareUser } from './user-name.js';
export { domainAt, domainName } from './domain.js';
export type { BinaryMetrics, Confusion } from './metrics.js';
export { binaryMetrics, confusionAt, rocAuc, tprAtFpr, precisionRecall, sigmoid } from './metrics.js';
export { mulberry32 } from './random.js';
export { redactedUrl, urlWithoutSecrets } from './redacted-url.js';
export type { WholeFileOptions } from './whole-file.js';
export { prepareWholeFileSync, syncFolderOfSync, WholeFileError, wholeFileTempOf, writeWholeFile, writeWholeFileSync, type PreparedWholeFile } from './whole-file.js';
export { compatibleText } from './compatible-text.js';
