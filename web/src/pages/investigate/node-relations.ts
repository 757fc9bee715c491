/**
 * The rows of the side panel's relations table: a node's edges, most lines first, each with the other
 * relations between the same two entities that its evidence search also finds. Pure (NodePanel.tsx renders).
 * Each row looked through all of the node's edges for those (quadratic: 3.6M comparisons for a resolver
 * of 1,900 relations); they are now grouped once by the other end and the search.
 */
import { byLines } from '../../../../src/investigate/line-order.js';
import type { GraphEdge } from './graph-model.ts';

/** Rows the table shows before "Show all": a resolver's 1,900 took ~0.5 s of React's commit on an expansion. */
export const RELATIONS_SHOWN = 200;

export interface RelationRow {
  edge: GraphEdge;
  /** the entity at its other end */
  other: string;
  /** the other edges between the same two whose evidence is the same search */
  alongside: GraphEdge[];
}

export function relationRows(id: string, edges: Iterable<GraphEdge>): RelationRow[] {
  const mine: GraphEdge[] = [];
  for (const e of edges) if (e.source === id || e.target === id) mine.push(e);
  mine.sort(byLines);
  const otherOf = (e: GraphEdge) => (e.source === id ? e.target : e.source);
  const bySearch = new Map<string, GraphEdge[]>();
  for (const e of mine) {
    const key = `${otherOf(e)}\n${e.evidence.q}`;
    const list = bySearch.get(key);
    if (list === undefined) bySearch.set(key, [e]);
    else list.push(e);
  }
  return mine.map((e) => ({ edge: e, other: otherOf(e), alongside: bySearch.get(`${otherOf(e)}\n${e.evidence.q}`)!.filter((x) => x !== e) }));
}
