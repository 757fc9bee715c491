/**
 * Investigate with a busy address (a played /api/pivot of 40 neighbours, as a demo workstation gives):
 * the graph is laid out around the pivot's entity so that every label can be read. An operator walk saw
 * the force-directed layout pile labels on each other around the hub (11 overlapping pairs at 38 nodes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi, untilInPage } from './browser.js';
import { openPlayedPivot, pivotAnswer, pivotGroup } from './pivot-answer.js';
import { placeBeside, type Box, type RingItem } from '../../../web/src/pages/investigate/hub-layout.js';
import { BoxGrid, edgeLabelBox, edgeLabelSpot, type EdgeLabelAsk, type LabelObstacles } from '../../../web/src/pages/investigate/edge-labels.js';

const skip = skipReason();
const problems: string[] = [];
const NOW = Date.now();
const HUB = 'ip:10.0.2.10';

const domains = ['www.google.com', 'api.google.com', 'mail.google.com', 'cdn.google.com', 'login.google.com', 'static.google.com', 'update.google.com', 'app.google.com', 'files.google.com', 'srv-app-01.corp.example.com', 'srv-app-03.corp.example.com', 'srv-db-01.corp.example.com', 'srv-db-02.corp.example.com', 'srv-bastion-01.corp.example.com', 'ad-01.corp.example.com'];
const ips = Array.from({ length: 20 }, (_, i) => `${[13, 35, 104, 146, 178, 188, 212][i % 7]}.${(i * 37) % 250}.${(i * 91) % 250}.${100 + i}`);

const PIVOT = pivotAnswer(HUB, [
  pivotGroup('query', 'out', domains.map((d) => `domain:${d}`), NOW),
  pivotGroup('flow', 'out', ips.slice(0, 14).map((ip) => `ip:${ip}`), NOW),
  pivotGroup('blocked', 'out', ips.slice(14).map((ip) => `ip:${ip}`), NOW),
  pivotGroup('alert', 'out', ['sig:Eicar File Detected(39040)', 'sig:ET SCAN Nmap Scripting Engine'], NOW),
  pivotGroup('login', 'out', ['user:alice', 'user:corp\\alice'], NOW),
  pivotGroup('lease', 'out', ['mac:f8:ff:c2:1e:6d:55'], NOW),
]);

/** Any other entity expands to a dozen names of its own, and the hub. */
const expansionOf = (entity: string) =>
  pivotAnswer(entity, [pivotGroup('resolve', 'out', Array.from({ length: 12 }, (_, i) => `domain:host-${i}.${entity.replace(/\W/g, '')}.example.net`), NOW), pivotGroup('flow', 'in', [HUB], NOW)]);

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

interface Measured {
  nodes: number;
  labelPx: number;
  /** pairs of node labels that overlap, by label */
  labelPairs: string[];
  /** a label over another node's shape */
  labelOnNode: string[];
  /** labels not wholly inside the view */
  outside: number;
  /** the pivot's entity's distance from the middle of the view, px */
  hubOff: number;
  /** edges from the pivot's entity that run through another node's shape */
  throughNodes: string[];
  /** an edge's relation label over a node's shape (its own ends' included) */
  edgeLabelOnNode: string[];
  /** the zoom, and the zoom under which Cytoscape hides labels (min-zoomed-font-size over font-size) */
  zoom: number;
  hideZoom: number;
  /** the drawn graph's box (nodes, edges and labels) against the view, px */
  graphBox: { x1: number; y1: number; x2: number; y2: number };
  view: { w: number; h: number };
}

// Cytoscape keeps its instance on the container (`_cyreg`); boxes are rendered (screen) px
const MEASURE = `(() => {
  const cy = document.querySelector('.pivot-graph')._cyreg.cy;
  const over = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  const nodes = cy.nodes().toArray();
  const label = nodes.map((n) => n.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false }));
  const body = nodes.map((n) => n.renderedBoundingBox({ includeNodes: true, includeLabels: false, includeOverlays: false }));
  const name = (i) => nodes[i].data('label');
  const labelPairs = [], labelOnNode = [], throughNodes = [];
  for (let i = 0; i < nodes.length; i++) for (let j = 0; j < nodes.length; j++) {
    if (i < j && over(label[i], label[j])) labelPairs.push(name(i) + ' / ' + name(j));
    if (i !== j && over(label[i], body[j])) labelOnNode.push(name(i) + ' on ' + name(j));
  }
  // every label an edge draws (main, source, target), as Cytoscape bounds it, against every node's shape
  const edgeLabelOnNode = [];
  for (const e of cy.edges().toArray()) {
    const b = e.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false, includeUnderlays: false });
    if (!(b.w > 0)) continue;
    for (let j = 0; j < nodes.length; j++) if (over(b, body[j])) edgeLabelOnNode.push(e.data('relation') + ' (' + e.source().data('label') + ' → ' + e.target().data('label') + ') on ' + name(j));
  }
  const hub = cy.getElementById(${JSON.stringify(HUB)});
  const h = hub.renderedPosition();
  // a straight edge from the hub through a node's shape (its middle third, so the ends' own nodes do not count)
  for (const e of hub.connectedEdges().toArray()) {
    const other = e.source().same(hub) ? e.target() : e.source();
    const p = other.renderedPosition();
    for (let j = 0; j < nodes.length; j++) {
      if (nodes[j].same(hub) || nodes[j].same(other)) continue;
      const b = body[j];
      for (let t = 0.02; t < 1; t += 0.02) {
        const x = h.x + (p.x - h.x) * t, y = h.y + (p.y - h.y) * t;
        if (x > b.x1 + 2 && x < b.x2 - 2 && y > b.y1 + 2 && y < b.y2 - 2) { throughNodes.push(other.data('label') + ' through ' + name(j)); break; }
      }
    }
  }
  const W = cy.width(), H = cy.height();
  return {
    nodes: nodes.length,
    labelPx: parseFloat(nodes[0].style('font-size')) * cy.zoom(),
    labelPairs, labelOnNode, throughNodes, edgeLabelOnNode,
    zoom: cy.zoom(), hideZoom: parseFloat(nodes[0].style('min-zoomed-font-size')) / parseFloat(nodes[0].style('font-size')),
    graphBox: cy.elements().renderedBoundingBox({ includeOverlays: false, includeUnderlays: false }), view: { w: cy.width(), h: cy.height() },
    outside: label.filter((b) => b.x1 < 0 || b.y1 < 0 || b.x2 > W || b.y2 > H).length,
    hubOff: Math.hypot(h.x - W / 2, h.y - H / 2),
  };
})()`;

test('a 40-node pivot: no label overlaps another label or node, the whole graph in view with labels at 8 px or more, the hub in the middle of the view', { skip }, async (t) => {
  const page = ui.page;
  await openPlayedPivot(page, HUB, NOW, (url) => (url.searchParams.get('entity') === HUB ? PIVOT : expansionOf(url.searchParams.get('entity') ?? '')));
  await page.locator('section[aria-label="Relation graph"] .panel-head').filter({ hasText: '41 entities · 40 relations' }).waitFor();
  const m = await page.evaluate<Measured>(MEASURE);
  await page.screenshot({ path: join(ARTIFACTS, 'investigate-40-nodes.png') });
  assert.equal(m.nodes, 41);
  assert.deepEqual(m.labelPairs, [], 'no two labels overlap');
  assert.deepEqual(m.labelOnNode, [], 'no label lies on another node');
  assert.ok(m.labelPx >= 8, `labels are drawn at ${m.labelPx.toFixed(1)} px`);
  // an edge's relation next to the hub was drawn on the hub (a spoke shorter than the label's offset)
  assert.deepEqual(m.edgeLabelOnNode, [], 'no edge label lies on a node');
  // the layout turns its rings to keep edges from the hub off other nodes, but cannot always: said, not asserted
  t.diagnostic(`edges from the hub through another node: ${m.throughNodes.length} (${m.throughNodes.join('; ')})`);
  assert.ok(m.hubOff < 60, `the pivot's entity is in the middle of the view (${m.hubOff.toFixed(0)} px off)`);
  // at 10 px, 40 long labels were a little wider than the view and one was cut: the first fit goes down to 8 px to show them all
  assert.equal(m.outside, 0, 'every label is wholly in view at 1280 × 860');
  t.diagnostic(`labels drawn at ${m.labelPx.toFixed(1)} px`);
});

test('the graph follows its frame at once when the window shrinks: nothing wider than the window, the graph drawn for its new width, its middle kept', { skip }, async () => {
  const page = ui.page;
  await page.locator('section[aria-label="Relation graph"] .panel-head').filter({ hasText: '41 entities' }).waitFor();
  try {
    // a tablet turned, or a window dragged narrow: no reload; Cytoscape's own resize waits for its debounce
    await page.setViewportSize({ width: 420, height: 900 });
    await untilInPage(page, 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))');
    const m = await page.evaluate<{ doc: number; win: number; box: number; drawn: number; canvas: number; hubOff: number }>(`(() => {
      const box = document.querySelector('.pivot-graph');
      const canvas = Math.max(...[...box.querySelectorAll('canvas')].map((c) => c.getBoundingClientRect().right));
      const cy = box._cyreg.cy;
      const h = cy.getElementById(${JSON.stringify(HUB)}).renderedPosition();
      return { doc: document.documentElement.scrollWidth, win: innerWidth, box: box.clientWidth, drawn: cy.width(), canvas, hubOff: Math.hypot(h.x - cy.width() / 2, h.y - cy.height() / 2) };
    })()`);
    await page.screenshot({ path: join(ARTIFACTS, 'investigate-shrunk-420.png') });
    assert.ok(m.doc <= m.win, `the document is ${m.doc} px wide in a ${m.win} px window`);
    assert.equal(m.drawn, m.box, `the graph is drawn ${m.drawn} px wide in a ${m.box} px frame`);
    assert.ok(m.canvas <= m.win + 1, `its canvas reaches ${Math.round(m.canvas)} px in a ${m.win} px window`);
    // what was in the middle of the view stays there
    assert.ok(m.hubOff < 60, `the pivot's entity is ${m.hubOff.toFixed(0)} px off the middle of the view`);
  } finally {
    await page.setViewportSize({ width: 1280, height: 860 });
  }
});

test('placeBeside: new nodes in a column on the side they face, moved out until their boxes clear what is drawn and each other', () => {
  const box: Box = { x1: -60, y1: -8, x2: 60, y2: 14 };
  const items: RingItem[] = Array.from({ length: 6 }, (_, i) => ({ id: `n${i}`, box, body: { x1: -8, y1: -8, x2: 8, y2: 8 }, hops: 1, rank: 0, key: `n${i}` }));
  const boxes = (at: { x: number; y: number }[]) => at.map((p) => ({ x1: p.x + box.x1, y1: p.y + box.y1, x2: p.x + box.x2, y2: p.y + box.y2 }));
  const over = (a: Box, b: Box) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  const clear = (at: { x: number; y: number }[], taken: Box[]) => boxes(at).every((b, i, all) => taken.every((t) => !over(b, t)) && all.every((o, j) => j === i || !over(b, o)));
  // nothing in the way: one column just right of the anchor (out = 0), one row each, a row's height apart
  const free = placeBeside({ x: 0, y: 0 }, 0, items, []);
  assert.equal(free.length, 6);
  assert.ok(boxes(free).every((b) => b.x1 >= 70), JSON.stringify(free));
  assert.equal(new Set(free.map((p) => Math.round(p.x))).size, 1, 'one column');
  assert.ok(clear(free, []));
  assert.ok(Math.max(...free.map((p) => p.y)) - Math.min(...free.map((p) => p.y)) < 6 * 30, 'rows a label high, not a label wide');
  // facing left: the column is on the left
  assert.ok(boxes(placeBeside({ x: 0, y: 0 }, Math.PI, items, [])).every((b) => b.x2 <= -70));
  // labels drawn where the column would go: it moves out past them, clear of them
  const wall: Box[] = Array.from({ length: 9 }, (_, i) => ({ x1: 60, y1: -200 + i * 45, x2: 260, y2: -180 + i * 45 }));
  const past = placeBeside({ x: 0, y: 0 }, 0, items, wall);
  assert.ok(clear(past, wall), JSON.stringify(past));
  assert.ok(Math.min(...past.map((p) => p.x + box.x1)) < 400, 'not far past the wall');
  // 20 nodes: two columns
  const many = placeBeside({ x: 0, y: 0 }, 0, Array.from({ length: 20 }, (_, i) => ({ ...items[0]!, id: `m${i}`, key: `m${i}` })), []);
  assert.equal(new Set(many.map((p) => Math.round(p.x))).size, 2);
  // one node: straight out when it can be
  assert.deepEqual(placeBeside({ x: 10, y: 10 }, Math.PI / 2, items.slice(0, 1), []).map((p) => [Math.round(p.x), Math.round(p.y)]), [[10, 80]]);
  assert.deepEqual(placeBeside({ x: 0, y: 0 }, 0, [], wall), []);
});

/** What a label keeps clear of, filed in grids as PivotGraph.tsx files them. */
const around = (bodies: Box[], nodeLabels: Box[] = [], edgeLabels: Box[] = []): LabelObstacles => ({ bodies: new BoxGrid(bodies), nodeLabels: new BoxGrid(nodeLabels), edgeLabels: new BoxGrid(edgeLabels) });

test('edgeLabelSpot: the preferred spot when clear; along the edge, then beside it, past a shape; clear of node labels before edge labels; null when no spot clears the shapes', () => {
  const over = (a: Box, b: Box) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  // a spoke from the hub (a 24-unit shape at 0, 0) out to a node at 100, 0: its ends on the shapes' borders
  const hub: Box = { x1: -12, y1: -12, x2: 12, y2: 12 };
  const far: Box = { x1: 91, y1: -9, x2: 109, y2: 9 };
  const ask: EdgeLabelAsk = { near: { x: 12, y: 0 }, far: { x: 91, y: 0 }, w: 20, h: 8, prefer: 40 };
  assert.deepEqual(edgeLabelSpot(ask, around([hub, far], [])), { x: 51, y: 0 });
  // a spoke shorter than the preferred offset (a first ring at 50): the label was drawn on the hub; now between the two, clear of both
  const short: EdgeLabelAsk = { near: { x: 12, y: 0 }, far: { x: 41, y: 0 }, w: 20, h: 8, prefer: 40 };
  const ring: Box = { x1: 41, y1: -9, x2: 59, y2: 9 };
  const s = edgeLabelSpot(short, around([hub, ring], []))!;
  assert.ok(s !== null);
  assert.ok(!over(edgeLabelBox(short, s), hub) && !over(edgeLabelBox(short, s), ring), JSON.stringify(s));
  // a diagonal spoke: the label's upright box is what must clear the shapes
  const diag: EdgeLabelAsk = { near: { x: 9, y: 9 }, far: { x: 36, y: 36 }, w: 24, h: 8, prefer: 40 };
  const d = edgeLabelSpot(diag, around([hub, { x1: 36, y1: 36, x2: 54, y2: 54 }], []))!;
  assert.ok(!over(edgeLabelBox(diag, d), hub) && !over(edgeLabelBox(diag, d), { x1: 36, y1: 36, x2: 54, y2: 54 }), JSON.stringify(d));
  assert.notEqual(d.x, d.y, 'too short for its label: moved off the edge, beside it');
  // another node's shape on the edge at the preferred spot: the label moves along, off it
  const onIt: Box = { x1: 42, y1: -9, x2: 60, y2: 9 };
  const past = edgeLabelSpot(ask, around([hub, far, onIt], []))!;
  assert.ok(!over(edgeLabelBox(ask, past), onIt), JSON.stringify(past));
  // a node's label there instead: avoided too when a spot clears it
  const pastLabel = edgeLabelSpot(ask, around([hub, far], [onIt]))!;
  assert.ok(!over(edgeLabelBox(ask, pastLabel), onIt), JSON.stringify(pastLabel));
  // a node's label on every spot clear of the edge labels placed, and those on every spot clear of it: the node's label is kept
  // clear (a short spoke's label sat under the hub's name, the first spot clear of the shapes)
  const name: Box = { x1: 40, y1: -40, x2: 70, y2: 40 };
  const placed: Box[] = [{ x1: -20, y1: -40, x2: 40, y2: 40 }, { x1: 70, y1: -40, x2: 130, y2: 40 }];
  const offName = edgeLabelSpot(ask, around([hub, far], [name], placed))!;
  assert.ok(offName !== null && !over(edgeLabelBox(ask, offName), name), JSON.stringify(offName));
  assert.ok(!over(edgeLabelBox(ask, offName), hub) && !over(edgeLabelBox(ask, offName), far), 'and clear of the shapes');
  // the grid finds a box in any cell it spans, far from the origin and across it
  const grid = new BoxGrid([{ x1: -500, y1: 900, x2: -300, y2: 1200 }]);
  assert.equal(grid.hits({ x1: -310, y1: 1190, x2: -305, y2: 1195 }), true);
  assert.equal(grid.hits({ x1: -299, y1: 1190, x2: -290, y2: 1195 }), false);
  // shapes everywhere it could go: null, and the label stays where Cytoscape draws it
  assert.equal(edgeLabelSpot(ask, around([{ x1: -100, y1: -100, x2: 200, y2: 100 }], [])), null);
});

test('expanding a node on the ring: its dozen new neighbours land where no label overlaps another label or node', { skip }, async () => {
  const page = ui.page;
  const head = page.locator('section[aria-label="Relation graph"] .panel-head');
  await head.filter({ hasText: '41 entities' }).waitFor();
  const target = `ip:${ips[3]}`;
  // a double-tap on the node, as an operator's (Cytoscape's own event, so the page's handler runs)
  // `void`: emit answers the element, which Playwright would copy out of the page with the whole Cytoscape instance
  await page.evaluate(`void document.querySelector('.pivot-graph')._cyreg.cy.getElementById(${JSON.stringify(target)}).emit('dbltap')`);
  await head.filter({ hasText: '53 entities' }).waitFor();
  const m = await page.evaluate<Measured>(MEASURE);
  await page.screenshot({ path: join(ARTIFACTS, 'investigate-expanded-ring-node.png') });
  assert.equal(m.nodes, 53);
  assert.deepEqual(m.labelPairs, [], 'no two labels overlap after the expansion');
  assert.deepEqual(m.labelOnNode, [], 'no label lies on a node after the expansion');
  assert.deepEqual(m.edgeLabelOnNode, [], 'no edge label lies on a node after the expansion');
  // still readable: the view shows what came in, but zooms out no further than labels can be read
  assert.ok(m.labelPx >= 9.9, `labels drawn at ${m.labelPx.toFixed(1)} px`);
  const inView = await page.evaluate<number>(`(() => {
    const cy = document.querySelector('.pivot-graph')._cyreg.cy, W = cy.width(), H = cy.height();
    return cy.nodes('.fresh').filter((n) => { const p = n.renderedPosition(); return p.x >= 0 && p.y >= 0 && p.x <= W && p.y <= H; }).length;
  })()`);
  assert.equal(inView, 12, 'every new node is in view');
});

test('at 768 px wide the first graph fits its frame whole, its labels drawn (not under the zoom that hides them) and clear of each other and of nodes', { skip }, async (t) => {
  const page = ui.page;
  try {
    // a tablet held upright opens the pivot: the first drawing, not a window shrunk after it
    await page.setViewportSize({ width: 768, height: 800 });
    await page.reload();
    await page.locator('section[aria-label="Relation graph"] .panel-head').filter({ hasText: '41 entities · 40 relations' }).waitFor();
    await untilInPage(page, 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))');
    const m = await page.evaluate<Measured>(MEASURE);
    await page.screenshot({ path: join(ARTIFACTS, 'investigate-40-nodes-768.png') });
    const g = m.graphBox;
    t.diagnostic(`labels drawn at ${m.labelPx.toFixed(1)} px (zoom ${m.zoom.toFixed(2)}, labels hide under ${m.hideZoom.toFixed(2)})`);
    assert.ok(g.x1 >= 0 && g.y1 >= 0 && g.x2 <= m.view.w && g.y2 <= m.view.h, `the graph spans ${Math.round(g.x1)}…${Math.round(g.x2)} × ${Math.round(g.y1)}…${Math.round(g.y2)} px in a ${m.view.w} × ${m.view.h} px frame`);
    assert.equal(m.outside, 0, 'every node label is wholly in view');
    assert.ok(m.zoom >= m.hideZoom, `zoom ${m.zoom.toFixed(2)} is not under ${m.hideZoom.toFixed(2)}, where labels hide`);
    assert.ok(m.labelPx >= 8, `labels are drawn at ${m.labelPx.toFixed(1)} px`);
    assert.deepEqual(m.labelPairs, [], 'no two labels overlap');
    assert.deepEqual(m.labelOnNode, [], 'no label lies on another node');
    assert.deepEqual(m.edgeLabelOnNode.length, 0, 'no edge label lies on a node: ' + m.edgeLabelOnNode.join('; '));
  } finally {
    await page.setViewportSize({ width: 1280, height: 860 });
  }
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});
