/**
 * The errors cell of the Trends page's sources table: the codes with their counts, and the last error's
 * message as text (it was only a tooltip, so the table said FEED_HTTP_STATUS×3 and not which URL answered
 * what). No imports: the web bundle uses it.
 */
export function sourceErrorText(errors: Record<string, number>, lastError: string | null | undefined): { codes: string; message: string } {
  const codes = Object.entries(errors)
    .map(([c, n]) => `${c}×${n}`)
    .join(' ');
  return { codes, message: codes === '' ? '' : (lastError ?? '') };
}

/** The names of `failing`, at most three, then how many more. */
function someNames(failing: readonly { name: string }[]): string {
  const shown = failing.slice(0, 3).map((s) => s.name);
  return failing.length > 3 ? `${shown.join(', ')} and ${failing.length - 3} more` : shown.join(', ');
}

/**
 * Said above the Trends page's cards where collection sources failed to fetch since nml started: the
 * sources table that says which and why is at the foot of a page of 2,500–3,400 px (six cards), where a
 * failing source went unseen. Null when none has an error.
 */
export function failingSourcesText(sources: readonly { name: string; errors: Record<string, number>; fetches: number }[]): string | null {
  const failing = sources.filter((s) => Object.keys(s.errors).length > 0);
  if (failing.length === 0) return null;
  const never = failing.filter((s) => s.fetches === 0).length;
  const neverText = never === 0 ? '' : never === failing.length ? (never === 1 ? ', never answered' : ', none of them ever answered') : `, ${never} never answered`;
  return `${failing.length} of the ${sources.length} collection ${sources.length === 1 ? 'source' : 'sources'} failed to fetch since nml started (${someNames(failing)}${neverText})`;
}

/**
 * Why there is no document yet, by what the collector says (`TRENDS_NO_DATA`, service.ts): no source to
 * collect from, sources that fail, or sources that have not answered yet. The page said "the collector
 * has not stored anything; check the sources file" where no sources file was set, and showed no source
 * where all of them failed.
 */
export function noDocumentsWhy(sources: readonly { name: string; errors: Record<string, number>; fetches: number }[]): string {
  if (sources.length === 0) return 'no collection sources are configured: set trends.sources to a sources file and let the collector run, or set trends.datasets for the incident timeline';
  const failing = failingSourcesText(sources);
  if (failing !== null) return `${failing}; fix them in the sources file (trends.sources), or set trends.datasets for the incident timeline`;
  return `the collector has stored none from its ${sources.length} ${sources.length === 1 ? 'source' : 'sources'} so far; wait for its next cycle, or set trends.datasets for the incident timeline`;
}
