/** What the live URL scorer (live.ts) counts. */
export interface UrlLiveStats {
  lines: number;
  /** URLs found, TLS server names included */
  urls: number;
  /** of them, server names of TLS records */
  tlsNames: number;
  cacheHits: number;
  scored: number;
  findings: number;
  /** URLs not scored or not reported: the queue was full, the model failed on their batch, or explaining a flagged one failed (the error went to onError) */
  dropped: number;
  queued: number;
  /** URLs on an ignored domain (not scored) */
  ignored: number;
  /** flagged URLs summed into their host's finding (past the per-host budget) */
  grouped: number;
  /** findings the sink failed to store */
  lost: number;
}
