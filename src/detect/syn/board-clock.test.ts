/** The board's capture time against SYNs stamped far ahead (a corrupt record, a wrong clock): board-state.ts `CaptureClock`, and the replay's pacing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewFinding } from '../detector.js';
import { SynLiveBoard } from './board.js';
import { AHEAD_RUN } from './board-state.js';
import { LINKTYPE } from './decode.js';
import { frame, synIpPacket, writePcap } from './pcap-writer.js';
import { replayCapture } from './replay.js';
import { generateSynthetic } from './synth.js';
import { tinyModel } from './testing.js';

const base = generateSynthetic(5, 1).find((h) => h.tool === 'benign-browsing')!.syns[0]!;
const t0 = 1_700_000_000e6;
const DAY = 86_400e6;
const YEAR_2100 = Date.UTC(2100, 0, 1) * 1000;
const syn = (src: string, t: number) => ({ ...base, src, t });
/** five hosts, a SYN a second */
const five = () => [0, 1, 2, 3, 4].map((i) => syn(`198.51.100.${i}`, t0 + i * 1e6));

for (const [what, far] of [['a day ahead', t0 + DAY], ['in the year 2100', YEAR_2100]] as const) {
  test(`one SYN stamped ${what} does not move the board's clock: no host leaves as idle, findings keep their times, the SYN is counted`, () => {
    const found: NewFinding[] = [];
    const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, sink: { record: (f) => found.push(...f) } });
    board.add(five());
    board.flush();
    board.add([syn('203.0.113.9', far)]);
    board.add([syn('198.51.100.0', t0 + 10e6), syn('198.51.100.5', t0 + 11e6)]);
    board.flush();
    assert.deepEqual(board.list({ sort: 'ip', order: 'asc' }).map((h) => h.ip), [0, 1, 2, 3, 4, 5].map((i) => `198.51.100.${i}`), 'every host stays');
    assert.equal(board.evicted, 0);
    assert.equal(board.host('203.0.113.9'), null, 'the far SYN is not on the board');
    assert.equal(board.stats().aheadPackets, 1);
    assert.equal(board.packets, 8, 'still counted as received');
    for (const f of found) assert.ok(f.time <= (t0 + 11e6) / 1000, `finding ${f.entity} at ${new Date(f.time).toISOString()}`);
    // nor does one SYN of a known host stamped far ahead spoil its window
    board.add([syn('198.51.100.1', far), syn('198.51.100.1', t0 + 12e6)]);
    board.flush();
    const h = board.list().find((x) => x.ip === '198.51.100.1')!;
    assert.equal(h.packets, 2);
    assert.equal(h.lastSeen, (t0 + 12e6) / 1000);
    assert.equal(board.stats().aheadPackets, 2);
  });
}

test(`a replay that really moves on by more than the idle time: ${AHEAD_RUN} SYNs in a row far ahead are taken, none lost, and the old hosts leave`, () => {
  const board = new SynLiveBoard({ model: tinyModel() });
  board.add(five());
  board.flush();
  const later = Array.from({ length: 10 }, (_, i) => syn(`192.0.2.${i}`, t0 + DAY + i * 1e6));
  // they arrive one at a time, as a capture's do
  for (const s of later) board.add([s]);
  board.flush();
  assert.deepEqual(board.list({ sort: 'ip', order: 'asc' }).map((h) => h.ip), later.map((s) => s.src).sort(), 'the capture moved on a day: the old hosts were idle');
  assert.equal(board.stats().aheadPackets, 0);
  assert.equal(board.list().reduce((n, h) => n + h.packets, 0), 10);
  // the far run is taken in order: the first one's host has its own time
  assert.equal(board.list().find((h) => h.ip === '192.0.2.0')!.firstSeen, (t0 + DAY) / 1000);
});

test(`a stray run shorter than ${AHEAD_RUN} is dropped when the capture comes back; a replay's first SYN in 2100 does not start the board there`, () => {
  const board = new SynLiveBoard({ model: tinyModel() });
  board.add([syn('203.0.113.1', YEAR_2100)]);
  board.add(five());
  board.add(Array.from({ length: AHEAD_RUN - 1 }, (_, i) => syn('203.0.113.2', t0 + DAY + i)));
  board.add([syn('198.51.100.9', t0 + 20e6)]);
  board.flush();
  assert.equal(board.size, 6);
  assert.equal(board.evicted, 0);
  assert.equal(board.stats().aheadPackets, AHEAD_RUN);
});

test('from an interface (a source clock), a SYN further ahead of that clock than the idle time is dropped, a run of them too', () => {
  const now = Date.now() * 1000;
  const board = new SynLiveBoard({ model: tinyModel(), clockUs: () => now });
  board.add(Array.from({ length: 2 * AHEAD_RUN }, (_, i) => syn('203.0.113.3', now + DAY + i)));
  board.add([syn('198.51.100.1', now - 1e6), syn('198.51.100.2', now + 60e6)]);
  board.flush();
  assert.deepEqual(board.list({ sort: 'ip', order: 'asc' }).map((h) => h.ip), ['198.51.100.1', '198.51.100.2'], 'a minute ahead is clock skew, taken');
  assert.equal(board.stats().aheadPackets, 2 * AHEAD_RUN);
});

test('a replay at capture speed does not wait a day for a record stamped a day ahead, nor replay the rest at full speed after it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-syn-ahead-'));
  try {
    // the last SYN 0.6 s after the others: paced, not handed over at once
    const ts = [t0, t0 + 1000, t0 + DAY, t0 + 2000, t0 + 602_000];
    const file = join(dir, 'ahead.pcap');
    writeFileSync(file, writePcap(ts.map((t, i) => ({ t, frame: frame(synIpPacket(syn(`198.51.100.${i}`, t)), LINKTYPE.ETHERNET) })), { linktype: LINKTYPE.ETHERNET }));
    const board = new SynLiveBoard({ model: tinyModel() });
    const ac = new AbortController();
    // before the fix the replay slept towards the far record's time; 2 s is the bound, it takes milliseconds
    const timer = setTimeout(() => ac.abort(), 2000);
    const started = performance.now();
    await replayCapture(board, file, { speed: 1, signal: ac.signal });
    const took = performance.now() - started;
    clearTimeout(timer);
    assert.equal(ac.signal.aborted, false, 'the replay ended on its own');
    assert.ok(took >= 450, `the SYNs after the far one still came at capture speed (${took.toFixed(0)} ms for 0.6 s)`);
    assert.equal(board.packets, 5, 'every SYN handed over');
    board.flush();
    assert.equal(board.size, 4);
    assert.equal(board.stats().aheadPackets, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a stop ends a replay at once, not after the wait for the next SYN (up to a second)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-syn-abort-'));
  try {
    // the second SYN 5 s after the first: the replay waits for it (at most a second at a time)
    const ts = [t0, t0 + 5_000_000];
    const file = join(dir, 'gap.pcap');
    writeFileSync(file, writePcap(ts.map((t, i) => ({ t, frame: frame(synIpPacket(syn(`198.51.100.${i}`, t)), LINKTYPE.ETHERNET) })), { linktype: LINKTYPE.ETHERNET }));
    const board = new SynLiveBoard({ model: tinyModel() });
    const ac = new AbortController();
    const replay = replayCapture(board, file, { speed: 1, signal: ac.signal });
    // well inside the first second's wait
    await new Promise((r) => setTimeout(r, 100));
    const aborted = performance.now();
    ac.abort();
    await replay;
    const took = performance.now() - aborted;
    // before, the replay slept out the rest of that second (~900 ms); it takes milliseconds
    assert.ok(took < 400, `the replay ended ${took.toFixed(0)} ms after the abort`);
    assert.equal(board.packets, 1, 'the SYN not yet due is not handed over');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
