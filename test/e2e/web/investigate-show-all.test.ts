/**
 * Investigate's "show all" of hundreds of neighbours (a played /api/pivot, as the demo's workstation gives
 * after half an hour: 2,000 and more): what comes in is drawn in view, on no other node, and what was
 * drawn stays where it was. An operator walk saw one ring of 2,000 run 9,500 px out, past the farthest the
 * view zooms out: a knot of the first nodes and spokes running off the screen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi } from './browser.js';
import { openPlayedPivot, pivotAnswer, pivotGroup } from './pivot-answer.js';

const skip = skipReason();
const problems: string[] = [];
const NOW = Date.now();
const HUB = 'ip:10.0.2.10';
const MANY = 800;
const flows = Array.from({ length: MANY }, (_, i) => `ip:198.${18 + (i >> 8)}.${i & 255}.7`);

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

interface Placed {
  nodes: number;
  /** nodes whose shape is not wholly inside the view */
  outside: number;
  /** pairs of nodes whose shapes (taken as round) overlap */
  overlapping: number;
  positions: Record<string, { x: number; y: number }>;
}

// Cytoscape keeps its instance on the container (`_cyreg`); a string: this project's test code has no DOM types
const PLACED = `(() => {
  const cy = document.querySelector('.pivot-graph')._cyreg.cy;
  const W = cy.width(), H = cy.height();
  const nodes = cy.nodes().toArray();
  const body = nodes.map((n) => n.boundingBox({ includeLabels: false, includeOverlays: false }));
  const seen = nodes.map((n) => n.renderedBoundingBox({ includeLabels: false, includeOverlays: false }));
  let overlapping = 0;
  // a grid of cells, each pair tested once: 800 nodes by 800 is too many comparisons for a page
  const cell = 40, grid = new Map();
  body.forEach((b, i) => { const k = Math.floor(b.x1 / cell) + ',' + Math.floor(b.y1 / cell); grid.set(k, [...(grid.get(k) ?? []), i]); });
  body.forEach((a, i) => {
    const cx = Math.floor(a.x1 / cell), cy2 = Math.floor(a.y1 / cell);
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) for (const j of grid.get((cx + dx) + ',' + (cy2 + dy)) ?? []) {
      const b = body[j];
      // shapes about round: closer than their half-widths together
      const d = Math.hypot((a.x1 + a.x2 - b.x1 - b.x2) / 2, (a.y1 + a.y2 - b.y1 - b.y2) / 2);
      if (j > i && d < (a.x2 - a.x1 + b.x2 - b.x1) / 2) overlapping++;
    }
  });
  const positions = {};
  for (const n of nodes) positions[n.id()] = { ...n.position() };
  return { nodes: nodes.length, outside: seen.filter((b) => b.x1 < 0 || b.y1 < 0 || b.x2 > W || b.y2 > H).length, overlapping, positions };
})()`;

test(`"show all" of ${MANY} neighbours draws them all in view, on no other node, and moves none of those drawn`, { skip }, async () => {
  const page = ui.page;
  await openPlayedPivot(page, HUB, NOW, (url) => {
    const limit = Number(url.searchParams.get('limit'));
    return pivotAnswer(HUB, [{ ...pivotGroup('flow', 'out', flows.slice(0, limit), NOW), total: MANY }]);
  });
  const head = page.locator('section[aria-label="Relation graph"] .panel-head');
  await head.filter({ hasText: '16 entities · 15 relations' }).waitFor();
  const before = await page.evaluate<Placed>(PLACED);
  await page.getByRole('button', { name: `Show all ${MANY - 15}` }).click();
  await head.filter({ hasText: `${MANY + 1} entities` }).waitFor();
  const after = await page.evaluate<Placed>(PLACED);
  await page.screenshot({ path: join(ARTIFACTS, 'investigate-show-all.png') });
  assert.equal(after.nodes, MANY + 1);
  assert.equal(after.outside, 0, `${after.outside} nodes drawn outside the view`);
  assert.equal(after.overlapping, 0, `${after.overlapping} pairs of nodes on each other`);
  for (const [id, p] of Object.entries(before.positions)) assert.deepEqual(after.positions[id], p, `${id} stays where it was`);
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});
