/**
 * Where an edge of the pivot graph writes its relation: in, an edge's ends as drawn, its label's size and
 * the boxes of the nodes' shapes and labels (graph units); out, the label's centre. Never touches Cytoscape
 * (PivotGraph.tsx measures and applies).
 *
 * The label is turned along its edge, and Cytoscape bounds a turned label by the upright box around it:
 * a spot counts as clear when that box touches no node's shape. A spoke of the hub shorter than the fixed
 * offset it had (40 px from its far end) put its label on the hub: 'login', 'lease' and 'alert' sat under
 * the pivot's entity of a 40-node pivot, and two 'flow' labels on ring nodes their spokes passed. A
 * node's label is kept clear before another edge's ('login' sat on "alice" at the end of a short spoke),
 * and what is in the way is read from grids (BoxGrid): each search read every box drawn, so placing
 * stopped at 400 edges; 2,000 take ~28 ms (a synthetic ring graph; the all-pairs search took 183 ms).
 */
import type { Box, Point } from './hub-layout.ts';

export interface EdgeLabelAsk {
  /** the edge's ends as drawn (on its nodes' borders); the label is measured along from `far` */
  near: Point;
  far: Point;
  /** the label's size upright (graph units) */
  w: number;
  h: number;
  /** the distance from `far` along the edge it would rather be at; null for the middle */
  prefer: number | null;
}

/** Edge labels' size (px at zoom 1). */
export const EDGE_LABEL_PX = 8;
/** Zoomed out past labels of this size (px on screen), Cytoscape hides them (node labels too): a smear of text helps no one. */
export const HIDE_LABEL_PX = 6;

/** Whether edge labels are drawn at zoom `z`: placing them waits until they are (edge-label-place.ts). */
export const edgeLabelsShown = (z: number): boolean => EDGE_LABEL_PX * z >= HIDE_LABEL_PX;

/**
 * What the note under the graph says of its labels at zoom `z` (null: every label is drawn): zoomed out
 * past reading, names and relations are not drawn at all (a graph of hundreds fits the view only so), and
 * past `placedMax` edges the relation labels are left at their edges' middles.
 */
export function labelNote(z: number, nodeLabelPx: number, edges: number, placedMax: number): string | null {
  const parts: string[] = [];
  if (nodeLabelPx * z < HIDE_LABEL_PX) parts.push('Zoomed out past reading: names and relations show when zoomed in (scroll or pinch), and the side panel lists the selected entity\'s relations.');
  else if (edges > 0 && !edgeLabelsShown(z)) parts.push('Relation labels show when zoomed in.');
  if (edges > placedMax) parts.push(`Past ${placedMax.toLocaleString('en-US')} relations their labels stay at the middle of each edge, some on a node.`);
  return parts.length === 0 ? null : parts.join(' ');
}

/** Steps along the edge between two spots tried (graph units). */
const ALONG_STEP = 4;
/** Spots tried each way along the edge from the preferred one, at most. */
const ALONG_MAX = 60;
/** Label heights a spot may be moved off the edge, each side: three clear a node's label beside a spoke shorter than its own label. */
const ACROSS_MAX = 3;
/** A step off the edge costs as much as this many along it. */
const ACROSS_COST = 3;
/** Free space kept around the label's box: Cytoscape's own 2 and one more. */
const PAD = 3;
/** A grid cell's side (graph units): about a short label's length, so a query reads a few cells. */
const CELL = 64;

const overlaps = (a: Box, b: Box): boolean => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

/**
 * Boxes filed by the grid cells they touch, so that what lies near a spot is read from a few cells
 * rather than every box drawn: 2,000 edges tested each of their spots against every node and label.
 */
export class BoxGrid {
  private readonly cells = new Map<number, Box[]>();
  constructor(boxes: readonly Box[] = []) {
    for (const b of boxes) this.add(b);
  }
  /** One number per cell (a graph within ±2^20 cells each way: far past any drawn). */
  private static key(cx: number, cy: number): number {
    return cx * 2_097_152 + cy;
  }
  add(b: Box): void {
    for (let cx = Math.floor(b.x1 / CELL); cx <= Math.floor(b.x2 / CELL); cx++) {
      for (let cy = Math.floor(b.y1 / CELL); cy <= Math.floor(b.y2 / CELL); cy++) {
        const key = BoxGrid.key(cx, cy);
        const cell = this.cells.get(key);
        if (cell === undefined) this.cells.set(key, [b]);
        else cell.push(b);
      }
    }
  }
  /** Whether any box filed overlaps `b`. */
  hits(b: Box): boolean {
    const cx2 = Math.floor(b.x2 / CELL);
    const cy2 = Math.floor(b.y2 / CELL);
    for (let cx = Math.floor(b.x1 / CELL); cx <= cx2; cx++) {
      for (let cy = Math.floor(b.y1 / CELL); cy <= cy2; cy++) {
        const cell = this.cells.get(BoxGrid.key(cx, cy));
        if (cell === undefined) continue;
        for (const o of cell) if (overlaps(o, b)) return true;
      }
    }
    return false;
  }
}

/** The spots tried, as (steps along, label heights across), cheapest first; the same for every edge. */
const SPOT_ORDER: readonly { i: number; k: number }[] = (() => {
  const order: { i: number; k: number; cost: number }[] = [];
  for (let i = -ALONG_MAX; i <= ALONG_MAX; i++) for (let k = -ACROSS_MAX; k <= ACROSS_MAX; k++) order.push({ i, k, cost: Math.abs(i) + ACROSS_COST * Math.abs(k) });
  return order.sort((a, b) => a.cost - b.cost);
})();

/** The upright box of the label centred at p, turned along the edge (half its width and height). */
function halves(ask: EdgeLabelAsk): { hw: number; hh: number } {
  const a = Math.atan2(ask.far.y - ask.near.y, ask.far.x - ask.near.x);
  const c = Math.abs(Math.cos(a));
  const s = Math.abs(Math.sin(a));
  return { hw: (ask.w * c + ask.h * s) / 2 + PAD, hh: (ask.w * s + ask.h * c) / 2 + PAD };
}

/** The box the label's centre at `p` takes, as Cytoscape bounds it (margin included). */
export function edgeLabelBox(ask: EdgeLabelAsk, p: Point): Box {
  const { hw, hh } = halves(ask);
  return { x1: p.x - hw, y1: p.y - hh, x2: p.x + hw, y2: p.y + hh };
}

/** What a label keeps clear of: the nodes' shapes, the nodes' labels, the edge labels placed so far. */
export interface LabelObstacles {
  bodies: BoxGrid;
  nodeLabels: BoxGrid;
  edgeLabels: BoxGrid;
}

/**
 * The label's centre: of the spots along the edge (from the preferred one outwards) and beside it (up to
 * ACROSS_MAX label heights off, each costing ACROSS_COST steps along), the nearest whose box clears every
 * node's shape, every node's label and every edge label placed; failing that, the nearest clear of the
 * nodes' shapes and labels (an edge label under the hub's name hid which address the graph is about: a
 * short spoke's spots all touched one label or the other, and the nodes' labels were given up first);
 * failing that, the nearest clear of the shapes alone; failing that, null (the caller leaves the label
 * where Cytoscape puts it).
 */
export function edgeLabelSpot(ask: EdgeLabelAsk, around: LabelObstacles): Point | null {
  const dx = ask.near.x - ask.far.x;
  const dy = ask.near.y - ask.far.y;
  const length = Math.hypot(dx, dy);
  if (length === 0) return null;
  const ux = dx / length;
  const uy = dy / length;
  const prefer = Math.min(length, Math.max(0, ask.prefer ?? length / 2));
  const across = ask.h + 2;
  const { hw, hh } = halves(ask);
  let clearOfNodes: Point | null = null;
  let clearOfBodies: Point | null = null;
  for (const { i, k } of SPOT_ORDER) {
    const d = prefer + i * ALONG_STEP;
    if (d < 0 || d > length) continue;
    // across the edge: (−uy, ux)
    const p = { x: ask.far.x + ux * d - uy * k * across, y: ask.far.y + uy * d + ux * k * across };
    const box = { x1: p.x - hw, y1: p.y - hh, x2: p.x + hw, y2: p.y + hh };
    if (around.bodies.hits(box)) continue;
    clearOfBodies ??= p;
    if (around.nodeLabels.hits(box)) continue;
    if (!around.edgeLabels.hits(box)) return p;
    clearOfNodes ??= p;
  }
  return clearOfNodes ?? clearOfBodies;
}
