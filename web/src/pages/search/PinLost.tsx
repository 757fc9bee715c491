/**
 * A pinned search the server can no longer go on with: its `asOf` is from before the server restarted,
 * older than the hour the server remembers when lines were stored, or from before a merge of an hour of
 * its range (SEARCH_AS_OF_TOO_OLD), or the shards its next page was read from were merged
 * (SEARCH_CURSOR_STALE). The rows already shown stay as they are (they are that search's rows, not
 * replaced without a word); the notice says why no more come, and one click runs the same query over the
 * same range again, with a new pin.
 */
import { isApiError, type ApiError } from '../../lib/api.ts';
import { formatInt, formatUtc } from '../../lib/format.ts';

/** The errors after which the search shown cannot load more or be counted again under its pin. */
export const isPinLost = (e: unknown): e is ApiError => isApiError(e) && (e.code === 'SEARCH_AS_OF_TOO_OLD' || e.code === 'SEARCH_CURSOR_STALE');

/** Why, in the operator's words (the server's message has the ms and the shard names). */
export function pinLostReason(e: ApiError): string {
  if (e.code === 'SEARCH_CURSOR_STALE') return 'the server has since merged the shards its next page was to be read from into one';
  const known = typeof e.details.known === 'number' ? e.details.known : null;
  switch (e.details.reason) {
    case 'restarted':
      return `the server has restarted since${known === null ? '' : ` (at ${formatUtc(known, true)})`}, which loses when each line was stored`;
    case 'merged':
      return 'the server has since merged an hour of its range into one shard, which loses when each of its lines was stored';
    case 'forgotten':
      return 'that is longer ago than the hour for which the server keeps when lines were stored (lines have come into its range since)';
    default:
      return 'the server no longer knows which lines it had stored by then';
  }
}

export function PinLost({ error, asOf, shown, total, onRerun }: { error: ApiError; asOf: number; shown: number; total: number | null; onRerun(): void }) {
  const rows = shown === 0 ? null : `The ${formatInt(shown)} ${shown === 1 ? 'row' : 'rows'} shown${total === null ? '' : ` of ${formatInt(total)}`} are still those of that search.`;
  return (
    <div className="notice warn pin-lost" role="alert" title={error.message}>
      <p>
        <strong>{shown === 0 ? 'This search has to be run again.' : 'No more rows can be loaded for this search.'}</strong> It counts the lines stored by{' '}
        {formatUtc(asOf, true)}, and {pinLostReason(error)}. {rows} Running it again gives the same query and range, counting the lines stored until now.
      </p>
      <button type="button" className="btn primary" onClick={onRerun}>
        Run the same search again
      </button>
    </div>
  );
}
