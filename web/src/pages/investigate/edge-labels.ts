/**
 * Where an edge of the pivot graph writes its relation: in, an edge's ends as drawn, its label's size and
 * the boxes of the nodes' shapes and labels (graph units); out, the label's centre. Never touches Cytoscape
 * (PivotGraph.tsx measures and applies).
 *
 * The label is turned along its edge, and Cytoscape bounds a turned label by the upright box around it:
 * a spot counts as clear when that box touches no node's shape. A spoke of the hub shorter than the fixed
 * offset it had (40 px from its far end) put its label on the hub: 'login', 'lease' and 'alert' sat under
 * the pivot's entity of a 40-node pivot, and two 'flow' labels on ring nodes their spokes passed.
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

/** Steps along the edge between two spots tried (graph units). */
const ALONG_STEP = 4;
/** Spots tried each way along the edge from the preferred one, at most. */
const ALONG_MAX = 60;
/** Label heights a spot may be moved off the edge, each side. */
const ACROSS_MAX = 2;
/** A step off the edge costs as much as this many along it. */
const ACROSS_COST = 3;
/** Free space kept around the label's box: Cytoscape's own 2 and one more. */
const PAD = 3;

const overlaps = (a: Box, b: Box): boolean => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

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

/**
 * The label's centre: of the spots along the edge (from the preferred one outwards) and beside it (up to
 * ACROSS_MAX label heights off, each costing ACROSS_COST steps along), the nearest whose box clears every
 * box in `bodies` and in `labels`; failing that, the nearest clear of `bodies` alone; failing that, null
 * (the caller leaves the label where Cytoscape puts it).
 */
export function edgeLabelSpot(ask: EdgeLabelAsk, bodies: readonly Box[], labels: readonly Box[]): Point | null {
  const dx = ask.near.x - ask.far.x;
  const dy = ask.near.y - ask.far.y;
  const length = Math.hypot(dx, dy);
  if (length === 0) return null;
  const ux = dx / length;
  const uy = dy / length;
  const prefer = Math.min(length, Math.max(0, ask.prefer ?? length / 2));
  const { hw, hh } = halves(ask);
  const across = ask.h + 2;
  // only boxes near the edge can be in the way
  const reach = Math.max(hw, hh) + ACROSS_MAX * across;
  const area: Box = { x1: Math.min(ask.near.x, ask.far.x) - reach, y1: Math.min(ask.near.y, ask.far.y) - reach, x2: Math.max(ask.near.x, ask.far.x) + reach, y2: Math.max(ask.near.y, ask.far.y) + reach };
  const near = bodies.filter((b) => overlaps(b, area));
  const nearLabels = labels.filter((b) => overlaps(b, area));
  const spots: { p: Point; cost: number }[] = [];
  for (let i = -ALONG_MAX; i <= ALONG_MAX; i++) {
    const d = prefer + i * ALONG_STEP;
    if (d < 0 || d > length) continue;
    for (let k = -ACROSS_MAX; k <= ACROSS_MAX; k++) {
      // across the edge: (−uy, ux)
      spots.push({ p: { x: ask.far.x + ux * d - uy * k * across, y: ask.far.y + uy * d + ux * k * across }, cost: Math.abs(i) + ACROSS_COST * Math.abs(k) });
    }
  }
  spots.sort((a, b) => a.cost - b.cost);
  let clearOfBodies: Point | null = null;
  for (const { p } of spots) {
    const box = edgeLabelBox(ask, p);
    if (near.some((b) => overlaps(box, b))) continue;
    if (!nearLabels.some((b) => overlaps(box, b))) return p;
    clearOfBodies ??= p;
  }
  return clearOfBodies;
}
