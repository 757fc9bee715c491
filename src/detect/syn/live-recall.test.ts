/** `nml serve` started again: its SYN board recalls the floods the findings store tells (storedFloods), so the next flood against a victim tells the earlier one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FindingsStore } from '../findings/store.js';
import { storedFloods } from './board-recall.js';
import { LINKTYPE } from './decode.js';
import { startSynLive } from './live.js';
import { frame, synIpPacket, writePcap } from './pcap-writer.js';
import { generateSynthetic } from './synth.js';
import { tinyModel } from './testing.js';

const base = generateSynthetic(5, 1).find((h) => h.tool === 'spoofed-flood')!.syns[0]!;

/** A capture of `n` spoofed one-SYN sources (`10.<net>.x.y`, 10 ms apart from `t0` µs) against base's victim and port. */
function floodCapture(file: string, net: number, n: number, t0: number): string {
  const syns = Array.from({ length: n }, (_, i) => ({ ...base, src: `10.${net}.${i >> 8}.${i & 255}`, t: t0 + i * 10_000 }));
  writeFileSync(file, writePcap(syns.map((s) => ({ t: s.t, frame: frame(synIpPacket(s), LINKTYPE.ETHERNET) })), { linktype: LINKTYPE.ETHERNET }));
  return file;
}

test('a flood replayed after a restart tells the earlier flood its row told; a store that cannot be read recalls none and says why', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-syn-recall-'));
  const store = new FindingsStore(join(dir, 'findings.db'));
  try {
    const model = join(dir, 'model.json');
    writeFileSync(model, JSON.stringify(tinyModel().file));
    const t1 = base.t;
    const t2 = t1 + 3 * 3_600e6;
    const replay = async (pcap: string, recall: boolean): Promise<void> => {
      const live = startSynLive({ pcap, speed: 0, model, threshold: 0, sink: store, ...(recall ? { recall: storedFloods(store, (e) => assert.fail(String(e))) } : {}), onError: (e) => assert.fail(String(e)) });
      await live.done;
      await live.stop();
    };
    await replay(floodCapture(join(dir, 'first.pcap'), 1, 300, t1), true);
    const first = store.list({ detector: 'syn-flood' }).findings[0]!;
    assert.equal((first.explanation.detail as { sources: number }).sources, 300);
    // the server restarts; three hours later (capture time) the victim is flooded again
    await replay(floodCapture(join(dir, 'second.pcap'), 2, 200, t2), true);
    const row = store.list({ detector: 'syn-flood' }).findings[0]!;
    const d = row.explanation.detail as { sources: number; earlierCount?: number; earlier?: { sources: number }[] };
    assert.equal(d.sources, 200, 'the row tells the flood now');
    // before: nothing in the row said the victim had been flooded before
    assert.equal(d.earlierCount, 1);
    assert.deepEqual(d.earlier!.map((e) => e.sources), [300]);
    assert.match(row.explanation.summary, /1 earlier flood against it: from .*, 300 sources, e\.g\. 10\.1\.0\.0/);
    const errors: unknown[] = [];
    const broken = { list: () => { throw new Error('disk I/O error'); } };
    assert.deepEqual(storedFloods(broken, (e) => errors.push(e)), []);
    assert.match(String(errors[0]), /disk I\/O error/);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a flood still going on when the server restarts: the board after it counts on from the row, and the detail says how many came before', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-syn-restart-'));
  const store = new FindingsStore(join(dir, 'findings.db'));
  try {
    const model = join(dir, 'model.json');
    writeFileSync(model, JSON.stringify(tinyModel().file));
    const replay = async (pcap: string): Promise<void> => {
      const live = startSynLive({ pcap, speed: 0, model, threshold: 0, sink: store, recall: storedFloods(store, (e) => assert.fail(String(e))), onError: (e) => assert.fail(String(e)) });
      await live.done;
      await live.stop();
    };
    await replay(floodCapture(join(dir, 'first.pcap'), 1, 300, base.t));
    const before = (store.list({ detector: 'syn-flood' }).findings[0]!.explanation.detail as { sources: number; to: number });
    // the server restarts; the flood's next sources come two minutes after its last (capture time)
    await replay(floodCapture(join(dir, 'rest.pcap'), 2, 200, before.to * 1000 + 120e6));
    const row = store.list({ detector: 'syn-flood' }).findings[0]!;
    const d = row.explanation.detail as { sources: number; beforeRestart?: { to: number; sources: number; restarts: number } };
    // before: the row told 200 sources, those since the restart
    assert.equal(d.sources, before.sources + 200);
    assert.deepEqual(d.beforeRestart, { to: before.to, sources: before.sources, restarts: 1 });
    assert.match(row.explanation.summary, new RegExp(`${before.sources + 200} is an upper bound: its distinct sources may be fewer`));
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
