/** Documents of the trend series: HACKMAGEDDON incidents (true types) and collected documents (types from the classifier). */
import type { Incident } from './data/datasets.js';
import type { StoredDoc } from './docstore.js';
import type { TimedDoc } from './predict/periods.js';
import { tokenize } from './text/tokenize.js';
import type { Lang } from './text/language.js';

export function incidentDocs(incidents: Incident[]): TimedDoc[] {
  return incidents.map((inc, i) => ({
    time: inc.reported,
    tokens: tokenize(inc.description, 'en'),
    types: inc.types,
    motive: inc.motive,
    ref: { id: `hackmageddon:${i}`, title: inc.description, url: null },
  }));
}

/**
 * Characters of a collected text the trend series reads, after the title. The trend models learn their
 * window text and attack-term features from HACKMAGEDDON incident descriptions (models/trends/MODEL_CARD.md:
 * median 157, longest 607 characters), so the head of an article carries what they can use; the rest
 * (up to 100,000 characters a document) only cost tokenizing on every request.
 */
export const TREND_TEXT_CHARS = 2000;

/** What a collected document contributes to the series (its text capped at TREND_TEXT_CHARS). */
export type TrendSource = Pick<StoredDoc, 'id' | 'title' | 'text' | 'url' | 'time' | 'lang' | 'types'>;

/** A collected document counts as a report of every type its classifier gave at least `threshold`. */
export function collectedDoc(d: TrendSource, threshold = 0.5): TimedDoc {
  return {
    time: d.time,
    tokens: tokenize(`${d.title}\n${d.text.slice(0, TREND_TEXT_CHARS)}`, d.lang as Lang),
    types: Object.entries(d.types)
      .filter(([, p]) => p >= threshold)
      .map(([t]) => t),
    ref: { id: `doc:${d.id}`, title: d.title || d.text.slice(0, 120), url: d.url },
  };
}

export function collectedDocs(docs: TrendSource[], threshold = 0.5): TimedDoc[] {
  return docs.map((d) => collectedDoc(d, threshold));
}
