/**
 * The pivot graph's first layout: the pivot's entity in the middle, the others on rings around it,
 * nearer (fewer hops) inside, each ring's nodes grouped by kind. A ring takes as many nodes as fit
 * evenly spaced on it without any node's box (its shape and label) touching another's, so no label
 * covers another or a node; each ring is turned so that as few edges from the centre as can be run
 * through another node's shape (one would read as a chain through it; under a label, the label's backing
 * hides it). The rings are ellipses, of the width (over their height) of those tried that
 * lets the whole fit the view at the largest zoom: labels are wide and short, so wider than the view.
 *
 * A force-directed layout (cose) drew 11 overlapping label pairs around the hub of a 38-node pivot, and
 * spreading it (longer edges, stronger repulsion) made the fit zoom labels too small to read.
 */

/** A box around a node's position (shape and label, in graph units at zoom 1). */
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface RingItem {
  id: string;
  /** the node's box relative to its position, label included */
  box: Box;
  /** its shape's box relative to its position */
  body: Box;
  /** links from the centre (1 for the pivot's neighbours); a larger one goes on an outer ring */
  hops: number;
  /** the kind's place: nodes of a ring are ordered by it, so a kind fills an arc of the ring */
  rank: number;
  /** order within a kind (the label) */
  key: string;
}

export interface Point {
  x: number;
  y: number;
}

/** Free space kept around every node's box (graph units). */
const MARGIN = 4;
/** How far the radius grows when a ring takes no node at it. */
const RADIUS_STEP = 8;
/** The least distance between two rings (a node and its label). */
const RING_GAP = 30;

const overlaps = (a: Box, b: Box): boolean => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

function moved(b: Box, p: Point, margin: number): Box {
  return { x1: p.x + b.x1 - margin, y1: p.y + b.y1 - margin, x2: p.x + b.x2 + margin, y2: p.y + b.y2 + margin };
}

function byRing(a: RingItem, b: RingItem): number {
  if (a.hops !== b.hops) return a.hops - b.hops;
  if (a.rank !== b.rank) return a.rank - b.rank;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** A node placed: its box and its shape's (margin included) and, for a neighbour of the centre, where its edge from (0, 0) ends. */
interface Placed {
  at: Point;
  box: Box;
  body: Box;
  spoke: Point | null;
}

/** Whether the segment from (0, 0) to p passes through box b (Liang–Barsky clipping). */
function crosses(p: Point, b: Box): boolean {
  let t0 = 0;
  let t1 = 1;
  const sides: [number, number][] = [
    [-p.x, -b.x1],
    [p.x, b.x2],
    [-p.y, -b.y1],
    [p.y, b.y2],
  ];
  for (const [q, r] of sides) {
    if (q === 0) {
      if (r < 0) return false;
      continue;
    }
    const t = r / q;
    if (q < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 > t1) return false;
  }
  return true;
}

function place(it: RingItem, p: Point): Placed {
  return { at: p, box: moved(it.box, p, MARGIN / 2), body: moved(it.body, p, MARGIN), spoke: it.hops === 1 ? p : null };
}

/** Ellipses' width over their height that `fitHubRings` tries, times the view's. */
const ASPECTS = [1, 1.25, 1.5, 1.75, 2];
/** The widest ellipse tried (width over height). */
const MAX_ASPECT = 3;

/** Positions of `count` nodes evenly spaced on the ellipse of radius r (r × aspect wide), the first at `start` radians. */
function onRing(count: number, r: number, aspect: number, start: number): Point[] {
  const step = (2 * Math.PI) / count;
  return Array.from({ length: count }, (_, i) => ({ x: r * aspect * Math.cos(start + i * step), y: r * Math.sin(start + i * step) }));
}

/** Turns of a ring tried, in steps between its nodes (the first of equals wins). */
const TURNS = [0, 8, 4, 12, 2, 6, 10, 14, 1, 3, 5, 7, 9, 11, 13, 15].map((k) => k / 16);
/** A ring may hold up to this many nodes fewer than fit, when that runs fewer edges through shapes. */
const SPARE = 3;
/** The first ring's least distance from the centre: near it, a node's shape bars a wide angle to the edges past it. */
const FIRST_RING = 50;

/**
 * The ring of radius r with as many of `items` (from the first) as fit evenly spaced, their boxes clear
 * of every other; of those counts (down to SPARE fewer) and turns, the one whose edges from the centre
 * cross the fewest shapes, then the one with the most nodes. Null when not one node fits.
 */
function bestRing(items: readonly RingItem[], r: number, aspect: number, placed: readonly Placed[], centre: Box, most: number): Placed[] | null {
  let best: Placed[] | null = null;
  let bestCrossings = Infinity;
  let fewest = 0;
  for (let m = Math.min(most, items.length); m >= Math.max(1, fewest) && bestCrossings > 0; m--) {
    for (const turn of TURNS) {
      const at = onRing(m, r, aspect, -Math.PI / 2 + (turn * 2 * Math.PI) / m);
      const mine = at.map((p, i) => place(items[i]!, p));
      const ok = mine.every((c, i) => !overlaps(c.box, centre) && placed.every((o) => !overlaps(c.box, o.box)) && mine.every((o, j) => j <= i || !overlaps(c.box, o.box)));
      if (!ok) continue;
      // the first count that fits bounds how few the ring may take
      if (best === null) fewest = m - SPARE;
      let crossings = 0;
      for (const c of mine) for (const o of placed) crossings += (o.spoke !== null && crosses(o.spoke, c.body) ? 1 : 0) + (c.spoke !== null && crosses(c.spoke, o.body) ? 1 : 0);
      if (crossings < bestCrossings) {
        best = mine;
        bestCrossings = crossings;
      }
      if (crossings === 0) break;
    }
  }
  return best;
}

/**
 * Where each node goes, the centre at (0, 0). `aspect`: the ellipses' width over their height (within
 * 1–MAX_ASPECT). Every node gets a position; none's box overlaps another's.
 */
export function hubRings(centre: RingItem, others: readonly RingItem[], aspect: number): Map<string, Point> {
  const out = new Map<string, Point>([[centre.id, { x: 0, y: 0 }]]);
  const middle = moved(centre.box, { x: 0, y: 0 }, MARGIN / 2);
  const placed: Placed[] = [];
  const rest = [...others].sort(byRing);
  const a = Math.min(MAX_ASPECT, Math.max(1, aspect));
  let r = Math.max(FIRST_RING, Math.max(centre.box.y2 - centre.box.y1, (centre.box.x2 - centre.box.x1) / a) / 2 + RING_GAP);
  while (rest.length > 0) {
    // a ring holds nodes as far from the centre as each other: the next hop waits for a ring of its own
    let sameHops = 1;
    while (sameHops < rest.length && rest[sameHops]!.hops === rest[0]!.hops) sameHops++;
    // no more than fit side by side at the narrowest (a node's own width) on the ellipse
    const most = Math.max(1, Math.floor((2 * Math.PI * r) / 22));
    const ring = bestRing(rest.slice(0, sameHops), r, a, placed, middle, most);
    if (ring === null) {
      r += RADIUS_STEP;
      continue;
    }
    ring.forEach((c, i) => {
      out.set(rest[i]!.id, c.at);
      placed.push(c);
    });
    rest.splice(0, ring.length);
    r += RING_GAP;
  }
  return out;
}

/** The zoom at which positions `at` of `items` fill a view of w × h (less `pad` each side). */
function fitZoom(items: readonly RingItem[], at: ReadonlyMap<string, Point>, w: number, h: number, pad: number): number {
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (const it of items) {
    const b = moved(it.box, at.get(it.id)!, 0);
    x1 = Math.min(x1, b.x1);
    y1 = Math.min(y1, b.y1);
    x2 = Math.max(x2, b.x2);
    y2 = Math.max(y2, b.y2);
  }
  return Math.min((w - 2 * pad) / Math.max(1, x2 - x1), (h - 2 * pad) / Math.max(1, y2 - y1));
}

/** `hubRings` with the ellipses' width that lets the whole fit a view of w × h at the largest zoom. */
export function fitHubRings(centre: RingItem, others: readonly RingItem[], w: number, h: number, pad: number): Map<string, Point> {
  const all = [centre, ...others];
  const view = w / Math.max(1, h);
  let best: Map<string, Point> | null = null;
  let bestZoom = -Infinity;
  for (const k of ASPECTS) {
    const at = hubRings(centre, others, view * k);
    const z = fitZoom(all, at, w, h, pad);
    if (z > bestZoom) {
      best = at;
      bestZoom = z;
    }
  }
  return best!;
}

/** The least distance of new nodes from their anchor (graph units). */
const BESIDE_FIRST = 70;
/** Rows of a column of new nodes; more nodes take more columns. */
const COLUMN_ROWS = 15;
/** Space between two columns of new nodes (graph units). */
const COLUMN_GAP = 12;
/** Steps (RADIUS_STEP each) the new nodes move out before they take the last place tried, overlaps and all. */
const BESIDE_MAX_STEPS = 400;

/**
 * Where `items`, new nodes hanging from the node at `anchor`, go: one node straight out from the anchor
 * (`out`, radians, away from the graph's middle), or turned a little either way; more in columns beside
 * it on the side `out` faces, a row each, the columns' top or bottom shifted along so that they stay as
 * near as they can. Each moves out (RADIUS_STEP at a time) until every box clears every box in `taken`
 * (absolute, graph units) and each other. Labels are wide and short: in a column they take a row's height
 * each, where on a ring they needed their width. Until 2026-12 an expansion's nodes took one ring of
 * radius 70 whatever was there, and their labels landed on the graph's (an operator walk, a 43-node pivot
 * expanded at one of its ring's nodes); a fan clear of them ran a dozen long names 1,500 units out, past
 * where a fitted view could show any label.
 */
export function placeBeside(anchor: Point, out: number, items: readonly RingItem[], taken: readonly Box[]): Point[] {
  const k = items.length;
  if (k === 0) return [];
  const blocked = taken.map((b) => moved(b, { x: 0, y: 0 }, MARGIN / 2));
  const clearAt = (at: readonly Point[]): boolean => {
    const boxes = items.map((it, i) => moved(it.box, at[i]!, MARGIN / 2));
    return boxes.every((b, i) => blocked.every((o) => !overlaps(b, o)) && boxes.every((o, j) => j <= i || !overlaps(b, o)));
  };
  let last: Point[] = [];
  const side = Math.cos(out) >= 0 ? 1 : -1;
  const width = Math.max(...items.map((it) => it.box.x2 - it.box.x1)) + MARGIN;
  const pitch = Math.max(...items.map((it) => it.box.y2 - it.box.y1)) + MARGIN;
  const rows = Math.min(k, COLUMN_ROWS);
  const height = rows * pitch;
  // shifts of the column along the anchor's side, the way `out` leans first
  const lean = Math.sin(out) >= 0 ? 1 : -1;
  const shifts = [0];
  for (let j = 1; j <= rows; j++) shifts.push(lean * j * pitch, -lean * j * pitch);
  for (let step = 0; step < BESIDE_MAX_STEPS; step++) {
    const d = BESIDE_FIRST + step * RADIUS_STEP;
    if (k === 1) {
      for (const turn of [0, 0.35, -0.35, 0.7, -0.7]) {
        const at = [{ x: anchor.x + d * Math.cos(out + turn), y: anchor.y + d * Math.sin(out + turn) }];
        last = at;
        if (clearAt(at)) return at;
      }
      continue;
    }
    for (const shift of shifts) {
      const at = items.map((it, i) => {
        const col = Math.floor(i / rows);
        const row = i % rows;
        // the column's near edge d from the anchor, its boxes' edges lined up on that side
        const x = anchor.x + side * (d + col * (width + COLUMN_GAP)) - (side > 0 ? it.box.x1 : it.box.x2);
        return { x, y: anchor.y - height / 2 + pitch / 2 + row * pitch + shift };
      });
      last = at;
      if (clearAt(at)) return at;
    }
  }
  return last;
}
