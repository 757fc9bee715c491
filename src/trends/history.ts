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

/** A collected document counts as a report of every type its classifier gave at least `threshold`. */
export function collectedDocs(docs: StoredDoc[], threshold = 0.5): TimedDoc[] {
  return docs.map((d) => ({
    time: d.time,
    tokens: tokenize(`${d.title}\n${d.text}`, d.lang as Lang),
    types: Object.entries(d.types)
      .filter(([, p]) => p >= threshold)
      .map(([t]) => t),
    ref: { id: `doc:${d.id}`, title: d.title || d.text.slice(0, 120), url: d.url },
  }));
}
