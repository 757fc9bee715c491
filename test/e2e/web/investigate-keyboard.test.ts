/**
 * Investigate's graph from the keyboard (an operator without a mouse, or with a screen reader): Tab
 * reaches the graph, which says what it is and which keys work; the arrows move a highlighted current
 * node to the nearest node that way, and a live region names it; Enter opens its panel and moves the
 * focus there, Escape gives it back to the graph; E expands it. A click does what it did. The pure
 * "nearest node in a direction" rule (graph-keys.ts) is tested here too, without a browser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, skipReason, loggedInUi, until, untilInPage } from './browser.js';
import { openPlayedPivot, pivotAnswer, pivotGroup } from './pivot-answer.js';
import { alreadyShown, graphKeyAction, nearestInDirection, nodeAnnouncement, type Placed } from '../../../web/src/pages/investigate/graph-keys.js';

test('nearestInDirection: the nearest node within 45° of the direction, across counting twice; else any on that side; else none', () => {
  const at: Placed = { id: 'a', x: 0, y: 0 };
  const nodes: Placed[] = [at, { id: 'right-far', x: 100, y: 0 }, { id: 'right-near-off', x: 40, y: 30 }, { id: 'up', x: 0, y: -50 }, { id: 'down-left', x: -60, y: 70 }];
  // 40 + 2·30 = 100 ties 100 + 0: the lower id wins the tie
  assert.equal(nearestInDirection(at, nodes, 'right'), 'right-far');
  // screen axes: up is y decreasing
  assert.equal(nearestInDirection(at, nodes, 'up'), 'up');
  assert.equal(nearestInDirection(at, nodes, 'down'), 'down-left');
  // nothing within 45° to the left: the node on the left side, off the axis, is still reached
  assert.equal(nearestInDirection(at, nodes, 'left'), 'down-left');
  // a nearer node across the axis loses to one on it
  assert.equal(nearestInDirection(at, [at, { id: 'b', x: 50, y: 45 }, { id: 'c', x: 90, y: 0 }], 'right'), 'c');
  // within the cone beats off the cone, even when nearer
  assert.equal(nearestInDirection(at, [at, { id: 'off', x: 10, y: 20 }, { id: 'in', x: 200, y: 10 }], 'right'), 'in');
  // nothing that way (a node level with it is not "to the right" when it is at the same x)
  assert.equal(nearestInDirection(at, [at, { id: 'same-x', x: 0, y: 80 }, { id: 'left', x: -5, y: 0 }], 'right'), null);
  assert.equal(nearestInDirection(at, [at], 'down'), null);
});

test('graphKeyAction: arrows move, Enter opens, Space opens and stays, E and + expand, Home goes back; Tab and shortcuts are left alone', () => {
  assert.deepEqual(graphKeyAction({ key: 'ArrowLeft' }), { move: 'left' });
  assert.deepEqual(graphKeyAction({ key: 'ArrowDown' }), { move: 'down' });
  assert.deepEqual(graphKeyAction({ key: 'Enter' }), { do: 'open' });
  assert.deepEqual(graphKeyAction({ key: ' ' }), { do: 'open-stay' });
  assert.deepEqual(graphKeyAction({ key: 'E' }), { do: 'expand' });
  assert.deepEqual(graphKeyAction({ key: '+' }), { do: 'expand' });
  assert.deepEqual(graphKeyAction({ key: 'Home' }), { do: 'home' });
  assert.equal(graphKeyAction({ key: 'Tab' }), null);
  assert.equal(graphKeyAction({ key: 'ArrowLeft', altKey: true }), null, 'Alt+Left is the browser going back');
  assert.equal(graphKeyAction({ key: 'e', ctrlKey: true }), null);
});

test('alreadyShown: Space on the node the panel shows says so, its kind, name and relations, and how to expand it', () => {
  assert.equal(alreadyShown({ id: 'ip:10.0.2.10', type: 'ip', relations: 10, expanded: true }), 'already shown in the panel: address 10.0.2.10, 10 relations, expanded');
  assert.equal(alreadyShown({ id: 'user:alice', type: 'user', relations: 1, expanded: false }), 'already shown in the panel: user alice, 1 relation, not expanded; E expands it');
});

test('nodeAnnouncement: kind in words, the name, the relations and what marks the node', () => {
  assert.equal(nodeAnnouncement({ id: 'ip:10.0.2.10', type: 'ip', relations: 7, expanded: true, blocklisted: false, flagged: true, selected: true }), "address 10.0.2.10, 7 relations, on the alerts' to-do list, expanded, shown in the panel");
  assert.equal(nodeAnnouncement({ id: 'mac:f8:ff:c2:1e:6d:55', type: 'mac', relations: 1, expanded: false, blocklisted: true, flagged: false, selected: false }), 'device f8:ff:c2:1e:6d:55, 1 relation, blocklisted, not expanded');
});

const skip = skipReason();
const problems: string[] = [];
const NOW = Date.now();
const HUB = 'ip:10.0.2.10';
const DOMAINS = ['www.example.com', 'api.example.com', 'mail.example.com', 'cdn.example.com', 'srv-db-01.corp.example.com'];
const FLOWS = ['ip:93.184.216.34', 'ip:151.101.1.69', 'ip:104.16.132.229'];

const ANSWERS: Record<string, unknown> = {
  [HUB]: pivotAnswer(HUB, [
    pivotGroup('query', 'out', DOMAINS.map((d) => `domain:${d}`), NOW),
    pivotGroup('flow', 'out', FLOWS, NOW),
    pivotGroup('login', 'out', ['user:alice'], NOW),
    pivotGroup('lease', 'out', ['mac:f8:ff:c2:1e:6d:55'], NOW),
  ]),
};
/** any other node expands to two names of its own */
const answerFor = (entity: string) => ANSWERS[entity] ?? pivotAnswer(entity, [pivotGroup('resolve', 'out', [`domain:a.${entity.replace(/\W/g, '')}.test`, `domain:b.${entity.replace(/\W/g, '')}.test`], NOW)]);

const ui = loggedInUi(skip, problems, '/search', (p) => p.getByLabel('Search query').waitFor());

// Cytoscape keeps its instance on the container (`_cyreg`); a string: this project's test code has no DOM types
const CY = `document.querySelector('.pivot-graph')._cyreg.cy`;
const currentNode = () => ui.page.evaluate<string[]>(`${CY}.nodes('.current').map((n) => n.id())`);
const focusIsOnGraph = () => ui.page.evaluate<boolean>(`document.activeElement === document.querySelector('.pivot-graph')`);
const said = () => ui.page.locator('.pivot-graph-said').textContent();

test('Tab reaches the graph; arrows move the current node; Enter opens its panel with the focus; Escape gives the focus back; E expands', { skip }, async () => {
  const page = ui.page;
  await openPlayedPivot(page, HUB, NOW, (url) => answerFor(url.searchParams.get('entity') ?? ''));
  const head = page.locator('section[aria-label="Relation graph"] .panel-head');
  await head.filter({ hasText: '11 entities · 10 relations' }).waitFor();

  // Tab from the entity box, as an operator would, until the graph has the focus
  await page.getByLabel('Entity to pivot from').focus();
  for (let i = 0; i < 12 && !(await focusIsOnGraph()); i++) await page.keyboard.press('Tab');
  assert.ok(await focusIsOnGraph(), 'Tab reaches the graph');
  const graph = page.getByRole('application', { name: /^Relation graph, 11 entities; arrow keys move between entities, Enter opens one/ });
  assert.equal(await graph.count(), 1, 'the graph is named for what it is and how to use it');
  const ring = await page.evaluate<string>(`getComputedStyle(document.querySelector('.pivot-graph')).outlineStyle`);
  assert.equal(ring, 'solid', 'the focused graph shows a focus ring');
  // the keys start at the node shown in the panel: the pivot's entity
  assert.deepEqual(await currentNode(), [HUB]);
  await untilInPage(page, `document.querySelector('.pivot-graph-said').textContent.startsWith('address 10.0.2.10, 10 relations')`);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: join(ARTIFACTS, 'investigate-keyboard-1440.png') });

  // the right arrow goes where the rule says, from the positions drawn
  const placed = await page.evaluate<Placed[]>(`${CY}.nodes().map((n) => ({ id: n.id(), ...n.renderedPosition() }))`);
  const hub = placed.find((p) => p.id === HUB)!;
  const right = nearestInDirection(hub, placed, 'right');
  assert.ok(right !== null, 'some node lies right of the hub');
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await currentNode(), [right]);
  const rightLabel = right.slice(right.indexOf(':') + 1);
  await untilInPage(page, `document.querySelector('.pivot-graph-said').textContent.includes(${JSON.stringify(rightLabel + ', 1 relation')})`);
  // then down from there, by the same rule
  const from = placed.find((p) => p.id === right)!;
  const down = nearestInDirection(from, placed, 'down');
  await page.keyboard.press('ArrowDown');
  const target = down ?? right;
  assert.deepEqual(await currentNode(), [target]);
  assert.equal(await page.locator('section[aria-label="Selected entity"] h2').textContent(), HUB, 'moving does not open a panel');

  // Enter opens that node's panel, as a click does, and the focus goes to it
  await page.keyboard.press('Enter');
  await page.locator('section[aria-label="Selected entity"] h2').filter({ hasText: target }).waitFor();
  await untilInPage(page, `document.activeElement === document.querySelector('section[aria-label="Selected entity"] h2')`);
  assert.deepEqual(await page.evaluate<string[]>(`${CY}.nodes(':selected').map((n) => n.id())`), [target], 'the node is selected as a tap selects it');
  // Tab inside the panel, then Escape: the focus is back on the graph, at the same node
  await page.keyboard.press('Tab');
  assert.ok(!(await focusIsOnGraph()));
  await page.keyboard.press('Escape');
  await untilInPage(page, `document.activeElement === document.querySelector('.pivot-graph')`);
  assert.deepEqual(await currentNode(), [target]);
  await page.setViewportSize({ width: 768, height: 900 });
  await untilInPage(page, 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))');
  await page.screenshot({ path: join(ARTIFACTS, 'investigate-keyboard-768.png'), fullPage: true });

  // E expands it, as a double-tap does
  await page.keyboard.press('e');
  await head.filter({ hasText: '13 entities · 12 relations' }).waitFor();
  assert.ok(await focusIsOnGraph(), 'the focus stays on the graph');
  // and the live region says it again once its neighbours are in: its own relation and the two it gained
  const targetLabel = target.slice(target.indexOf(':') + 1);
  await untilInPage(page, `document.querySelector('.pivot-graph-said').textContent.endsWith(${JSON.stringify(` ${targetLabel}, 3 relations, expanded, shown in the panel`)})`);
  // Home goes back to the pivot's entity
  await page.keyboard.press('Home');
  assert.deepEqual(await currentNode(), [HUB]);
  assert.equal(await said(), 'address 10.0.2.10, 10 relations, expanded');
  // Space shows it in the panel and leaves the focus on the graph
  await page.keyboard.press(' ');
  await page.locator('section[aria-label="Selected entity"] h2').filter({ hasText: HUB }).waitFor();
  assert.ok(await focusIsOnGraph(), 'Space leaves the focus on the graph');
  await untilInPage(page, `document.querySelector('.pivot-graph-said').textContent === 'address 10.0.2.10, 10 relations, expanded, shown in the panel'`);
  // Space again on the node the panel shows: said nothing new before; now says it is there and what it is
  await page.keyboard.press(' ');
  await untilInPage(page, `document.querySelector('.pivot-graph-said').textContent === 'already shown in the panel: address 10.0.2.10, 10 relations, expanded'`);
  assert.ok(await focusIsOnGraph(), 'the focus stays on the graph');
  await page.setViewportSize({ width: 1280, height: 860 });
});

test('a click selects as before: no keyboard highlight, no focus ring', { skip }, async () => {
  const page = ui.page;
  await page.locator('section[aria-label="Selected entity"] h2').click();
  const heading = page.locator('section[aria-label="Selected entity"] h2').filter({ hasText: `domain:${DOMAINS[0]}` });
  // the node where it is drawn at the click: the graph may still be fitting itself to the window the last
  // test resized. The expansion at 768 px can leave the node outside the 1280 px view or under a new node
  // (a CI run clicked beside it for 20 s): an operator would pan to it first, so the test centres it then.
  let selected = '';
  await until(async () => {
    const at = await page.evaluate<{ x: number; y: number }>(`(() => {
      const cy = ${CY};
      const node = cy.getElementById(${JSON.stringify(`domain:${DOMAINS[0]}`)});
      const inView = (p) => p.x > 20 && p.y > 20 && p.x < cy.width() - 20 && p.y < cy.height() - 20;
      const covered = (p) => cy.nodes().some((n) => {
        const b = n.renderedBoundingBox({ includeLabels: false });
        return n !== node && p.x >= b.x1 && p.x <= b.x2 && p.y >= b.y1 && p.y <= b.y2;
      });
      if (!inView(node.renderedPosition()) || covered(node.renderedPosition())) cy.center(node);
      const p = node.renderedPosition();
      const r = document.querySelector('.pivot-graph').getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    })()`);
    await page.mouse.click(at.x, at.y);
    if ((await heading.count()) === 1 || (await new Promise((r) => setTimeout(r, 300)), (await heading.count()) === 1)) return true;
    selected = `the panel shows ${JSON.stringify(await page.locator('section[aria-label="Selected entity"] h2').textContent())} after a click at ${Math.round(at.x)},${Math.round(at.y)}`;
    return false;
  }, 'a click on the node selects it').catch((e: Error) => {
    throw new Error(`${e.message}: ${selected}`);
  });
  assert.deepEqual(await currentNode(), []);
  const ring = await page.evaluate<string>(`getComputedStyle(document.querySelector('.pivot-graph')).outlineStyle`);
  assert.equal(ring, 'none', 'a click shows no focus ring');
});

test('no script errors and no CSP violations', { skip }, () => {
  assert.deepEqual(problems, []);
});
