/**
 * The pivot graph as data: nodes (entities) and edges (relations) merged from successive pivots, so a
 * click that expands a node adds to what is there. Pure functions; the Cytoscape view renders them.
 */
import type { ApiBlocklistHit, ApiIdentity, PivotResponse } from '../../../../src/serve/api.ts';

export interface GraphNode {
  id: string;
  type: string;
  label: string;
  blocklist: ApiBlocklistHit[];
  identity: ApiIdentity | null;
  articles: number;
  /** its own neighbours have been fetched */
  expanded: boolean;
  /** neighbours left out of the graph by the per-relation limit */
  hidden: number;
  /** the most neighbours one of its relations has (the limit that would draw them all) */
  widest: number;
  /** the most neighbours one of its relations has in the graph (at the widest's count, a larger limit adds nothing) */
  drawnMost: number;
  /** relations read only from a time on (too many edges for one pivot): `← flow` and that time, epoch ms */
  partial: { relation: string; readFrom: number }[];
  /** its last pivot stopped at the server's time budget: relations not read by then are missing */
  timedOut: boolean;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  relation: string;
  count: number;
  /** the range cuts an hour of the relation index: `count` lines surely in it, up to this many may be */
  countMax?: number;
  first: number;
  last: number;
  evidence: { q: string; from: number; to: number };
}

export interface Graph {
  root: string | null;
  nodes: Map<string, GraphNode>;
  edges: Map<string, GraphEdge>;
}

export const emptyGraph = (): Graph => ({ root: null, nodes: new Map(), edges: new Map() });

export function typeOf(entity: string): string {
  const i = entity.indexOf(':');
  return i < 0 ? '' : entity.slice(0, i);
}

function labelOf(entity: string): string {
  const v = entity.slice(entity.indexOf(':') + 1);
  return v.length > 40 ? v.slice(0, 38) + '…' : v;
}

function node(g: Graph, id: string): GraphNode {
  let n = g.nodes.get(id);
  if (n === undefined) {
    n = { id, type: typeOf(id), label: labelOf(id), blocklist: [], identity: null, articles: 0, expanded: false, hidden: 0, widest: 0, drawnMost: 0, partial: [], timedOut: false };
    g.nodes.set(id, n);
  }
  return n;
}

/** A new graph: the old one plus the pivot's entity (marked expanded) and its neighbours. */
export function mergePivot(prev: Graph, p: PivotResponse): Graph {
  const g: Graph = { root: prev.root ?? p.entity, nodes: new Map([...prev.nodes].map(([k, v]) => [k, { ...v }])), edges: new Map(prev.edges) };
  const center = node(g, p.entity);
  center.expanded = true;
  center.blocklist = p.blocklist;
  center.identity = p.identity ?? center.identity;
  center.articles = p.articles.length;
  center.hidden = 0;
  center.widest = 0;
  center.drawnMost = 0;
  center.partial = [];
  center.timedOut = p.timedOut === true;
  for (const group of p.groups) {
    center.hidden += group.total - group.neighbours.length;
    center.widest = Math.max(center.widest, group.total);
    center.drawnMost = Math.max(center.drawnMost, group.neighbours.length);
    if (group.truncated === true && group.readFrom !== undefined) center.partial.push({ relation: group.direction === 'out' ? `${group.relation} →` : `← ${group.relation}`, readFrom: group.readFrom });
    for (const nb of group.neighbours) {
      const n = node(g, nb.entity);
      n.blocklist = nb.blocklist;
      n.articles = nb.articles;
      if (nb.identity !== undefined) n.identity = nb.identity;
      // an account's edge read through a qualified name it is written as hangs off that name's node (drawn by the alias group)
      const self = nb.via ?? p.entity;
      if (nb.via !== undefined) node(g, nb.via);
      const [source, target] = group.direction === 'out' ? [self, nb.entity] : [nb.entity, self];
      const id = `${source}|${group.relation}|${target}`;
      g.edges.set(id, { id, source, target, relation: group.relation, count: nb.count, ...(nb.countMax === undefined ? {} : { countMax: nb.countMax }), first: nb.first, last: nb.last, evidence: nb.evidence });
    }
  }
  return g;
}

/** The search page's URL for an edge's evidence lines. */
export function evidenceHref(e: { q: string; from: number; to: number }): string {
  return `/search?${new URLSearchParams({ q: e.q, from: String(e.from), to: String(e.to) }).toString()}`;
}
