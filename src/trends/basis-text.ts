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
}

const n = (x: number, one: string, many: string): string => `${x.toLocaleString('en-US')} ${x === 1 ? one : many}`;

export function trendsBasisText(b: BasisCounts, period: 'day' | 'week' = 'day'): string {
  const w = b.window;
  if (w === undefined) {
    const parts = [
      ...(b.collectedDocs > 0 ? [n(b.collectedDocs, 'stored news document', 'stored news documents')] : []),
      ...(b.historyDocs > 0 ? [n(b.historyDocs, 'dated incident report (trends.datasets)', 'dated incident reports (trends.datasets)')] : []),
    ];
    return parts.length === 0 ? 'built from no documents yet' : `built from ${parts.join(' and ')}`;
  }
  const parts = [
    ...(w.collected > 0 ? [n(w.collected, 'stored news document', 'stored news documents')] : []),
    ...(w.demo > 0 ? [n(w.demo, 'demo document', 'demo documents')] : []),
    ...(w.history > 0 ? [n(w.history, 'dated incident report (trends.datasets)', 'dated incident reports (trends.datasets)')] : []),
  ];
  const span = `the last ${w.periods} ${period}s (from ${w.from.slice(0, 10)})`;
  const head = parts.length === 0 ? `no documents in ${span}` : `forecast from ${parts.join(' and ')} of ${span}`;
  const outside = b.historyDocs > 0 && w.history === 0 ? `; the ${n(b.historyDocs, 'dated incident report', 'dated incident reports')} (trends.datasets) are older and do not enter it` : '';
  return head + outside;
}
