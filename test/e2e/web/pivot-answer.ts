/** Played `/api/pivot` answers for the Investigate tests: neighbours seen three times in the minute before `now`. */

export function pivotNeighbour(entity: string, now: number) {
  return { entity, count: 3, first: now - 60_000, last: now, blocklist: [], articles: 0, evidence: { q: entity, from: now - 60_000, to: now } };
}

export function pivotGroup(relation: string, direction: 'in' | 'out', entities: readonly string[], now: number) {
  return { relation, direction, total: entities.length, neighbours: entities.map((e) => pivotNeighbour(e, now)) };
}

export function pivotAnswer<G>(entity: string, groups: G[]) {
  return { entity, from: null, to: null, blocklist: [], articles: [], identity: null, periods: 1, tookMs: 1, groups };
}
