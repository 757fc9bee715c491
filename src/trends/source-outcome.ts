/**
 * What became of one source in a collection cycle, in words (`nml trends collect --once`): documents
 * stored, none new and why, or failed and how: the fetch (an HTTP status, the network, a timeout), a
 * fetch nml would not make (a bad url, robots.txt, no proxy), or a body that would not parse. The
 * command said "failed" with the error code alone, and nothing of a source that answered with nothing new.
 */
import type { SourceStats } from './collector.js';

export type SourceOutcomeKind = 'stored' | 'none_new' | 'fetch_failed' | 'not_fetched' | 'not_parseable';

export interface SourceOutcome {
  kind: SourceOutcomeKind;
  text: string;
}

/** Error codes by what failed (docs/errors.md, Trends). */
const NOT_FETCHED = new Set(['FEED_BAD_URL', 'FEED_ROBOTS_DENIED', 'FEED_PROXY_REQUIRED']);
const NOT_PARSEABLE = new Set(['FEED_MALFORMED', 'FEED_INTERNAL']);

const plural = (n: number, word: string): string => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

/** The error's message without the `fetch: ` its outcome's words already say (a parse error's `feed: `, `reddit: ` say what was parsed). */
const reason = (message: string | null): string => (message ?? 'no message').replace(/^fetch: /, '');

/**
 * The outcome of a source whose counters are of one cycle (a collector that ran `runCycle` once). A
 * source that failed says the error code after the message, for the table in docs/errors.md.
 */
export function sourceOutcome(s: SourceStats): SourceOutcome {
  if (s.failing) {
    const code = Object.keys(s.errors)[0] ?? 'FEED_INTERNAL';
    const why = `${reason(s.lastError)} [${code}]`;
    if (NOT_PARSEABLE.has(code)) return { kind: 'not_parseable', text: `${code === 'FEED_INTERNAL' ? 'not parsed (a bug: report it with the url)' : 'not parseable'}: ${why}` };
    if (NOT_FETCHED.has(code)) return { kind: 'not_fetched', text: `not fetched: ${why}` };
    return { kind: 'fetch_failed', text: `fetch failed: ${why}` };
  }
  if (s.stored > 0) return { kind: 'stored', text: `${plural(s.stored, 'new document')}${s.duplicates > 0 ? ` (${s.duplicates.toLocaleString('en')} already stored)` : ''}` };
  if (s.notModified > 0) return { kind: 'none_new', text: 'no new documents: not modified since the last fetch' };
  if (s.items === 0) return { kind: 'none_new', text: 'no new documents: it held no items' };
  const empty = s.items - s.duplicates;
  if (empty === 0) return { kind: 'none_new', text: `no new documents: ${s.items === 1 ? 'its one item was' : `all ${plural(s.items, 'item')} were`} already stored, or near copies of stored documents` };
  const parts = [s.duplicates > 0 ? `${s.duplicates.toLocaleString('en')} already stored` : '', empty > 0 ? `${empty.toLocaleString('en')} without title or text` : ''].filter((p) => p !== '');
  return { kind: 'none_new', text: `no new documents: of its ${plural(s.items, 'item')}, ${parts.join(', ')}` };
}

/** Whether a cycle failed as a whole: every source failed (none configured is no failure). */
export function everySourceFailed(outcomes: readonly SourceOutcome[]): boolean {
  return outcomes.length > 0 && outcomes.every((o) => o.kind !== 'stored' && o.kind !== 'none_new');
}
