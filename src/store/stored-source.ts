/**
 * A line's source as the store keeps it: the source name, and where the line has a host of its own
 * (RawRecord.host: a syslog sender's address, a host named for a file or an ingest), a NUL and that
 * host after it (`file:/var/log/nginx/access.log\0web-01`). Everything between the writer pool and the
 * reader (columns, lanes, StoredLine.source, a block's distinct sources in its meta, a merge's re-cut
 * blocks) carries it as the one string it already carried, so a block's per-line cost is unchanged; it is
 * split only where a line leaves the store (ShardReader.lines) or is parsed for the index (the writer
 * worker). No source name holds a NUL (paths cannot, addresses and `stdin`, `http:` names do not), so a
 * block written before hosts were kept reads as before: no host.
 */
const SEP = '\u0000';

/** The stored source of a source name and its host (undefined: none). */
export function storedSource(source: string, host: string | undefined): string {
  return host === undefined ? source : source + SEP + host;
}

/** The source name of a stored source. */
export function sourceOf(stored: string): string {
  const i = stored.indexOf(SEP);
  return i < 0 ? stored : stored.slice(0, i);
}

/** The host of a stored source, or undefined when it has none (and for every line stored before hosts were kept). */
export function hostOf(stored: string): string | undefined {
  const i = stored.indexOf(SEP);
  return i < 0 ? undefined : stored.slice(i + 1);
}
