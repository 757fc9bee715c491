/**
 * What a trends overview is built from, in words, for the Trends page and `nml trends`. It said "0 timeline
 * reports, 963 collected documents": a count of nothing configured, and "collected" for what the demo
 * generates. Parts that are zero are left out. No imports: the web bundle uses it.
 */
export function trendsBasisText(b: { historyDocs: number; collectedDocs: number }): string {
  const n = (x: number, one: string, many: string): string => `${x.toLocaleString('en-US')} ${x === 1 ? one : many}`;
  const parts = [
    ...(b.collectedDocs > 0 ? [n(b.collectedDocs, 'stored news document', 'stored news documents')] : []),
    ...(b.historyDocs > 0 ? [n(b.historyDocs, 'dated incident report (trends.datasets)', 'dated incident reports (trends.datasets)')] : []),
  ];
  return parts.length === 0 ? 'built from no documents yet' : `built from ${parts.join(' and ')}`;
}
