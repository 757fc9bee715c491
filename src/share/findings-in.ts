/** The findings an export labels its lines with: those last seen in its range. */
import { FINDINGS_PAGE_MAX, type Finding, type FindingsStore } from '../detect/index.js';

/** Every finding last seen in [from, to), oldest id first (some thousands: read whole to label the lines). */
export function findingsLastSeenIn(store: Pick<FindingsStore, 'list'>, from: number | null, to: number | null): Finding[] {
  const out: Finding[] = [];
  let cursor: string | undefined;
  do {
    const page = store.list({ ...(from === null ? {} : { from }), sort: 'id', limit: FINDINGS_PAGE_MAX, ...(cursor === undefined ? {} : { cursor }) });
    for (const f of page.findings) if (to === null || f.lastSeen < to) out.push(f);
    cursor = page.next;
  } while (cursor !== undefined);
  return out.sort((a, b) => a.id - b.id);
}
