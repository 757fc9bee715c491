/**
 * Investigate: each edge's relation label clear of the nodes' own labels, and placed on big graphs too.
 * A short spoke's label sat on the name of the node at its end ('login' over "alice", a pivot of one
 * neighbour): placement kept the nodes' shapes clear but gave their labels up as readily as another edge's.
 * Past 400 edges no label was placed at all (each edge's search read every box drawn), and at 408 edges
 * of two hosts expanded to the same 199 names the labels left in the middle lay on 100+ nodes; the search now
 * reads a grid, so a graph of up to 2,000 edges gets its labels placed too. Each expansion here took ~12 s,
 * nearly all of it Playwright copying the element that `emit` answers out of the page (a CDP profile,
 * 2026-12-07): the evaluate now answers nothing.
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

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

/** Each edge label (as Cytoscape bounds it) over a node's label or shape, named. */
const COVERED = `(() => {
  const cy = document.querySelector('.pivot-graph')._cyreg.cy;
  const over = (a, b) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  const nodes = cy.nodes().toArray();
  const label = nodes.map((n) => n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false }));
  const body = nodes.map((n) => n.boundingBox({ includeNodes: true, includeLabels: false, includeOverlays: false }));
  const onLabel = [], onNode = [];
  for (const e of cy.edges().toArray()) {
    const b = e.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false, includeUnderlays: false });
    if (!(b.w > 0)) continue;
    const name = e.data('relation') + ' (' + e.source().data('label') + ' → ' + e.target().data('label') + ')';
    for (let j = 0; j < nodes.length; j++) {
      if (over(b, label[j])) onLabel.push(name + ' on the label of ' + nodes[j].data('label'));
      if (over(b, body[j])) onNode.push(name + ' on ' + nodes[j].data('label'));
    }
  }
  return { onLabel, onNode, edges: cy.edges().length };
})()`;

/** The hub with `users` logins and `flows` flows. */
function pivotOf(users: number, flows: number) {
  const groups = [pivotGroup('login', 'out', ['user:alice', 'user:bob'].slice(0, users), NOW), pivotGroup('flow', 'out', Array.from({ length: flows }, (_, i) => `ip:198.51.${Math.floor(i / 250)}.${(i % 250) + 1}`), NOW)];
  return pivotAnswer(HUB, groups.filter((g) => g.total > 0));
}

async function open(users: number, flows: number): Promise<{ onLabel: string[]; onNode: string[]; edges: number }> {
  const page = ui.page;
  await page.unrouteAll();
  await openPlayedPivot(page, HUB, NOW, () => pivotOf(users, flows));
  await page.locator('section[aria-label="Relation graph"] .panel-head').filter({ hasText: `${users + flows + 1} entities` }).waitFor();
  return page.evaluate(COVERED);
}

// a pivot of one: its one spoke shorter than "login" and the labels at its ends; two and fourteen: the same beside others
for (const [users, flows] of [[1, 0], [2, 0], [2, 12]] as const) {
  test(`a pivot of ${users + flows}: no edge label lies on a node's label or shape`, { skip }, async () => {
    const m = await open(users, flows);
    await ui.page.screenshot({ path: join(ARTIFACTS, `investigate-edge-labels-${users + flows}.png`) });
    assert.deepEqual(m.onLabel, [], "no edge label on a node's label");
    assert.deepEqual(m.onNode, [], "no edge label on a node's shape");
  });
}

const HOSTS = Array.from({ length: 10 }, (_, i) => `ip:10.0.3.${i + 1}`);
const DOMAINS = Array.from({ length: 199 }, (_, i) => `domain:cdn-${i + 1}.example.net`);
/** The hub's flows to 10 hosts; each host, expanded, queries the same 199 names. */
const expandedAnswer = (url: URL) => {
  const entity = url.searchParams.get('entity') ?? '';
  return entity === HUB ? pivotAnswer(HUB, [pivotGroup('flow', 'out', HOSTS, NOW)]) : pivotAnswer(entity, [pivotGroup('query', 'out', DOMAINS, NOW), pivotGroup('flow', 'in', [HUB], NOW)]);
};

test('past the old limit of 400 edges (two hosts expanded: 408) the labels are placed: none on a node\'s shape; placing them is timed', { skip }, async (t) => {
  const page = ui.page;
  await page.unrouteAll();
  await openPlayedPivot(page, HUB, NOW, expandedAnswer);
  const head = page.locator('section[aria-label="Relation graph"] .panel-head');
  await head.filter({ hasText: `${HOSTS.length + 1} entities` }).waitFor();
  const expand = async (host: string, relations: number) => {
    // `void`: emit answers the element, and Playwright copied it, Cytoscape instance and all, out of the page (~12 s of each expansion)
    await page.evaluate(`void document.querySelector('.pivot-graph')._cyreg.cy.getElementById(${JSON.stringify(host)}).emit('dbltap')`);
    await head.filter({ hasText: ` ${relations.toLocaleString('en-US')} relations` }).waitFor();
  };
  const steps: number[] = [];
  for (let i = 0; i < 2; i++) {
    const t0 = Date.now();
    await expand(HOSTS[i]!, HOSTS.length + (i + 1) * DOMAINS.length);
    steps.push(Date.now() - t0);
  }
  t.diagnostic(`each expansion took ${steps.join(', ')} ms`);
  // a drag's end places them again: timed in the page, best of three (not asserted: the machine is shared)
  const ms = await page.evaluate<number>(`(() => {
    const cy = document.querySelector('.pivot-graph')._cyreg.cy;
    const hub = cy.getElementById(${JSON.stringify(HUB)});
    let best = Infinity;
    for (let i = 0; i < 3; i++) { const t = performance.now(); hub.emit('dragfree'); best = Math.min(best, performance.now() - t); }
    return best;
  })()`);
  const at408 = await page.evaluate<{ onLabel: string[]; onNode: string[]; edges: number }>(COVERED);
  await page.screenshot({ path: join(ARTIFACTS, 'investigate-edge-labels-408.png') });
  assert.equal(at408.edges, 408);
  t.diagnostic(`408 edges: ${at408.onNode.length} edge labels on a node's shape, ${at408.onLabel.length} on a node's label; placing them took ${ms.toFixed(0)} ms`);
  assert.deepEqual(at408.onNode.slice(0, 5), [], "no edge label on a node's shape at 408 edges");
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});
