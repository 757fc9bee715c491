/**
 * A capture's findings do not depend on how its SYNs fall into flushes: the same stream flushed every
 * half second of capture time (as live) or in a few large flushes (a replay as fast as possible) gives
 * the same rows. Before the budgets counted each host's own capture minute, a large flush gave hours of
 * capture one minute's budget.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NewFinding } from '../detector.js';
import { SynLiveBoard } from './board.js';
import { makeSyn } from './synth-stacks.js';
import { tinyModel } from './testing.js';
import type { SynPacket } from './types.js';

const MIN = 60e6;
const bare = { mss: -1, ws: -1, sack: false, ts: false, opts: '' };

/** Ten minutes: each minute 90 one-SYN spoofed sources against one victim and 7 scanners, each a burst of 8 SYNs to a port of its own. */
function capture(): SynPacket[] {
  const out: SynPacket[] = [];
  const victim = (203 << 24) | (0 << 16) | (113 << 8) | 5;
  let src = (10 << 24) >>> 0;
  for (let m = 0; m < 10; m++) {
    for (let i = 0; i < 90; i++) out.push(makeSyn(m * MIN + i * 600_000, ++src, victim, 1024 + i, 80, 250, i, 1024, i, bare));
    for (let k = 0; k < 7; k++) {
      const scanner = ((198 << 24) | (51 << 16) | (100 << 8) | (m * 7 + k)) >>> 0;
      for (let j = 0; j < 8; j++) out.push(makeSyn(m * MIN + 1_000 + k * 7_000_000 + j, scanner, victim + j + 1, 40_000 + j, 1000 + m * 7 + k, 64, j, 1024, j, bare));
    }
  }
  return out.sort((a, b) => a.t - b.t);
}

/** The rows a board records when it is flushed each time capture time has moved on by `everyUs`. */
function rows(everyUs: number): string[] {
  const got: NewFinding[] = [];
  // threshold 0: every host is flagged, so the budgets alone decide what is a row
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, flushBudgetMs: Infinity, sink: { record: (f) => void got.push(...f) } });
  const syns = capture();
  for (let i = 0; i < syns.length; ) {
    let j = i + 1;
    while (j < syns.length && Math.floor(syns[j]!.t / everyUs) === Math.floor(syns[i]!.t / everyUs)) j++;
    board.add(syns.slice(i, j));
    board.flush();
    i = j;
  }
  while (board.pending > 0) board.flush();
  board.settle();
  return [...new Set(got.map((f) => `${f.detector} ${f.entity}`))].sort();
}

test("a capture's findings are the same however its SYNs fall into flushes", () => {
  const live = rows(500_000);
  assert.deepEqual(rows(3 * MIN), live, 'three minutes a flush');
  assert.deepEqual(rows(100 * MIN), live, 'one flush for the whole capture');
  assert.equal(live.filter((r) => r.startsWith('syn-flood ')).length, 1, 'one flood row');
  assert.equal(live.filter((r) => r.startsWith('syn-wave ')).length, 0, 'and no wave row of its first sources');
  assert.equal(live.filter((r) => r.startsWith('syn ')).length, 20 + 70, "the first minute's 20 spoofed sources and every scanner: each minute's own budget");
});
