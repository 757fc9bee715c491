/** A SYN finding keeps where its SYNs came from (the board's source) in its evidence, through the store's later sightings too. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NewFinding } from '../detector.js';
import { SynLiveBoard } from './board.js';
import { FLOOD_SOURCES } from './board-groups.js';
import { FindingsStore } from '../findings/store.js';
import { generateSynthetic } from './synth.js';
import { tinyModel } from './testing.js';

const synth = generateSynthetic(5, 1);

test("every finding the board writes carries its source (the capture replayed or the interface) in its evidence, and the store keeps it", () => {
  const found: NewFinding[] = [];
  const store = new FindingsStore(':memory:');
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, sink: { record: (f) => (found.push(...f), store.record(f)) }, flushBudgetMs: Infinity, idleMs: 1e12 });
  board.source = { kind: 'replay', name: '/data/mon capture.pcap', state: 'running', error: null, restarts: 0 };
  const base = synth.find((h) => h.tool === 'spoofed-flood')!.syns[0]!;
  board.add(Array.from({ length: FLOOD_SOURCES + 5 }, (_, i) => ({ ...base, src: `198.51.100.${i + 1}`, t: base.t + i })));
  const scanner = synth.find((h) => h.tool === 'nmap-sS')!;
  board.add(scanner.syns.slice(0, 10));
  board.flush();
  board.source = { ...board.source, state: 'ended' };
  board.add(scanner.syns.slice(10, 200));
  board.flush();
  board.settle();
  assert.deepEqual([...new Set(found.map((f) => f.detector))].sort(), ['syn', 'syn-flood']);
  for (const f of found) assert.deepEqual(f.evidence.source, { kind: 'replay', name: '/data/mon capture.pcap' }, `${f.detector} ${f.entity}`);
  const host = store.find('syn', `ip:${scanner.ip}`)!;
  assert.deepEqual(host.evidence.source, { kind: 'replay', name: '/data/mon capture.pcap' }, 'kept by the store');
  assert.equal(host.board, `/hosts?ip=${scanner.ip}`);
  assert.equal(store.find('syn-flood', `ip:${base.dst}`)!.board, '/hosts?few=show', "a flood's sources are the board's 1–2-SYN hosts, hidden by default");
  store.close();
});

test('a later sighting of the same search keeps the source: the widened evidence used to be rebuilt from query, from and to alone', () => {
  const store = new FindingsStore(':memory:');
  const f = (time: number, source?: NewFinding['evidence']['source']): NewFinding => ({
    detector: 'syn', entity: 'ip:192.0.2.7', score: 0.99, threshold: 0.5, modelVersion: 'm', time, explanation: { summary: 'x', detail: null }, evidence: { query: 'ip:192.0.2.7', from: time - 1000, to: time + 1000, ...(source === undefined ? {} : { source }) },
  });
  store.record([f(1_700_000_000_000)]);
  assert.equal(store.find('syn', 'ip:192.0.2.7')!.evidence.source, undefined, 'a row stored without a source has none');
  store.record([f(1_700_000_060_000, { kind: 'interface', name: 'eth0' })]);
  store.record([f(1_700_000_120_000)]);
  const e = store.find('syn', 'ip:192.0.2.7')!.evidence;
  assert.deepEqual(e, { query: 'ip:192.0.2.7', from: 1_699_999_999_000, to: 1_700_000_121_000, source: { kind: 'interface', name: 'eth0' } });
  store.close();
});
