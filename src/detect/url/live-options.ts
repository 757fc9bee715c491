/** What the live URL scorer (live.ts) takes: the model it asks, its options, and the findings store it looks hosts up in. */
import type { FindingsSink } from '../detector.js';
import type { UrlExplanationDetail } from './explain.js';
import type { PopularityTable } from './popularity.js';

/** What the live scorer needs of a detector (UrlDetector has it). */
export interface LiveUrlModel {
  readonly name: string;
  readonly modelVersion: string;
  readonly threshold: number;
  /** `formed`: every URL is already a `findingUrl` */
  scoreFast(urls: readonly string[], formed?: boolean): Promise<Float32Array>;
  explainOne(url: string): { score: number; detail: UrlExplanationDetail };
  /** the model's popularity table, which the IDN-homograph rule reads (homograph.ts); absent or null: that rule never fires */
  readonly popularity?: PopularityTable | null;
}

export interface UrlLiveOptions {
  detector: LiveUrlModel;
  sink: FindingsSink;
  /** report URLs scoring at or above this (default: the model's threshold) */
  threshold?: number;
  /** URLs per scoring batch (default 512) */
  batchSize?: number;
  /** URLs remembered, with their score, so repeats are not scored again (default 100,000) */
  cacheSize?: number;
  /** queued URLs at most; beyond it new URLs are dropped and counted (default 200,000) */
  maxQueue?: number;
  /**
   * half-width of the evidence search's time window in ms (default one day: without `eventTime` the
   * scorer sees receive times, and a line's event time, which the store files it under, may be hours off)
   */
  evidenceWindowMs?: number;
  /** domains whose URLs are neither scored nor reported: `example.com` (or `*.example.com`) covers it and its subdomains */
  ignore?: readonly string[];
  /**
   * distinct flagged URLs of one host reported one by one (default 3; was 10, and one C2 domain made five rows in two minutes of the demo); past it they are summed into one
   * finding for the host (`domain:` or `ip:`) until the host has had no flagged URL for `hostQuietMs`, so
   * a phishing kit's thousand links, a web app's tokened links, or a beacon's new query every minute all
   * day, are one row to triage rather than a thousand
   */
  perHost?: number;
  /** event time (ms) without a flagged URL after which a host's budget starts afresh (default one hour) */
  hostQuietMs?: number;
  /**
   * score the server names of TLS records (Suricata EVE `tls`, Zeek ssl.log) as `<name>/`, the host a
   * PAN-OS URL log would write for the same HTTPS request (default true)
   */
  tlsNames?: boolean;
  /**
   * the time a line is filed under in the store (its own time, as the writer lanes choose it) from the
   * line and its receive time; without it, the receive time. Asked only of lines that hold a URL, so that
   * a finding's times and evidence window are the line's, also when old logs are replayed.
   */
  eventTime?: (line: string, receivedAt: number) => number;
  /**
   * a sink that throws (its findings are counted as lost), a model that fails on a batch or on explaining
   * a flagged URL (its URLs are counted dropped), or a store lookup that fails: the error is handed here,
   * scoring goes on
   */
  onError?: (err: unknown) => void;
  /**
   * the findings already stored (the findings store; default: the sink, when it has `find`): a host seen
   * for the first time since the start (or since it was forgotten) whose summed row (`domain:`/`ip:`) of
   * this detector was seen within `hostQuietMs` of its URL starts past its budget, so a restart gives
   * it no fresh `perHost` rows
   */
  known?: FindingsLookup;
  /** distinct URL hashes held over all hosts' groups at most (default 1,000,000, about 40 MB; tests set less) */
  distinctTotal?: number;
}

/** What the live scorer asks of the findings store: one finding by detector and entity. */
export interface FindingsLookup {
  find(detector: string, entity: string): { lastSeen: number } | null;
}
