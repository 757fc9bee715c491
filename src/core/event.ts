/** A record as it arrives: one line of bytes decoded to text, before any parsing. */
export interface RawRecord {
  /** the line without its terminator; invalid UTF-8 is replaced with U+FFFD by the collector */
  line: string;
  /** receive time, ms since epoch */
  receivedAt: number;
  /** where it came from, e.g. `udp:10.0.0.1:514`, `tcp:10.0.0.1:40022`, `file:/var/log/syslog`, `stdin`, `http` */
  source: string;
  /**
   * the host of the line when its header names none (core/source-host.ts): a syslog sender's address,
   * or the host named for a file, stdin or an HTTP ingest; absent: none. A header's own host wins.
   */
  host?: string;
}

export const ENTITY_KINDS = ['ip', 'port', 'user', 'domain', 'mac', 'url', 'email'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** A thing named in a log line that an operator pivots on; `value` is normalized (canonical IP, lowercase domain, e-mail and MAC; URLs as written). */
export interface Entity {
  kind: EntityKind;
  value: string;
}

/** A parsed log line. `parsed: false` means no syslog header was recognized: the line is kept raw. */
export interface LogEvent {
  /** event time, ms since epoch: from the header where it parsed, else `receivedAt` */
  time: number;
  receivedAt: number;
  source: string;
  /** RFC 5424 severity 0 (emerg) .. 7 (debug), or null when the line carried no PRI */
  severity: number | null;
  facility: number | null;
  host: string | null;
  app: string | null;
  pid: string | null;
  /** RFC 5424 MSGID */
  msgid: string | null;
  /** RFC 5424 structured data: SD-ID -> param -> value */
  structured: Record<string, Record<string, string>> | null;
  /** the free-text message after the header */
  message: string;
  /** the whole line as received */
  raw: string;
  parsed: boolean;
  /** the syslog flavour recognised */
  format: 'rfc5424' | 'rfc3164' | 'raw';
  entities: Entity[];
}

export const SEVERITY_NAMES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;
