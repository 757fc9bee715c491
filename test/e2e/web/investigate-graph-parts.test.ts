/**
 * The pure parts behind Investigate's graph at thousands of edges: the elements given to Cytoscape (which
 * edges are curved apart), the data written to a drawn element only where it changed, the side panel's
 * relation rows (the relations found by the same search, grouped once instead of per row), and the zoom
 * under which edge labels are not drawn (their placing waits for it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedData, elements } from '../../../web/src/pages/investigate/graph-sync.js';
import { relationRows, RELATIONS_SHOWN } from '../../../web/src/pages/investigate/node-relations.js';
import { edgeLabelsShown, labelNote, EDGE_LABEL_PX, HIDE_LABEL_PX } from '../../../web/src/pages/investigate/edge-labels.js';
import { mergePivot, emptyGraph, type GraphEdge } from '../../../web/src/pages/investigate/graph-model.js';
import { pivotAnswer, pivotGroup } from './pivot-answer.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');

test('changedData: only the fields whose values differ, none when all agree', () => {
  assert.equal(changedData({ id: 'a', label: 'x', flagged: false }, { id: 'a', label: 'x', flagged: false }), undefined);
  assert.deepEqual(changedData({ id: 'a', label: 'x', flagged: false }, { id: 'a', label: '⚠ x', flagged: true }), { label: '⚠ x', flagged: true });
  // a field the element lacks is written
  assert.deepEqual(changedData({ id: 'a' }, { id: 'a', expanded: true }), { expanded: true });
});

test('elements: an edge is curved apart (multi) only where its two entities have another relation, or it is a loop', () => {
  const g = mergePivot(emptyGraph(), pivotAnswer('ip:10.0.0.1', [pivotGroup('flow', 'out', ['ip:10.0.0.2', 'ip:10.0.0.3', 'ip:10.0.0.1'], NOW), pivotGroup('flow', 'in', ['ip:10.0.0.2'], NOW)]));
  const edges = elements(g, new Map()).filter((e) => e.group === 'edges');
  const multi = Object.fromEntries(edges.map((e) => [e.data.id as string, e.data.multi as boolean]));
  assert.deepEqual(multi, {
    'ip:10.0.0.1|flow|ip:10.0.0.2': true,
    'ip:10.0.0.2|flow|ip:10.0.0.1': true,
    'ip:10.0.0.1|flow|ip:10.0.0.3': false,
    'ip:10.0.0.1|flow|ip:10.0.0.1': true,
  });
  // the pivot's entity's edges name their far end; nodes come before edges
  assert.equal(edges.find((e) => e.data.id === 'ip:10.0.0.2|flow|ip:10.0.0.1')!.data.far, 'source');
  const groups = elements(g, new Map()).map((e) => e.group);
  assert.equal(groups.lastIndexOf('nodes') < groups.indexOf('edges'), true);
});

function edge(source: string, target: string, relation: string, count: number, q: string): GraphEdge {
  return { id: `${source}|${relation}|${target}`, source, target, relation, count, first: NOW, last: NOW, evidence: { q, from: NOW - 60_000, to: NOW } };
}

test('relationRows: the node\'s edges by most lines, each with the other relations its search also finds', () => {
  const edges = [
    edge('ip:a', 'ip:b', 'flow', 5, 'ip:a ip:b'),
    edge('ip:b', 'ip:a', 'flow', 9, 'ip:a ip:b'),
    edge('ip:a', 'domain:c', 'query', 7, 'ip:a domain:c'),
    edge('ip:a', 'ip:b', 'alert', 1, 'other search'),
    edge('ip:x', 'ip:y', 'flow', 99, 'ip:x ip:y'),
  ];
  const rows = relationRows('ip:a', edges);
  assert.deepEqual(rows.map((r) => [r.edge.id, r.other, r.alongside.map((x) => x.id)]), [
    ['ip:b|flow|ip:a', 'ip:b', ['ip:a|flow|ip:b']],
    ['ip:a|query|domain:c', 'domain:c', []],
    ['ip:a|flow|ip:b', 'ip:b', ['ip:b|flow|ip:a']],
    ['ip:a|alert|ip:b', 'ip:b', []],
  ]);
});

test('relationRows: a resolver of 1,900 relations gives 1,900 rows, the same as comparing every pair', () => {
  const edges = Array.from({ length: 1900 }, (_, i) => edge('ip:r', `ip:c${i % 950}`, i < 950 ? 'flow' : 'query', i, `ip:r ip:c${i % 950}`));
  const rows = relationRows('ip:r', edges);
  assert.equal(rows.length, 1900);
  assert.equal(rows.length > RELATIONS_SHOWN, true);
  for (const r of rows.slice(0, 50)) {
    const naive = rows.map((x) => x.edge).filter((x) => x !== r.edge && (x.source === r.other || x.target === r.other) && x.evidence.q === r.edge.evidence.q);
    assert.deepEqual(r.alongside, naive);
  }
});

test('edgeLabelsShown: edge labels are drawn where EDGE_LABEL_PX on screen reaches HIDE_LABEL_PX, not below', () => {
  const z = HIDE_LABEL_PX / EDGE_LABEL_PX;
  assert.equal(edgeLabelsShown(z), true);
  assert.equal(edgeLabelsShown(1), true);
  assert.equal(edgeLabelsShown(z - 0.01), false);
  assert.equal(edgeLabelsShown(0.3), false);
});

test('labelNote: says what the zoom hides and that labels past the placing limit stay put; nothing when all is drawn', () => {
  // node labels 11 px at zoom 1: hidden under 6/11, edge labels (8 px) under 0.75
  assert.equal(labelNote(1, 11, 400, 1000), null);
  assert.match(labelNote(0.3, 11, 400, 1000)!, /^Zoomed out past reading: names and relations show when zoomed in/);
  assert.equal(labelNote(0.7, 11, 400, 1000), 'Relation labels show when zoomed in.');
  // no edges: nothing to say of their labels
  assert.equal(labelNote(0.7, 11, 0, 1000), null);
  assert.equal(labelNote(1, 11, 2000, 1000), 'Past 1,000 relations their labels stay at the middle of each edge, some on a node.');
  assert.match(labelNote(0.3, 11, 2000, 1000)!, /show when zoomed in.*Past 1,000 relations/);
});
