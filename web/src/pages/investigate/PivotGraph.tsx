/**
 * The Cytoscape view of the pivot graph: node colour by entity type, blocklisted nodes in the danger
 * colour with a thick border, nodes with open findings with a double danger ring and ⚠ before the
 * label, edge labels by relation. A tap selects; a double tap (or Enter in the side panel) expands.
 * Colours come from the theme's CSS variables.
 */
import { useEffect, useRef } from 'react';
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import type { Graph } from './graph-model.ts';
import type { Flag } from './flagged.ts';

interface Props {
  graph: Graph;
  /** nodes the detectors have open findings on: drawn with a danger ring */
  flags: Map<string, Flag>;
  selected: string | null;
  onSelect(id: string | null): void;
  onExpand(id: string): void;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v === '' ? fallback : v;
}

function style(): cytoscape.StylesheetJson {
  const text = cssVar('--text', '#d6dee8');
  const dim = cssVar('--text-dim', '#93a1b3');
  const border = cssVar('--border-strong', '#35445a');
  return [
    { selector: 'node', style: { label: 'data(label)', color: text, 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 3, width: 18, height: 18, 'background-color': cssVar('--accent', '#4fb3d9'), 'border-width': 1, 'border-color': border } },
    { selector: 'node[type = "domain"]', style: { shape: 'round-rectangle', 'background-color': cssVar('--ok', '#7fd18b') } },
    { selector: 'node[type = "user"]', style: { shape: 'diamond', 'background-color': cssVar('--warn', '#e6b450') } },
    { selector: 'node[type = "mac"], node[type = "host"]', style: { shape: 'hexagon', 'background-color': dim } },
    { selector: 'node[type = "port"], node[type = "sig"]', style: { shape: 'tag', 'background-color': border } },
    { selector: 'node[?expanded]', style: { width: 24, height: 24 } },
    { selector: 'node[?flagged]', style: { 'border-width': 4, 'border-style': 'double', 'border-color': cssVar('--danger', '#f07178') } },
    { selector: 'node[?blocklisted]', style: { 'background-color': cssVar('--danger', '#f07178'), 'border-width': 3, 'border-color': cssVar('--danger', '#f07178') } },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': cssVar('--focus', '#7ccbe9') } },
    { selector: 'edge', style: { width: 1.5, 'line-color': border, 'target-arrow-color': border, 'target-arrow-shape': 'triangle', 'curve-style': 'bezier', label: 'data(relation)', 'font-size': 8, color: dim, 'text-rotation': 'autorotate' } },
    { selector: 'edge[relation = "blocked"]', style: { 'line-style': 'dashed' } },
    { selector: 'edge[relation = "alert"]', style: { 'line-color': cssVar('--danger', '#f07178'), 'target-arrow-color': cssVar('--danger', '#f07178') } },
  ];
}

function elements(g: Graph, flags: Map<string, Flag>): ElementDefinition[] {
  const out: ElementDefinition[] = [];
  for (const n of g.nodes.values()) {
    const flag = flags.get(n.id);
    // a flagged node's label says so: colour alone is not enough (and not for everyone)
    const label = flag === undefined ? n.label : `⚠ ${n.label}`;
    out.push({ group: 'nodes', data: { id: n.id, label, type: n.type, blocklisted: n.blocklist.length > 0, flagged: flag !== undefined, expanded: n.expanded } });
  }
  for (const e of g.edges.values()) out.push({ group: 'edges', data: { id: e.id, source: e.source, target: e.target, relation: e.relation } });
  return out;
}

export function PivotGraph({ graph, flags, selected, onSelect, onExpand }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | null>(null);
  const handlers = useRef({ onSelect, onExpand });
  handlers.current = { onSelect, onExpand };

  useEffect(() => {
    // the default wheel sensitivity: a custom one logged a warning on every page load (it behaves differently across mice and touchpads)
    const c = cytoscape({ container: box.current, style: style(), minZoom: 0.2, maxZoom: 1.5 });
    c.on('tap', 'node', (e) => handlers.current.onSelect(e.target.id() as string));
    c.on('dbltap', 'node', (e) => handlers.current.onExpand(e.target.id() as string));
    c.on('tap', (e) => {
      if (e.target === c) handlers.current.onSelect(null);
    });
    cy.current = c;
    return () => {
      c.destroy();
      cy.current = null;
    };
  }, []);

  useEffect(() => {
    const c = cy.current;
    if (c === null) return;
    const want = elements(graph, flags);
    const ids = new Set(want.map((e) => e.data.id as string));
    // laid out again only when elements came or went: the findings arriving later only restyle
    let changed = false;
    c.batch(() => {
      c.elements().forEach((el) => {
        if (!ids.has(el.id())) {
          el.remove();
          changed = true;
        }
      });
      for (const el of want) {
        const existing = c.getElementById(el.data.id as string);
        if (existing.empty()) {
          c.add(el);
          changed = true;
        } else existing.data(el.data);
      }
    });
    if (changed && want.length > 0) c.layout({ name: 'cose', animate: false, nodeDimensionsIncludeLabels: true, randomize: false, padding: 24 }).run();
  }, [graph, flags]);

  useEffect(() => {
    const c = cy.current;
    if (c === null) return;
    c.nodes().unselect();
    if (selected !== null) c.getElementById(selected).select();
  }, [selected, graph]);

  return <div ref={box} className="pivot-graph" role="img" aria-label="Relation graph; tap a node to see it, double-tap to expand it" />;
}
