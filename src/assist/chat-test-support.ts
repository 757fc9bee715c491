/**
 * For chat tests: a relation index holding given edges, as the store's RelationIndex answers it. The tests make the
 * edges of log lines with the real extractors (`extractRelations`), which this file, of the assist stage, may not import.
 */
import type { RelationSource } from '../investigate/index.js';

type Edge = ReturnType<RelationSource['edges']>[number];

/** A relation index holding `relations` (`from` → `to` of a kind), each seen once an hour before `now`. */
export function relationsOf(relations: readonly { from: string; kind: string; to: string }[], now: number): RelationSource {
  const at = now - 3_600_000;
  return {
    edges(entity, _range, q = {}) {
      const merged = new Map<string, Edge>();
      const add = (direction: 'in' | 'out', kind: string, other: string) => {
        const key = `${direction} ${kind} ${other}`;
        const m = merged.get(key);
        merged.set(key, { kind, direction, other, first: at, last: at, count: (m?.count ?? 0) + 1 });
      };
      for (const r of relations) {
        if (q.kinds !== undefined && !q.kinds.includes(r.kind)) continue;
        if (r.from === entity && q.direction !== 'in') add('out', r.kind, r.to);
        if (r.to === entity && q.direction !== 'out') add('in', r.kind, r.from);
      }
      return [...merged.values()];
    },
    fanIn: (dsts, kinds) => new Map(dsts.map((d) => [d, relations.filter((r) => r.to === d && kinds.includes(r.kind)).length] as const).filter(([, n]) => n > 0)),
    sourcesOf: (dsts, kinds) => new Map(dsts.map((d) => [d, new Set(relations.filter((r) => r.to === d && kinds.includes(r.kind)).map((r) => r.from))])),
    files: () => [{ start: 0, end: 2 ** 52 }],
  };
}
