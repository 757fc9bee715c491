/**
 * The Cytoscape view of the pivot graph: node colour by entity type, blocklisted nodes in the danger
 * colour with a thick border, nodes with open findings with a double danger ring and ⚠ before the
 * label, edge labels by relation, each moved where it covers no node's shape (edge-labels.ts) once the
 * zoom draws them (edge-label-place.ts), and a note under the graph of what its zoom and size leave out. A tap
 * selects; a double tap (or Enter in the side panel) expands.
 * From the keyboard (graph-keys.ts): the frame takes the focus, arrows move a halo of the current node
 * to the nearest node that way and a live region names it, Enter opens its panel (which then has the
 * focus; Escape there gives it back), Space shows it and stays, E expands it, Home returns to the pivot's
 * entity. The halo shows only once the keyboard is used, so a mouse operator sees what was drawn before.
 * Colours come from the theme's CSS variables.
 *
 * Layout: the first graph is laid out whole (the pivot's entity in the middle and the rest on rings
 * around it whose nodes' labels touch nothing, see hub-layout.ts, up to RING_LAYOUT_MAX nodes; rings by
 * degree past it), then fitted to the view whole but never zoomed out past labels of FIT_LABEL_PX
 * (past that the view centres the pivot's entity and the rest is a pan away); nodes an expansion adds
 * are placed in columns beside the node they hang from, clear of every drawn label, and outlined until the next change, and nothing
 * already drawn moves (an expansion that adds edges only moves nothing at all). Laying out everything again on every expansion blocked the page for 5.8 s at
 * 285 nodes and scattered what the operator had looked at (session 31's review).
 */
import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import cytoscape, { type Core, type NodeCollection, type NodeSingular } from 'cytoscape';
import type { Graph } from './graph-model.ts';
import type { Flag } from './flagged.ts';
import { fitHubRings, placeBeside, type Box, type RingItem } from './hub-layout.ts';
import { EDGE_LABEL_MAX, EDGE_LABEL_PX, HIDE_LABEL_PX, edgeLabelPlacer } from './edge-label-place.ts';
import { labelNote } from './edge-labels.ts';
import { elements, syncElements } from './graph-sync.ts';
import { alreadyShown, graphKeyAction, graphLabel, nearestInDirection, nodeAnnouncement, noNodeThatWay } from './graph-keys.ts';

interface Props {
  graph: Graph;
  /** nodes the detectors have open findings on: drawn with a danger ring */
  flags: Map<string, Flag>;
  selected: string | null;
  onSelect(id: string | null): void;
  onExpand(id: string): void;
  /** Enter on a node: its panel is opened (onSelect) and then takes the focus */
  onOpen(id: string): void;
  /** the graph's frame, to give the focus back to it (Escape in the side panel) */
  frame: RefObject<HTMLDivElement | null>;
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
    // labels on a backing of the canvas colour: an edge passing under one does not strike it through
    {
      selector: 'node',
      style: {
        label: 'data(label)', color: text, 'font-size': LABEL_PX, 'min-zoomed-font-size': HIDE_LABEL_PX, 'text-valign': 'bottom', 'text-margin-y': 3,
        'text-background-color': cssVar('--bg-sunken', '#0f151d'), 'text-background-opacity': 0.85, 'text-background-padding': '1px', 'text-background-shape': 'roundrectangle',
        width: 18, height: 18, 'background-color': cssVar('--accent', '#4fb3d9'), 'border-width': 1, 'border-color': border,
      },
    },
    { selector: 'node[type = "domain"]', style: { shape: 'round-rectangle', 'background-color': cssVar('--ok', '#7fd18b') } },
    { selector: 'node[type = "user"]', style: { shape: 'diamond', 'background-color': cssVar('--warn', '#e6b450') } },
    { selector: 'node[type = "mac"], node[type = "host"]', style: { shape: 'hexagon', 'background-color': dim } },
    { selector: 'node[type = "port"], node[type = "sig"]', style: { shape: 'tag', 'background-color': border } },
    { selector: 'node[?expanded]', style: { width: 24, height: 24 } },
    { selector: 'node[?flagged]', style: { 'border-width': 4, 'border-style': 'double', 'border-color': cssVar('--danger', '#f07178') } },
    { selector: 'node[?blocklisted]', style: { 'background-color': cssVar('--danger', '#f07178'), 'border-width': 3, 'border-color': cssVar('--danger', '#f07178') } },
    { selector: 'node.fresh', style: { 'border-width': 3, 'border-style': 'dashed', 'border-color': cssVar('--focus', '#7ccbe9') } },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': cssVar('--focus', '#7ccbe9') } },
    // the keyboard's current node: a halo behind it, apart from the selected node's border (the two may differ)
    { selector: 'node.current', style: { 'underlay-color': cssVar('--focus', '#7ccbe9'), 'underlay-opacity': 0.7, 'underlay-padding': 8, 'underlay-shape': 'ellipse' } },
    { selector: 'edge', style: { width: 1.5, 'line-color': border, 'target-arrow-color': border, 'target-arrow-shape': 'triangle', 'curve-style': 'straight', label: 'data(relation)', 'font-size': EDGE_LABEL_PX, color: dim, 'text-rotation': 'autorotate', 'min-zoomed-font-size': HIDE_LABEL_PX } },
    // curved apart only where two entities have more than one relation: Cytoscape finds every bezier edge's
    // parallel ones by reading all its source's edges (quadratic at a resolver of 1,900: ~220 ms an expansion)
    { selector: 'edge[?multi]', style: { 'curve-style': 'bezier' } },
    { selector: 'edge[relation = "blocked"]', style: { 'line-style': 'dashed' } },
    { selector: 'edge[relation = "alert"]', style: { 'line-color': cssVar('--danger', '#f07178'), 'target-arrow-color': cssVar('--danger', '#f07178') } },
  ];
}

/** Node labels' size (px at zoom 1). */
const LABEL_PX = 11;
/** The fit never zooms out past labels of this size (px on screen). */
const READABLE_LABEL_PX = 10;
/**
 * The first fit zooms out to labels of this size (px on screen) to show the graph whole: at 10 px the
 * 40-node test pivot ran 90 px past both sides of a 768 px wide window and a label was cut at 1280. Above
 * HIDE_LABEL_PX, so node labels and the edges' (8 px at zoom 1) are still drawn.
 */
const FIT_LABEL_PX = 8;
/** Room around the graph when it is fitted to the view (px). */
const FIT_PADDING = 24;
/** Past this many nodes the rings around the pivot take long to place: rings by degree instead. */
const RING_LAYOUT_MAX = 120;

/** Screen distance between neighbours on a ring (px at zoom 1). */
const RING_SPACING = 30;
/** Past this many new nodes around one anchor, a band of rows (placeDisc) rather than one ring of radius 300 and more. */
const RING_MAX_NODES = 60;

/** Kinds in the order they take around a ring: who the address is first, then alerts, then where it went. */
const KIND_RANK = ['user', 'host', 'mac', 'sig', 'port', 'ip', 'domain'];

function rankOf(type: string): number {
  const i = KIND_RANK.indexOf(type);
  return i < 0 ? KIND_RANK.length : i;
}

/** A node's box relative to its position: with its label, or its shape only. */
function boxOf(n: NodeSingular, labels: boolean): Box {
  const p = n.position();
  const b = n.boundingBox({ includeLabels: labels, includeOverlays: false, includeUnderlays: false });
  return { x1: b.x1 - p.x, y1: b.y1 - p.y, x2: b.x2 - p.x, y2: b.y2 - p.y };
}

/** The pivot's entity in the middle, the rest on rings around it by hops and kind (hub-layout.ts). */
function layoutRings(c: Core, centre: NodeSingular): void {
  const hops = new Map<string, number>();
  c.elements().bfs({ roots: centre, directed: false, visit: (v, _e, _u, _i, depth) => void hops.set(v.id(), depth) });
  // a node the centre does not reach (an alias drawn on its own) goes outside all the others
  const far = Math.max(0, ...hops.values()) + 1;
  const item = (n: NodeSingular): RingItem => ({ id: n.id(), box: boxOf(n, true), body: boxOf(n, false), hops: hops.get(n.id()) ?? far, rank: rankOf(n.data('type') as string), key: n.data('label') as string });
  const others = c.nodes().difference(centre).map(item);
  const at = fitHubRings(item(centre), others, c.width(), c.height(), FIT_PADDING);
  c.nodes().positions((n) => at.get(n.id()) ?? { x: 0, y: 0 });
}

function layoutWhole(c: Core, root: string | null): void {
  const centre = root === null ? c.collection() : c.getElementById(root);
  if (c.nodes().length <= RING_LAYOUT_MAX && centre.nonempty()) layoutRings(c, centre);
  else c.layout({ name: 'concentric', animate: false, padding: 24, minNodeSpacing: 12, concentric: (node) => node.degree(false), levelWidth: () => 2 }).run();
  fitReadable(c, centre);
}

/**
 * Fits the first graph to the view whole, but zooms out no further than labels of FIT_LABEL_PX; past
 * that the centre is in the middle at that zoom and the rest a pan away.
 */
function fitReadable(c: Core, centre: NodeCollection): void {
  c.fit(c.nodes(), FIT_PADDING);
  const floor = FIT_LABEL_PX / LABEL_PX;
  if (c.zoom() >= floor) return;
  c.zoom(floor);
  c.center(centre.nonempty() ? centre : undefined);
}

/**
 * Fits are to the nodes (their labels included): the edges run between them, and bounding every edge's
 * label too took ~260 ms at 1,000 edges against ~30 (bench/investigate-graph.ts).
 *
 * Zooms out to the whole graph, but no further than labels stay readable; past that, to `part` (an
 * expansion's nodes and their anchors) at the zoom that shows it whole, no closer than the view was and
 * no further than readable; a part too big for that, the whole graph again. Fitting the whole graph after an expansion drew a 53-node graph's labels at 6 px.
 */
function showReadable(c: Core, part: NodeCollection): void {
  const was = c.zoom();
  c.fit(c.nodes(), FIT_PADDING);
  const floor = READABLE_LABEL_PX / LABEL_PX;
  if (c.zoom() >= floor) return;
  c.fit(part, FIT_PADDING);
  // more than a readable view holds (a "show all" of hundreds): all of it, labels or not, as before
  if (c.zoom() < floor) {
    c.fit(c.nodes(), FIT_PADDING);
    return;
  }
  c.zoom(Math.max(floor, Math.min(was, c.zoom())));
  c.center(part);
}

/**
 * Places nodes new to the graph beside the drawn node each hangs from, on the side away from the
 * graph's middle and out as far as their labels clear the drawn ones' (placeBeside); false when one hangs from no drawn node (then the caller lays out the whole graph).
 */
function placeFresh(c: Core, fresh: NodeCollection): boolean {
  // gathered in arrays, made collections once: a union per node copied the group each time (quadratic)
  const members = new Map<string, NodeSingular[]>();
  for (const n of fresh) {
    const anchor = n.neighborhood('node').filter((m) => !fresh.has(m)).first();
    if (anchor.empty()) return false;
    const list = members.get(anchor.id());
    if (list === undefined) members.set(anchor.id(), [n]);
    else list.push(n);
  }
  const groups = new Map([...members].map(([id, list]) => [id, c.collection(list as unknown as cytoscape.CollectionArgument) as NodeCollection]));
  const old = c.nodes().difference(fresh);
  const box = old.boundingBox({});
  const taken: Box[] = old.map((n) => n.boundingBox({ includeLabels: true, includeOverlays: false, includeUnderlays: false }));
  const mid = { x: (box.x1 + box.x2) / 2, y: (box.y1 + box.y2) / 2 };
  for (const [anchorId, group] of groups) {
    const at = c.getElementById(anchorId).position();
    const k = group.length;
    if (k > RING_MAX_NODES) {
      placeDisc(group, at, old);
      continue;
    }
    // beside their anchor on the far side, out as far as their labels clear every drawn one (hub-layout.ts)
    const out = Math.atan2(at.y - mid.y, at.x - mid.x);
    const items = group.map((n): RingItem => ({ id: n.id(), box: boxOf(n, true), body: boxOf(n, false), hops: 1, rank: rankOf(n.data('type') as string), key: n.data('label') as string }));
    items.sort((a, b) => a.rank - b.rank || a.key.localeCompare(b.key, 'en', { numeric: true }));
    const spots = placeBeside(at, out, items, taken);
    items.forEach((it, i) => {
      const n = c.getElementById(it.id);
      n.position(spots[i]!);
      taken.push(n.boundingBox({ includeLabels: true, includeOverlays: false, includeUnderlays: false }));
    });
  }
  return true;
}

/**
 * Many nodes around one anchor (a "show all" of hundreds): a band of sunflower rows just outside what is
 * drawn, each node given RING_SPACING² of room, instead of one ring. One ring of 2,000 ran 9,500 px out:
 * the view could not zoom out that far (minZoom), so an operator walk saw a knot of the first nodes and
 * spokes running off the screen; the band of the same nodes is some 850 px across and fits.
 */
function placeDisc(group: NodeCollection, at: { x: number; y: number }, old: NodeCollection): void {
  // clear of every node already drawn, which nothing moves
  let inner = 70;
  old.forEach((n) => {
    const p = n.position();
    inner = Math.max(inner, Math.hypot(p.x - at.x, p.y - at.y) + RING_SPACING);
  });
  const golden = Math.PI * (3 - Math.sqrt(5));
  group.forEach((n, i) => {
    // the area between the inner edge and radius r holds i nodes
    const r = Math.sqrt(inner * inner + (i * RING_SPACING * RING_SPACING) / Math.PI);
    const a = i * golden;
    n.position({ x: at.x + r * Math.cos(a), y: at.y + r * Math.sin(a) });
  });
}

/** How near the view's edge (px) a node reached by the keyboard may be before the view pans to it. */
const KEY_VIEW_MARGIN = 40;

/** Pans the view the least that brings `n` at least KEY_VIEW_MARGIN inside it. */
function panInto(c: Core, n: NodeSingular): void {
  const p = n.renderedPosition();
  const shift = (at: number, size: number) => (at < KEY_VIEW_MARGIN ? KEY_VIEW_MARGIN - at : at > size - KEY_VIEW_MARGIN ? size - KEY_VIEW_MARGIN - at : 0);
  const dx = shift(p.x, c.width());
  const dy = shift(p.y, c.height());
  if (dx !== 0 || dy !== 0) c.panBy({ x: dx, y: dy });
}

export function PivotGraph({ graph, flags, selected, onSelect, onExpand, onOpen, frame }: Props) {
  const box = frame;
  const cy = useRef<Core | null>(null);
  const placer = useRef<{ place(): void } | null>(null);
  const handlers = useRef({ onSelect, onExpand });
  handlers.current = { onSelect, onExpand };
  // the keyboard's current node (follows the selection, moved by the arrows) and whether its halo shows:
  // only once the keyboard is used on the graph, so a mouse operator sees the graph as before
  const current = useRef<string | null>(null);
  const keyboard = useRef(false);
  // the live region's sentence: the current node as the keys reach it
  const [said, setSaid] = useState('');
  // what is not drawn at this zoom and size, said under the graph (edge-labels.ts labelNote)
  const [note, setNote] = useState<string | null>(null);
  const sayLabels = (c: Core) => setNote(labelNote(c.zoom(), LABEL_PX, c.edges().length, EDGE_LABEL_MAX));

  useEffect(() => {
    // the default wheel sensitivity: a custom one logged a warning on every page load (it behaves differently across mice and touchpads)
    const c = cytoscape({ container: box.current, style: style(), minZoom: 0.2, maxZoom: 1.5 });
    c.on('tap', 'node', (e) => {
      keyboard.current = false;
      c.nodes('.current').removeClass('current');
      handlers.current.onSelect(e.target.id() as string);
    });
    c.on('dbltap', 'node', (e) => handlers.current.onExpand(e.target.id() as string));
    // a node dragged elsewhere: the labels it now covers, and its own edges', find clear spots again
    const labels = edgeLabelPlacer(c);
    placer.current = labels;
    c.on('dragfree', 'node', () => labels.place());
    c.on('zoom', () => sayLabels(c));
    c.on('tap', (e) => {
      if (e.target === c) handlers.current.onSelect(null);
    });
    cy.current = c;
    // Cytoscape resizes itself on the window's resize, debounced: until then a canvas drawn for a wider
    // window stuck out of a shrunk one (951 px at 420 px) and the page scrolled sideways. Its frame's own
    // size is followed at once, and what was in the middle of the view stays there (Cytoscape keeps the
    // top left corner: the pivot's entity ended up at the right edge).
    let size = { w: c.width(), h: c.height() };
    const follow = new ResizeObserver(() => {
      c.resize();
      const now = { w: c.width(), h: c.height() };
      if (size.w > 0 && size.h > 0) c.panBy({ x: (now.w - size.w) / 2, y: (now.h - size.h) / 2 });
      size = now;
    });
    if (box.current !== null) follow.observe(box.current);
    return () => {
      follow.disconnect();
      c.destroy();
      cy.current = null;
    };
  }, []);

  useEffect(() => {
    const c = cy.current;
    if (c === null) return;
    const want = elements(graph, flags);
    const drawn = c.nodes().length;
    c.nodes('.fresh').removeClass('fresh');
    // laid out only when elements came or went: the findings arriving later only restyle
    const { changed, removed, fresh } = syncElements(c, want);
    const labels = placer.current!;
    // said once the zoom below is settled (a zoom that changes nothing emits no event)
    if (changed) queueMicrotask(() => sayLabels(c));
    if (!changed || want.length === 0) return;
    // an expansion whose neighbours were all drawn adds edges only: they are drawn, and nothing moves
    if (drawn > 0 && !removed && fresh.empty()) {
      labels.place();
      return;
    }
    // past the line above, a graph that had nodes and lost none gained some: they hang off the drawn ones
    if (drawn === 0 || removed || !placeFresh(c, fresh)) {
      layoutWhole(c, graph.root);
      labels.place();
      return;
    }
    fresh.addClass('fresh');
    // what came in stays in view: zoom out to it when it landed outside
    const view = c.extent();
    const bb = fresh.boundingBox({});
    if (bb.x1 < view.x1 || bb.x2 > view.x2 || bb.y1 < view.y1 || bb.y2 > view.y2) showReadable(c, fresh.union(fresh.neighborhood('node')));
    // after the zoom: placed now if they can be read at it, else when the view zooms in to them
    labels.place();
  }, [graph, flags]);

  useEffect(() => {
    const c = cy.current;
    if (c === null) return;
    c.nodes().unselect();
    if (selected !== null) c.getElementById(selected).select();
    if (selected !== null && graph.nodes.has(selected)) current.current = selected;
    const n = showCurrent();
    // an expansion or a Space from the keyboard has landed: the node is said again, with its relations now
    if (n !== null && keyboard.current && document.activeElement === box.current) announce(n.id());
  }, [selected, graph]);

  /** The halo on the current node (a node gone from the graph gives way to the pivot's entity), while the keyboard is in use. */
  function showCurrent(): NodeSingular | null {
    const c = cy.current;
    if (c === null) return null;
    c.nodes('.current').removeClass('current');
    if (current.current === null || !graph.nodes.has(current.current)) current.current = selected !== null && graph.nodes.has(selected) ? selected : graph.root;
    const n = current.current === null ? c.collection() : c.getElementById(current.current);
    if (n.empty() || !n.isNode()) return null;
    if (keyboard.current) n.addClass('current');
    return n;
  }

  function relationsOf(id: string): number {
    let relations = 0;
    for (const e of graph.edges.values()) if (e.source === id || e.target === id) relations++;
    return relations;
  }

  function announce(id: string): void {
    const n = graph.nodes.get(id);
    if (n === undefined) return;
    setSaid(nodeAnnouncement({ id, type: n.type, relations: relationsOf(id), expanded: n.expanded, blocklisted: n.blocklist.length > 0, flagged: flags.has(id), selected: id === selected }));
  }

  /** The keys' current node becomes `id`: haloed, in view, and said. */
  function moveTo(c: Core, id: string): void {
    current.current = id;
    const reached = showCurrent();
    if (reached !== null) panInto(c, reached);
    announce(id);
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    const c = cy.current;
    const action = graphKeyAction(e);
    if (c === null || action === null) return;
    e.preventDefault();
    keyboard.current = true;
    const n = showCurrent();
    if (n === null) return;
    const id = n.id();
    if ('move' in action) {
      const nodes = c.nodes().map((m) => ({ id: m.id(), ...m.renderedPosition() }));
      const next = nearestInDirection({ id, ...n.renderedPosition() }, nodes, action.move);
      if (next === null) {
        setSaid(noNodeThatWay(action.move));
        return;
      }
      moveTo(c, next);
    } else if (action.do === 'home') {
      if (graph.root !== null) moveTo(c, graph.root);
    } else if (action.do === 'open') onOpen(id);
    else if (action.do === 'open-stay') {
      // the panel shows it already: no selection changes, so nothing else would be said
      const n = graph.nodes.get(id);
      if (id === selected && n !== undefined) setSaid(alreadyShown({ id, type: n.type, relations: relationsOf(id), expanded: n.expanded }));
      else onSelect(id);
    }
    else onExpand(id);
  }

  return (
    <>
      <div
        ref={box}
        className="pivot-graph"
        role="application"
        tabIndex={0}
        aria-label={graphLabel(graph.nodes.size)}
        onKeyDown={onKeyDown}
        onFocus={(e) => {
          // a Tab into the graph (not a click on it) shows where the keys start, and says it
          if (e.target !== e.currentTarget || !e.currentTarget.matches(':focus-visible')) return;
          keyboard.current = true;
          const n = showCurrent();
          if (n !== null) announce(n.id());
        }}
        onBlur={() => {
          keyboard.current = false;
          cy.current?.nodes('.current').removeClass('current');
        }}
      />
      {note !== null && (
        <p className="faint pivot-graph-note" role="note">
          {note}
        </p>
      )}
      <p className="sr-only pivot-graph-said" role="status" aria-live="polite">
        {said}
      </p>
    </>
  );
}
