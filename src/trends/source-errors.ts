/** A source as these read it: its counters and, from a server that says so, whether its last try failed. */
interface SourceLike {
  name: string;
  errors: Record<string, number>;
  fetches: number;
  lastError?: string | null;
  lastErrorAt?: number | null;
  failing?: boolean;
}

/**
 * Whether a source is failing now: its last try failed (`failing`, collector.ts). A source that fetched
 * fine after failing has recovered; its error counters stay as history. A reply without `failing` (a
 * server before it) counts any error, as the page did then.
 */
export function failingNow(s: Pick<SourceLike, 'errors' | 'failing'>): boolean {
  return s.failing ?? Object.keys(s.errors).length > 0;
}

const utcMinute = (t: number): string => `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The errors cell of the Trends page's sources table: the codes with their counts, and the last error's
 * message as text (it was only a tooltip, so the table said FEED_HTTP_STATUS×3 and not which URL answered
 * what). A source that has recovered says so, with when it last failed and why (`recovered`: the cell is
 * not drawn as an error). No imports: the web bundle uses it.
 */
export function sourceErrorText(s: Pick<SourceLike, 'errors' | 'lastError' | 'lastErrorAt' | 'failing'>): { codes: string; message: string; recovered: boolean } {
  const codes = Object.entries(s.errors)
    .map(([c, n]) => `${c}×${n}`)
    .join(' ');
  if (codes === '') return { codes, message: '', recovered: false };
  if (failingNow(s)) return { codes, message: s.lastError ?? '', recovered: false };
  const when = s.lastErrorAt == null ? '' : ` at ${utcMinute(s.lastErrorAt)}`;
  return { codes, message: `recovered: fetched since its last failure${when}${s.lastError == null ? '' : ` (${s.lastError})`}`, recovered: true };
}

/** The names of `failing`, at most three, then how many more. */
function someNames(failing: readonly { name: string }[]): string {
  const shown = failing.slice(0, 3).map((s) => s.name);
  return failing.length > 3 ? `${shown.join(', ')} and ${failing.length - 3} more` : shown.join(', ');
}

/**
 * Said above the Trends page's cards where collection sources are failing (their last try failed): the
 * sources table that says which and why is at the foot of a page of 2,500–3,400 px (six cards), where a
 * failing source went unseen. A source that fetched fine since is not counted (it said "failed to fetch
 * since nml started" of a source that had recovered hours before). Null when none is failing.
 */
export function failingSourcesText(sources: readonly SourceLike[]): string | null {
  const failing = sources.filter(failingNow);
  if (failing.length === 0) return null;
  const never = failing.filter((s) => s.fetches === 0).length;
  const neverText = never === 0 ? '' : never === failing.length ? (never === 1 ? ', never answered' : ', none of them ever answered') : `, ${never} never answered`;
  return `${failing.length} of the ${sources.length} collection ${sources.length === 1 ? 'source' : 'sources'} failed ${failing.length === 1 ? 'its' : 'their'} last fetch (${someNames(failing)}${neverText})`;
}

/**
 * Why there is no document yet, by what the collector says (`TRENDS_NO_DATA`, service.ts): no source to
 * collect from, sources that fail, or sources that have not answered yet. The page said "the collector
 * has not stored anything; check the sources file" where no sources file was set, and showed no source
 * where all of them failed.
 */
export function noDocumentsWhy(sources: readonly SourceLike[]): string {
  if (sources.length === 0) return 'no collection sources are configured: set trends.sources to a sources file and let the collector run, or set trends.datasets for the incident timeline';
  const failing = failingSourcesText(sources);
  if (failing !== null) return `${failing}; fix them in the sources file (trends.sources), or set trends.datasets for the incident timeline`;
  return `the collector has stored none from its ${sources.length} ${sources.length === 1 ? 'source' : 'sources'} so far; wait for its next cycle, or set trends.datasets for the incident timeline`;
}
