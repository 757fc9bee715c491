import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDemoCapture } from './demo-capture.js';
import { readSynFile } from './read.js';

test('the demo capture starts at the given time, reads back whole, and holds many hosts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-syn-demo-'));
  try {
    const start = Date.UTC(2026, 10, 28, 12, 0, 0);
    const path = join(dir, 'demo', 'syn-demo.pcapng');
    const n = writeDemoCapture(path, 7, 50, 3, start);
    const { syns, stats } = readSynFile(path);
    assert.equal(syns.length, n);
    assert.deepEqual(stats.skipped, {});
    const times = syns.map((s) => s.t);
    assert.ok(Math.min(...times) >= start * 1000, 'nothing before the start');
    assert.ok(Math.max(...times) < (start + 30 * 60_000) * 1000, 'at most 30 minutes of traffic');
    assert.ok(new Set(syns.map((s) => s.src)).size >= 10, 'many source hosts');
    // the hosts begin spread over the first 3 minutes, so the board fills from the start (the flood's
    // one-SYN sources at minute 2 left out)
    const firstSeen = new Map<string, { t: number; n: number }>();
    for (const s of syns) {
      const h = firstSeen.get(s.src);
      if (h === undefined) firstSeen.set(s.src, { t: s.t, n: 1 });
      else h.n++;
    }
    const starts = [...firstSeen.values()].filter((h) => h.n > 1 && h.t < (start + 3 * 60_000) * 1000).map((h) => h.t);
    const inFirstMinute = starts.filter((t) => t < (start + 60_000) * 1000).length;
    assert.ok(inFirstMinute >= starts.length / 4, `${inFirstMinute} of ${starts.length} hosts begin in the first minute`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the demo's SYN flood becomes one syn-flood finding on the board, beside the hosts reported one by one", async () => {
  const { SynLiveBoard } = await import('./board.js');
  const { replayCapture } = await import('./replay.js');
  const { SynModel } = await import('./model.js');
  const { DEFAULT_SYN_MODEL } = await import('./paths.js');
  const { DEMO_FLOOD_VICTIM } = await import('./demo-capture.js');
  const dir = mkdtempSync(join(tmpdir(), 'nml-syn-demo-'));
  try {
    const path = join(dir, 'syn-demo.pcapng');
    writeDemoCapture(path, 7, 50, 3, Date.UTC(2026, 10, 28, 12, 0, 0));
    const found: { detector: string; entity: string }[] = [];
    const board = new SynLiveBoard({ model: SynModel.load(DEFAULT_SYN_MODEL), sink: { record: (f) => found.push(...f) }, idleMs: 1e12 });
    await replayCapture(board, path, { speed: 0 });
    while (board.pending > 0) await board.step();
    assert.ok(found.some((f) => f.detector === 'syn-flood' && f.entity === `ip:${DEMO_FLOOD_VICTIM}`), 'a syn-flood finding for the victim');
    assert.ok(found.filter((f) => f.detector === 'syn').length <= 60, 'the flood did not become hundreds of findings');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
