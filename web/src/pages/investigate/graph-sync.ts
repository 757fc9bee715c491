/**
 * Brings the Cytoscape instance to the graph's elements: what is gone removed, what is new added in one
 * call, what is drawn given new data only where a field changed. Elements were added one call and one
 * collection union each (the union copies the collection: quadratic, ~350 ms of an expansion to 2,000
 * edges), and every drawn element was given its data again on each change, which restyled all of them.
 */
import type { Core, ElementDefinition, NodeCollection } from 'cytoscape';
import type { Graph } from './graph-model.ts';

/**
 * The graph as Cytoscape's elements. An edge's `far` names its end away from the pivot's entity ('' for
 * an edge not of it); `multi` marks an edge whose two entities have another relation between them too
 * (drawn curved apart; the rest straight), and an edge from an entity to itself (a loop is a curve).
 */
export function elements(g: Graph, flags: ReadonlyMap<string, unknown>): ElementDefinition[] {
  const out: ElementDefinition[] = [];
  for (const n of g.nodes.values()) {
    const flag = flags.get(n.id);
    // a flagged node's label says so: colour alone is not enough (and not for everyone)
    const label = flag === undefined ? n.label : `⚠ ${n.label}`;
    out.push({ group: 'nodes', data: { id: n.id, label, type: n.type, blocklisted: n.blocklist.length > 0, flagged: flag !== undefined, expanded: n.expanded } });
  }
  const pair = (a: string, b: string) => (a < b ? `${a}\n${b}` : `${b}\n${a}`);
  const pairs = new Map<string, number>();
  for (const e of g.edges.values()) pairs.set(pair(e.source, e.target), (pairs.get(pair(e.source, e.target)) ?? 0) + 1);
  for (const e of g.edges.values()) {
    const far = e.source === g.root ? 'target' : e.target === g.root ? 'source' : '';
    out.push({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, relation: e.relation, far, multi: e.source === e.target || pairs.get(pair(e.source, e.target))! > 1 } });
  }
  return out;
}

export interface Synced {
  /** elements came or went */
  changed: boolean;
  /** a node went: another graph (a new pivot), not an expansion of this one */
  removed: boolean;
  /** the nodes added */
  fresh: NodeCollection;
}

/** The fields of `want` whose values differ from `have`'s (undefined when none do). */
export function changedData(have: Record<string, unknown>, want: Record<string, unknown>): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(want)) {
    if (have[k] === v) continue;
    out ??= {};
    out[k] = v;
  }
  return out;
}

export function syncElements(c: Core, want: readonly ElementDefinition[]): Synced {
  const ids = new Set(want.map((e) => e.data.id as string));
  let removed = false;
  let changed = false;
  let fresh = c.collection() as NodeCollection;
  c.batch(() => {
    const gone = c.elements().filter((el) => !ids.has(el.id()));
    if (gone.nonempty()) {
      removed = gone.nodes().nonempty();
      changed = true;
      c.remove(gone);
    }
    const added: ElementDefinition[] = [];
    for (const el of want) {
      const existing = c.getElementById(el.data.id as string);
      if (existing.empty()) {
        added.push(el);
        continue;
      }
      const diff = changedData(existing.data() as Record<string, unknown>, el.data as Record<string, unknown>);
      if (diff !== undefined) existing.data(diff);
    }
    if (added.length > 0) {
      changed = true;
      fresh = c.add(added).nodes();
    }
  });
  return { changed, removed, fresh };
}
