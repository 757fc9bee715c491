/**
 * Findings kept after they leave the live board stay on its list, marked idle, and the board's listeners
 * hear of it: the flush that takes a finding off the board sends its row with `idle: true`; the flush
 * that drops a kept one for good (its keep time over, or pushed out by the bound) names it in `gone`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SynLiveBoard } from './board.js';
import type { BoardHost } from './board-types.js';
import { AHEAD_RUN } from './board-state.js';
import { generateSynthetic } from './synth.js';
import { tinyModel } from './testing.js';
import type { SynPacket } from './types.js';

const synth = generateSynthetic(5, 1);
const T0 = 1_700_000_000e6;
const MIN = 60e6;

/** `n` SYNs of the synthetic `tool` host as `ip`, a millisecond apart from `t` (µs) */
const syns = (tool: string, ip: string, n: number, t: number): SynPacket[] =>
  synth.find((h) => h.tool === tool && h.syns.length >= n)!.syns.slice(0, n).map((s, i) => ({ ...s, src: ip, t: t + i * 1000 }));
/** one SYN of another host at `t`, as a run (one alone so far ahead would be taken for a stray record) */
const clock = (t: number): SynPacket[] => Array.from({ length: AHEAD_RUN }, (_, i) => ({ ...syns('benign-browsing', '198.51.100.1', 1, t)[0]!, t: t + i }));

function watched(o: { maxKeptFlagged?: number; keepFlaggedMs?: number } = {}) {
  // threshold 0: every host is flagged, but only the first a minute is a finding of its own (the rest are summed)
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, findingsPerMinute: 1, sink: { record: () => {} }, ...o });
  const heard: { changed: BoardHost[]; gone: readonly string[] }[] = [];
  board.onChange((changed, _at, gone) => heard.push({ changed, gone }));
  const last = () => heard.at(-1)!;
  return { board, heard, last };
}

test('a finding that goes idle stays on the list, marked idle with its last SYN, and the listeners get its row; a host that is no finding leaves', () => {
  const { board, last } = watched();
  board.add(syns('masscan', '192.0.2.10', 40, T0));
  board.add(syns('nmap-sT', '192.0.2.11', 40, T0 + 1e6));
  board.flush();
  assert.deepEqual(board.list({ sort: 'ip', order: 'asc' }).map((h) => [h.ip, h.idle]), [['192.0.2.10', false], ['192.0.2.11', false]]);
  board.add(clock(T0 + 11 * MIN));
  board.flush();
  const rows = board.list({ sort: 'ip', order: 'asc' });
  assert.deepEqual(rows.map((h) => [h.ip, h.idle]), [['192.0.2.10', true], ['198.51.100.1', false]], 'the finding stays listed as idle; the summed host is gone');
  assert.equal(rows[0]!.lastSeen, Math.floor((T0 + 39 * 1000) / 1000), 'with the time of its last SYN');
  assert.equal(rows[0]!.packets, 40);
  const told = last().changed.find((h) => h.ip === '192.0.2.10');
  assert.equal(told?.idle, true, 'the flush that took it off the board told the listeners');
  assert.deepEqual(last().gone, []);
  assert.deepEqual({ tracked: board.stats().tracked, kept: board.stats().kept }, { tracked: 1, kept: 1 }, 'counted apart from the live board');
  assert.equal(board.list({ minPackets: 41 }).length, 0, 'minPackets applies to the idle rows too');
  // a SYN brings it back onto the board: listed live again
  board.add(syns('masscan', '192.0.2.10', 41, T0 + 11 * MIN + 2e6).slice(40));
  board.flush();
  const back = board.list().find((h) => h.ip === '192.0.2.10')!;
  assert.deepEqual([back.idle, back.packets], [false, 41]);
  assert.equal(last().changed.find((h) => h.ip === '192.0.2.10')?.idle, false);
  assert.equal(board.stats().kept, 0);
});

test('a kept finding leaves the list when the keep time is over or the bound pushes it out, and the listeners are told (gone)', () => {
  const { board, heard } = watched({ maxKeptFlagged: 2, keepFlaggedMs: 60 * 60_000 });
  // three findings of their own, a minute apart (the budget reports one a minute)
  for (let i = 0; i < 3; i++) {
    board.add(syns('masscan', `192.0.2.${i}`, 40, T0 + i * MIN));
    board.flush();
  }
  board.add(clock(T0 + 13 * MIN));
  board.flush();
  const listed = () => board.list({ sort: 'ip', order: 'asc' }).filter((h) => h.idle).map((h) => h.ip);
  assert.deepEqual(listed(), ['192.0.2.1', '192.0.2.2'], 'at most two kept: the first to leave is pushed out');
  const gone = heard.flatMap((m) => m.gone);
  assert.deepEqual(gone, ['192.0.2.0'], 'and the listeners told it left the list');
  assert.deepEqual(board.stats().kept, 2);
  assert.deepEqual([board.stats().maxKept, board.stats().keepMs], [2, 3_600_000]);
  // an hour after their last SYNs both go
  board.add(clock(T0 + 63 * MIN));
  board.flush();
  assert.deepEqual(listed(), []);
  assert.deepEqual(heard.at(-1)!.gone, ['192.0.2.1', '192.0.2.2']);
  assert.equal(board.stats().kept, 0);
});
