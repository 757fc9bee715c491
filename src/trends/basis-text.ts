/**
 * What a trends overview is built from, in words, for the Trends page and `nml trends`. It said "0 timeline
 * reports, 963 collected documents": a count of nothing configured, and "collected" for what the demo
 * generates; then "built from 8 stored news documents and 1,832 dated incident reports" when the reports
 * (ending 2026-03) never entered the window the forecast reads. It now counts that window by kind (demo
 * documents apart) and says when the stored incident reports lie outside it. No imports: the web bundle uses it.
 */
export interface BasisCounts {
  historyDocs: number;
  collectedDocs: number;
  window?: { from: string; periods: number; history: number; collected: number; demo: number };
  /** collected documents of the window the attack-type classifier could not read (service.ts UnreadCounts) */
  unread?: { documents: number; language: Record<string, number>; fewKnownWords: number };
}

/**
 * Why collected documents count as no attack type: "45 of them left unread, counted as no attack type
 * (not in a language the classifier reads, English: 20 zh, 13 ru, 12 de)". Empty when there are none.
 */
export function unreadText(u: BasisCounts['unread']): string {
  if (u === undefined || u.documents === 0) return '';
  const langs = Object.entries(u.language).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const why = [
    ...(langs.length > 0 ? [`not in a language the classifier reads, English: ${langs.map(([l, k]) => `${k.toLocaleString('en-US')} ${l}`).join(', ')}`] : []),
    ...(u.fewKnownWords > 0 ? [`${u.fewKnownWords.toLocaleString('en-US')} with too few words the classifier knows`] : []),
  ];
  return `${n(u.documents, 'collected document', 'collected documents')} left unread, counted as no attack type (${why.join('; ')})`;
}

const n = (x: number, one: string, many: string): string => `${x.toLocaleString('en-US')} ${x === 1 ? one : many}`;

/** `historyFrom`: where the incident reports came from, `trends.datasets` (nml serve, predict from the config) or `--datasets` (predict). */
export function trendsBasisText(b: BasisCounts, period: 'day' | 'week' = 'day', historyFrom = 'trends.datasets'): string {
  const w = b.window;
  if (w === undefined) {
    const parts = [
      ...(b.collectedDocs > 0 ? [n(b.collectedDocs, 'stored news document', 'stored news documents')] : []),
      ...(b.historyDocs > 0 ? [n(b.historyDocs, `dated incident report (${historyFrom})`, `dated incident reports (${historyFrom})`)] : []),
    ];
    return parts.length === 0 ? 'built from no documents yet' : `built from ${parts.join(' and ')}`;
  }
  const parts = [
    ...(w.collected > 0 ? [n(w.collected, 'stored news document', 'stored news documents')] : []),
    ...(w.demo > 0 ? [n(w.demo, 'demo document', 'demo documents')] : []),
    ...(w.history > 0 ? [n(w.history, `dated incident report (${historyFrom})`, `dated incident reports (${historyFrom})`)] : []),
  ];
  const span = `the last ${w.periods === 1 ? period : `${w.periods} ${period}s`} (from ${w.from.slice(0, 10)})`;
  const head = parts.length === 0 ? `no documents in ${span}` : `forecast from ${parts.join(' and ')} of ${span}`;
  const outside = b.historyDocs > 0 && w.history === 0 ? `; the ${n(b.historyDocs, 'dated incident report', 'dated incident reports')} (${historyFrom}) are older and do not enter it` : '';
  const unread = unreadText(b.unread);
  return head + outside + (unread === '' ? '' : `; ${unread}`);
}
