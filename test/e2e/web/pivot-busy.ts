/**
 * A played pivot from a busy host, for the Investigate tests and bench/investigate-graph.ts: the hub's 100
 * edges (60 flows, 40 names it asked for), and the answer for one of its neighbours (a resolver) that takes
 * the graph to about `edges` edges: clients that sent it flows (the hub's 59 other flows among them: edges
 * between nodes already drawn) and the names it answered (the hub's 40 among them).
 */
import { pivotAnswer, pivotGroup } from './pivot-answer.js';

export const BUSY_HUB = 'ip:10.0.2.10';
const FLOWS = Array.from({ length: 60 }, (_, i) => (i === 0 ? 'ip:10.0.9.53' : `ip:10.0.4.${i}`));
const NAMES = Array.from({ length: 40 }, (_, i) => `domain:app-${i + 1}.example.com`);
export const busyHostAnswer = { expanded: FLOWS[0]!, edges: FLOWS.length + NAMES.length };

/** The most neighbours the server lists per relation (PIVOT_LIMIT_MAX). */
const PER_RELATION = 1000;

/** Past 2,000 edges: more relations of the resolver, each of up to PER_RELATION new neighbours. */
const EXTRA = [
  { relation: 'flow', direction: 'out' as const, entity: (i: number) => `ip:172.${16 + (i >> 8)}.${i & 255}.3` },
  { relation: 'alert', direction: 'out' as const, entity: (i: number) => `sig:${2_000_000 + i}` },
  { relation: 'login', direction: 'in' as const, entity: (i: number) => `user:svc-${i + 1}` },
];

/** The played answers (the hub's whatever limit is asked, the resolver's) and the graph's edge count after the expansion. */
export function expandedOf(edges: number, now: number): { answer: (url: URL) => unknown; total: number } {
  const added = Math.max(2, edges - busyHostAnswer.edges);
  const first = Math.min(added, 2 * PER_RELATION);
  const clients = Math.min(PER_RELATION, Math.ceil(first / 2) + 1);
  const names = Math.min(PER_RELATION, first - clients + 1);
  const flowIn = [BUSY_HUB, ...FLOWS.slice(1), ...Array.from({ length: Math.max(0, clients - FLOWS.length) }, (_, i) => `ip:10.${16 + (i >> 8)}.${i & 255}.9`)].slice(0, clients);
  const answered = [...NAMES, ...Array.from({ length: Math.max(0, names - NAMES.length) }, (_, i) => `domain:host-${i + 1}.cdn${i % 7}.example.net`)].slice(0, names);
  const extra = EXTRA.map((x, k) => {
    const n = Math.max(0, Math.min(PER_RELATION, added - first - k * PER_RELATION));
    return pivotGroup(x.relation, x.direction, Array.from({ length: n }, (_, i) => x.entity(i)), now);
  }).filter((g) => g.total > 0);
  const hub = pivotAnswer(BUSY_HUB, [pivotGroup('flow', 'out', FLOWS, now), pivotGroup('query', 'out', NAMES, now)]);
  const resolver = pivotAnswer(busyHostAnswer.expanded, [pivotGroup('flow', 'in', flowIn, now), pivotGroup('query', 'out', answered, now), ...extra]);
  // the hub's flow to the resolver is the same edge as the resolver's from the hub
  const total = busyHostAnswer.edges + flowIn.length - 1 + answered.length + extra.reduce((sum, g) => sum + g.total, 0);
  return { answer: (url) => (url.searchParams.get('entity') === BUSY_HUB ? hub : resolver), total };
}
