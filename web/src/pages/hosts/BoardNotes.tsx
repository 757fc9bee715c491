/** The notes over the Hosts board: what the board could not keep or has not scored yet, what it keeps of findings that went idle, and a silent or lost server. */
import { formatAgo, formatInt, formatUtc } from '../../lib/format.ts';
import type { SynBoardStats } from '../../lib/types.ts';

/** How long and how many findings the board keeps listed after they went idle, in words ("for 24 h after its last SYN, at most 2,000 of them"). */
export function keptSpan(stats: SynBoardStats | null, their = false): string {
  const last = their ? 'their last SYN' : 'its last SYN';
  if (stats === null || !(stats.keepMs > 0)) return `for a while after ${last}`;
  const h = stats.keepMs / 3_600_000;
  const span = h >= 1 ? `${formatInt(Math.round(h * 10) / 10)} h` : `${formatInt(Math.round(stats.keepMs / 60_000))} min`;
  return `for ${span} after ${last}, at most ${formatInt(stats.maxKept)} of them`;
}

/**
 * What the board could not keep or has not scored yet: an operator must know what the list leaves out.
 * `silentMs`: the connection is open but nothing, not even a heartbeat, has come for this long;
 * `reconnecting`: the page gave that connection up and is opening another. `stopped`: down because the
 * server said it was stopping (a restart or a shutdown).
 */
export function BoardNotes({ stats, down, stopped = false, silentMs, reconnecting, answeredAt }: { stats: SynBoardStats; down: boolean; stopped?: boolean; silentMs: number | null; reconnecting: boolean; answeredAt: number | null }) {
  const notes: string[] = [];
  // open and silent: a server stopped, or a proxy holding the connection; nothing closes, nothing says so
  if (silentMs !== null && !down) {
    return (
      <ul className="board-notes" aria-label="Board notes">
        <li className="board-silent">
          No word from the server for {Math.floor(silentMs / 1000)} s: the probabilities shown may be out of date
          {answeredAt === null ? '' : ` (its last word at ${formatUtc(answeredAt)})`}.{' '}
          {reconnecting
            ? 'Connecting again; the page shows anything new as soon as the server answers.'
            : 'The connection is still open; the page shows anything new as soon as it comes, and connects again if the silence goes on.'}
        </li>
      </ul>
    );
  }
  // the server is not answering: what its last answer said of the source (a replay stopped with the server reads "ended") is not news
  if (down) {
    const asOf = answeredAt === null ? '' : ` at ${formatUtc(answeredAt)} (${formatAgo(answeredAt)})`;
    return (
      <ul className="board-notes" aria-label="Board notes">
        {stopped ? (
          <li>The server stopped or is restarting: the board shows the figures as of its last answer{asOf}. The page connects again once it is back.</li>
        ) : (
          <li>The server is not answering: the board shows the figures as of its last answer{asOf}. The page keeps trying to reach it.</li>
        )}
      </ul>
    );
  }
  if (stats.backlog > 0) notes.push(`${formatInt(stats.backlog)} changed hosts are waiting to be re-scored: the board is behind the traffic.`);
  if (stats.evicted > 0) {
    const kept = stats.kept > 0 ? ` ${formatInt(stats.kept)} of them ${stats.kept === 1 ? 'is a finding and stays' : 'are findings and stay'} listed, marked idle, ${keptSpan(stats, stats.kept > 1)}.` : '';
    notes.push(`${formatInt(stats.evicted)} hosts left the live board (idle for 10 minutes, or the least recently seen once ${formatInt(stats.maxHosts)} were kept).${kept}`);
  }
  if (stats.evictedUnscored > 0) notes.push(`${formatInt(stats.evictedUnscored)} of them were dropped to make room before their last SYNs were scored: the board was full and behind, and they may have been missed.`);
  if (stats.ignoredPackets > 0) notes.push(`${formatInt(stats.ignoredPackets)} SYNs came from sources on syn.ignore and were not scored.`);
  if (stats.aheadPackets > 0) notes.push(`${formatInt(stats.aheadPackets)} SYNs were stamped more than 10 minutes ahead of the capture (a corrupt record or a wrong clock) and were not scored.`);
  const src = stats.source;
  if (src?.state === 'restarting') notes.unshift(`The capture on ${src.name} stopped and is being started again (${src.restarts === 1 ? 'once so far' : `${formatInt(src.restarts)} times so far`}): no SYNs reach the board meanwhile. ${src.error ?? ''}`.trim());
  if (src?.state === 'failed') notes.unshift(`${src.kind === 'interface' ? `The capture on ${src.name}` : `The replay of ${src.name}`} failed, and nothing feeds the board: ${src.error ?? 'see the server log'}.`);
  if (src?.state === 'ended' && src.kind === 'replay') {
    // cut short: the board misses what the file did not hold yet
    notes.push(src.error === null ? `The replay of ${src.name} has ended: the board shows what it held at its end.` : `The replay of ${src.name} ended early: ${src.error}. Replay the whole file once it is copied.`);
  }
  if (notes.length === 0) return null;
  return (
    <ul className="board-notes" aria-label="Board notes">
      {notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}
