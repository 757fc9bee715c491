// In: bytes from syslog over UDP, TCP and TLS, from log files (plain, gzip, followed) and from stdin.
// Out: batches of RawRecord (one line each, with receive time and origin) handed to a RecordSink.
// Never: parses a line, drops a record without counting why, or imports anything but core.
export type { Source, SourceStats, BatchOptions } from './source.js';
export { DEFAULT_BATCH } from './batcher.js';
export { DEFAULT_MAX_LINE_BYTES } from './line-splitter.js';
export { bindFailureKind, COLLECT_ERROR_CODES } from './errors.js';
export { archiveRefused, otherArchive, SNIFF_BYTES } from './gzip-sniff.js';
export { isFormatHeader } from './format-header.js';
export { notUtf8Lines } from './utf8.js';
export type { Done } from './finish.js';
export { SyslogUdpSource, type SyslogUdpOptions } from './syslog-udp.js';
export { SyslogTcpSource, type SyslogTcpOptions, type SyslogTlsOptions } from './syslog-tcp.js';
export { refusalLog, type RefusalWhy } from './refusals.js';
export { FileSource, type FileSourceOptions } from './file-source.js';
export { inputRefusal, inputsRefused } from './input-check.js';
export { StdinSource, type StdinSourceOptions } from './stdin-source.js';
/** test helper for other stages: a RecordSink in memory with switchable congestion */
export { MemorySink } from './testing.js';
export { WriteFailureLog, type WriteFailureLogOptions, type WriteFailureReport } from './write-failures.js';
export { TimedLinesSource, type TimedLinesOptions } from './timed-lines.js';
export { DemoSource, createGenerator, writeCorpus, DEFAULT_NEEDLES, DEMO_C2_DOMAINS } from './demo/index.js';
export type { DemoSourceOptions, Generator, GeneratorOptions, GeneratedLine, PlantedNeedle, NeedleSpec } from './demo/index.js';
