/**
 * Applies edge-labels.ts to the Cytoscape instance: measures each edge's label and ends, moves the label
 * (by its text margin) to the spot found. Only while the labels can be read: zoomed out past the zoom at
 * which Cytoscape hides them (EDGE_LABEL_PX × zoom under HIDE_LABEL_PX), placing is put off until the view
 * zooms in to them. An expansion to 1,000 edges lands zoomed out to ~0.3, where no edge label is drawn,
 * and placing them there took ~840 ms of its ~3 s (bench/investigate-graph.ts, 2026-12-07).
 */
import type { Core, EdgeSingular } from 'cytoscape';
import { BoxGrid, edgeLabelBox, edgeLabelSpot, edgeLabelsShown, type EdgeLabelAsk, type LabelObstacles } from './edge-labels.ts';

export { EDGE_LABEL_PX, HIDE_LABEL_PX } from './edge-labels.ts';
/** How far from the far end an edge of the pivot's entity would rather write its relation (px at zoom 1): at the middle, the spokes' labels piled up around the hub. */
const EDGE_LABEL_OFFSET = 40;
/** Past this many edges their labels stay in the middle (on the nodes: 246 of 806 did). Placing took 35 ms at 408 edges, 64 ms at 806 (the search ~28 ms at 2,000, Cytoscape's endpoints the rest). */
export const EDGE_LABEL_MAX = 1000;

/** The size of an edge's label upright, measured as Cytoscape measures it (graph units); `sizes` keeps each font and text measured once. */
function labelSize(e: EdgeSingular, font: { css: string; px: number }, measure: CanvasRenderingContext2D, sizes: Map<string, { w: number; h: number }>): { w: number; h: number } {
  const text = e.data('relation') as string;
  const known = sizes.get(text);
  if (known !== undefined) return known;
  measure.font = font.css;
  const measured = { w: Math.ceil(measure.measureText(text).width), h: font.px };
  sizes.set(text, measured);
  return measured;
}

/**
 * Moves each edge's relation label to the spot nearest its preferred one whose box covers no node's shape
 * (edge-labels.ts): an edge of the pivot's entity near its far end, any other at its middle; clear of the
 * nodes' labels, then of the labels already placed, where it can be.
 */
function placeAll(c: Core): void {
  const edges = c.edges();
  if (edges.length === 0 || edges.length > EDGE_LABEL_MAX) return;
  const measure = document.createElement('canvas').getContext('2d');
  if (measure === null) return;
  // every edge has the one font (the style sheet sets no other): read once, not four style lookups an edge
  const first = edges[0]!;
  const px = parseFloat(first.style('font-size') as string);
  const font = { css: `${first.style('font-style') as string} ${first.style('font-weight') as string} ${px}px ${first.style('font-family') as string}`, px };
  const sizes = new Map<string, { w: number; h: number }>();
  const nodes = c.nodes();
  const around: LabelObstacles = {
    bodies: new BoxGrid(nodes.map((n) => n.boundingBox({ includeLabels: false, includeOverlays: false, includeUnderlays: false }))),
    nodeLabels: new BoxGrid(nodes.map((n) => n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false, includeUnderlays: false }))),
    edgeLabels: new BoxGrid(),
  };
  // the ends of every edge read before any label moves: a margin set makes the edge's drawing stale, and
  // the next edge's ends read after it were worked out again for it (~145 ms at 1,000 edges)
  const asks = edges.map((e) => {
    const far = e.data('far') as string;
    const ask: EdgeLabelAsk = { near: far === 'source' ? e.targetEndpoint() : e.sourceEndpoint(), far: far === 'source' ? e.sourceEndpoint() : e.targetEndpoint(), ...labelSize(e, font, measure, sizes), prefer: far === '' ? null : EDGE_LABEL_OFFSET };
    return { e, ask, mid: e.midpoint() };
  });
  c.batch(() => {
    for (const { e, ask, mid } of asks) {
      const spot = edgeLabelSpot(ask, around);
      const margin = spot === null ? { x: 0, y: 0 } : { x: spot.x - mid.x, y: spot.y - mid.y };
      e.style({ 'text-margin-x': margin.x, 'text-margin-y': margin.y });
      if (spot !== null) around.edgeLabels.add(edgeLabelBox(ask, spot));
    }
  });
}

/**
 * The edge labels of `c` placed now where they can be read, or else once the view zooms in to them; each
 * `place()` stands for the graph as it is then (the last one asked is the one done).
 */
export function edgeLabelPlacer(c: Core): { place(): void; pending(): boolean } {
  let owed = false;
  c.on('zoom', () => {
    if (!owed || !edgeLabelsShown(c.zoom())) return;
    owed = false;
    placeAll(c);
  });
  return {
    place() {
      owed = !edgeLabelsShown(c.zoom());
      if (!owed) placeAll(c);
    },
    pending: () => owed,
  };
}
