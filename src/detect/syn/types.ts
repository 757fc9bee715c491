/** The SYN detector's data types: one extracted SYN packet, reader statistics and skip reasons. */

/** One TCP SYN (SYN set, ACK clear) with the header fields the detector uses. */
export interface SynPacket {
  /** capture time, microseconds since the epoch */
  t: number;
  /** 4 or 6 */
  v: number;
  src: string;
  dst: string;
  /** IPv4 addresses as unsigned 32-bit numbers (0 for IPv6; then the low 32 bits of the address) */
  src4: number;
  dst4: number;
  sport: number;
  dport: number;
  /** TTL or IPv6 hop limit */
  ttl: number;
  /** IPv4 identification (0 for IPv6) */
  ipid: number;
  win: number;
  /** sequence number, unsigned */
  seq: number;
  /** TCP options: -1 when absent */
  mss: number;
  ws: number;
  sack: boolean;
  ts: boolean;
  /** option kinds in order, one letter each: M(ss) W(scale) S(ack ok) T(imestamp) N(op) E(ol) ?(other) */
  opts: string;
  /** IP total length (IPv4) or payload length + 40 (IPv6) */
  len: number;
}

/** Why a record was not a SYN we keep: counted, never thrown. */
export type SkipReason =
  | 'not_ip'
  | 'not_tcp'
  | 'not_syn'
  | 'fragment'
  | 'short_packet'
  | 'bad_header'
  | 'unsupported_linktype'
  | 'truncated_file';

export interface ReadStats {
  format: 'pcap' | 'pcapng' | 'unknown';
  records: number;
  syns: number;
  skipped: Partial<Record<SkipReason, number>>;
  /**
   * SYNs kept whose TCP options the capture's snaplen cut off: their options are read as far as they go,
   * so their fingerprint may lack the last ones. Kept, not skipped: the published syn-pcaps dataset holds
   * two, and its index counts them. Absent while there is none.
   */
  truncatedOptions?: number;
  /** the byte where a file cut short ends inside a packet record or block (`truncated_file`); absent when it ends whole */
  truncatedAt?: number;
}

export function newStats(): ReadStats {
  return { format: 'unknown', records: 0, syns: 0, skipped: {} };
}

export function countSkip(s: ReadStats, r: SkipReason): void {
  s.skipped[r] = (s.skipped[r] ?? 0) + 1;
}
