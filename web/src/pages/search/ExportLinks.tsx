/**
 * Export: every match of the search shown, saved as a file the browser streams to disk (GET /api/search
 * with format and download=1): the raw lines as stored, what `nml search` prints and grep reads, or JSON
 * lines with each line's parsed fields. The range and `asOf` are the ones the page pinned: the file holds
 * exactly the lines counted, none stamped after the range nor stored after the pin (a late line, or one
 * cut to the second, stamped inside the range but stored since, is in neither).
 */
import { withParams } from '../../lib/api.ts';
import type { PinnedRange } from './pinned-range.ts';

export type ExportFormat = 'lines' | 'ndjson';

/** The export's address: the query, the pinned range, the format, and download=1. */
export function exportHref(q: string, range: Pick<PinnedRange, 'from' | 'to' | 'asOf'>, format: ExportFormat): string {
  return withParams('/api/search', { q: q.trim() === '' ? undefined : q, from: range.from, to: range.to, asOf: range.asOf, format, fields: format === 'ndjson' ? 1 : undefined, download: 1 });
}

export function ExportLinks({ q, range }: { q: string; range: Pick<PinnedRange, 'from' | 'to' | 'asOf'> }) {
  const every = 'every match of this search and range, not only the rows shown,';
  return (
    <span className="export-links faint">
      Export{' '}
      <a href={exportHref(q, range, 'lines')} download title={`save ${every} as raw lines, one per line as stored (.log)`}>
        raw lines
      </a>{' '}
      ·{' '}
      <a href={exportHref(q, range, 'ndjson')} download title={`save ${every} as JSON lines with parsed fields (.ndjson)`}>
        JSON lines
      </a>
    </span>
  );
}
