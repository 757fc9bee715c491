/** The live board: bounded state, re-scoring of changed hosts only, listeners, findings, replay of a capture. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewFinding } from '../detector.js';
import { SynLiveBoard } from './board.js';
import type { WindowScorer } from './board-types.js';
import { paceText, rateText } from './board-text.js';
import { timeText } from './flood-episodes.js';
import { FLOOD_SOURCES } from './board-groups.js';
import { AHEAD_RUN } from './board-state.js';
import { SynBatchScorer } from './model.js';
import { joinRuns, runScore, summaryScore, type RunSummary } from './window-run.js';
import { replayCapture } from './replay.js';
import { LINKTYPE } from './decode.js';
import { frame, synIpPacket, writePcap } from './pcap-writer.js';
import { generateSynthetic } from './synth.js';
import { tinyModel } from './testing.js';
import type { SynPacket } from './types.js';

const synth = generateSynthetic(5, 1);

/** `s` and the next AHEAD_RUN - 1 µs: SYNs far ahead of the board's time count only as a run (one alone may be a corrupt record) */
const aheadRun = (s: SynPacket): SynPacket[] => Array.from({ length: AHEAD_RUN }, (_, i) => ({ ...s, t: s.t + i }));

test('changed hosts are re-scored and pushed; unchanged ones are not', () => {
  const board = new SynLiveBoard({ model: tinyModel() });
  const seen: string[][] = [];
  board.onChange((hs) => seen.push(hs.map((h) => h.ip)));
  const a = synth.find((h) => h.tool === 'zmap')!;
  const b = synth.find((h) => h.tool === 'benign-browsing')!;
  board.add(a.syns.slice(0, 10));
  board.add(b.syns.slice(0, 3));
  assert.equal(board.flush().length, 2);
  assert.equal(board.flush().length, 0, 'nothing changed');
  board.add(a.syns.slice(10, 12));
  assert.deepEqual(board.flush().map((h) => h.ip), [a.ip]);
  assert.equal(seen.length, 2);
  assert.deepEqual([...seen[0]!].sort(), [a.ip, b.ip].sort());
  assert.deepEqual(seen[1], [a.ip]);
  const h = board.list({ sort: 'packets' })[0]!;
  assert.equal(h.ip, a.ip);
  assert.equal(h.packets, 12);
  const one = board.host(a.ip)!;
  assert.equal(one.image.pixels.length, one.image.rows * one.image.cols);
  assert.equal(one.saliency.length, one.image.pixels.length);
  assert.equal(board.host('192.0.2.99'), null);
});

test("a host's board score is its 32-SYN windows' run score, as nml score syn and the evaluation compute it", () => {
  const model = tinyModel();
  const board = new SynLiveBoard({ model });
  const a = synth.find((h) => h.tool === 'nmap-sS')!;
  const syns = a.syns.slice(0, 100);
  assert.equal(syns.length, 100);
  // arrival in uneven chunks, with flushes between them: windows fill between flushes and across chunks
  // the summary names the windows as they are: the latest is partial until it fills ("1 window of 32 SYNs" for 7)
  const windows = { 7: '1 window of 7 SYNs', 40: '2 windows (1 of 32 SYNs, 1 of 8)', 41: '2 windows (1 of 32 SYNs, 1 of 9)', 96: '3 windows of 32 SYNs', 100: '4 windows (3 of 32 SYNs, 1 of 4)' };
  for (const [from, to] of [[0, 7], [7, 40], [40, 41], [41, 96], [96, 100]] as const) {
    board.add(syns.slice(from, to));
    board.flush();
    const want = model.scoreHost(syns.slice(0, to));
    assert.ok(Math.abs(board.list()[0]!.score - want.score) < 1e-9, `after ${to} SYNs: ${board.list()[0]!.score} vs ${want.score}`);
    assert.ok(windows[to].startsWith(`${want.windows} window`));
    assert.ok(board.list()[0]!.explanation.summary.includes(`; ${windows[to]}, mean: `), board.list()[0]!.explanation.summary);
  }
  // past four windows the score is the best run of four, on the board as in scoreHost
  const long = synth.find((h) => h.syns.length > 300)!;
  const lb = new SynLiveBoard({ model });
  for (const [from, to] of [[0, 150], [150, 151], [151, 300]] as const) {
    lb.add(long.syns.slice(from, to));
    lb.flush();
    const want = model.scoreHost(long.syns.slice(0, to));
    // they differed by about 3e-7 while the generator gave SYNs out of time order: the board's host
    // context takes the latest time seen, scoreHost the window's last SYN's (the same on a capture's order)
    assert.ok(Math.abs(lb.list()[0]!.score - want.score) < 1e-9, `after ${to} SYNs: ${lb.list()[0]!.score} vs ${want.score}`);
    assert.match(lb.list()[0]!.explanation.summary, /; \d+ windows (of 32 SYNs|\(\d+ of 32 SYNs, 1 of \d+\)), best run of 4: /);
  }
  // the image is the latest (partial) window: SYNs 97–100, and the explanation names them so
  const img = board.host(a.ip)!.image;
  assert.deepEqual((board.host(a.ip)!.host.explanation.detail as { window: unknown }).window, { from: 96, to: 100 });
  assert.equal(img.pixels[3 * img.cols], 1, 'row 4 present');
  assert.equal(img.pixels[4 * img.cols], 0, 'row 5 empty');
});

test("the evaluation's causal per-packet score is the board's score of the host after that packet", () => {
  const model = tinyModel();
  const board = new SynLiveBoard({ model });
  const syns = synth.find((h) => h.tool === 'nmap-sT')!.syns.slice(0, 70);
  assert.equal(syns.length, 70);
  const { packets: live, windows } = model.liveScores(syns);
  assert.equal(live.length, 70);
  assert.equal(windows.length, 3, 'SYNs 1–32, 33–64, 65–70');
  for (let i = 0; i < syns.length; i++) {
    board.add([syns[i]!]);
    board.flush();
    assert.ok(Math.abs(board.list()[0]!.score - live[i]!) < 1e-9, `after SYN ${i + 1}: board ${board.list()[0]!.score} vs ${live[i]}`);
  }
  assert.ok(Math.abs(live[69]! - model.scoreHost(syns).score) < 1e-9);
  assert.ok(Math.abs(live[69]! - windows.reduce((a, b) => a + b, 0) / windows.length) < 1e-9);
});

test('memory stays bounded: the least recently seen and idle hosts are evicted', () => {
  const board = new SynLiveBoard({ model: tinyModel(), maxHosts: 10, idleMs: 60_000 });
  const floods = generateSynthetic(9, 30, (p) => p.name === 'spoofed-flood');
  const t0 = floods[0]!.syns[0]!.t;
  floods.forEach((h, i) => board.add(h.syns.map((s) => ({ ...s, t: t0 + i }))));
  assert.equal(board.size, 10);
  assert.equal(board.evicted, floods.length - 10);
  const late = { ...floods[0]!.syns[0]!, src: '198.51.100.1', t: t0 + 120e6 };
  board.add(aheadRun(late));
  board.flush();
  assert.deepEqual(board.list().map((h) => h.ip), ['198.51.100.1'], 'hosts idle for over a minute of capture time are dropped');
});

test('hosts over the threshold become findings (entity ip:<addr>, evidence query ip:<addr>)', () => {
  const found: NewFinding[] = [];
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, sink: { record: (f) => found.push(...f) } });
  const a = synth.find((h) => h.tool === 'masscan')!;
  board.add(a.syns.slice(0, 40));
  board.flush();
  assert.equal(found.length, 1);
  assert.equal(found[0]!.entity, `ip:${a.ip}`);
  assert.equal(found[0]!.evidence.query, `ip:${a.ip}`);
  assert.equal(found[0]!.detector, 'syn');
  // first seen: its first SYN (the store took the finding's time, its latest SYN's)
  assert.equal(found[0]!.firstSeen, Math.floor(a.syns[0]!.t / 1000));
  assert.equal(found[0]!.time, Math.floor(a.syns[39]!.t / 1000));
  board.add(a.syns.slice(40, 41));
  board.flush();
  assert.equal(found.length, 1, 'the same host is recorded again only after a minute of capture time');
});

test("a one-SYN host's finding has evidence: a span from its second to a second past it, not from = to", () => {
  const s = { ...synth.find((h) => h.tool === 'masscan')!.syns[0]!, t: 1_700_000_000_000_000 };
  const later = { ...s, src: '198.51.100.7', t: 1_700_000_000_700_000 };
  const run = (fewSynFindingsPerMinute?: number): NewFinding[] => {
    const found: NewFinding[] = [];
    const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, sink: { record: (f) => found.push(...f) }, ...(fewSynFindingsPerMinute === undefined ? {} : { fewSynFindingsPerMinute }) });
    board.add([s, later]);
    board.flush();
    assert.equal(found.length, 0, 'one-SYN hosts wait a minute: a flood may yet show they are its spoofed sources');
    board.settle(); // the source has ended: none can come
    return found;
  };
  // by default a host of 1–2 SYNs is never a row of its own, and two of them to a port are too few for a wave's
  assert.deepEqual(run(), []);
  // an operator who wants them one by one (syn.fewSynFindingsPerMinute) gets each with its own span
  const found = run(20);
  const span = (ip: string) => found.find((f) => f.entity === `ip:${ip}`)!.evidence;
  assert.deepEqual(span(s.src), { query: `ip:${s.src}`, from: 1_700_000_000_000, to: 1_700_000_001_000 });
  // the finding's own line (its time: the SYN's millisecond) and a log store that keeps seconds both fall inside
  assert.deepEqual(span('198.51.100.7'), { query: 'ip:198.51.100.7', from: 1_700_000_000_000, to: 1_700_000_001_700 });
});

test("a flagged host's finding follows it: recorded again when its SYNs have grown by half, with its highest score, and when it goes idle", () => {
  const found: NewFinding[] = [];
  // a budget of one host a minute: an update of a host already reported must not be summed or counted
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, findingsPerMinute: 1, idleMs: 600_000, sink: { record: (f) => found.push(...f) } });
  const a = synth.find((h) => h.tool === 'masscan' && h.syns.length >= 200)!;
  assert.ok(a.syns[199]!.t - a.syns[0]!.t < 60e6, 'the fixture scan is faster than the per-minute rule');
  let fed = 0;
  /** the scan's SYNs up to `to`, a flush, and how many findings there are then */
  const feed = (to: number, want: number, why: string): void => {
    board.add(a.syns.slice(fed, to));
    fed = to;
    board.flush();
    assert.equal(found.length, want, `${to} SYNs: ${why}`);
  };
  feed(40, 1, 'the first record');
  assert.match(found[0]!.explanation.summary, /^40 SYNs to /);
  feed(71, 1, 'not yet one window more');
  feed(72, 2, 'one window more, and grown by more than half');
  const update = found[1]!;
  assert.equal(update.entity, `ip:${a.ip}`);
  assert.equal(update.detector, 'syn', 'an update, not summed into a syn-wave finding past the budget');
  assert.match(update.explanation.summary, /^72 SYNs to /);
  const host = board.list()[0]!;
  assert.equal(update.score, host.maxScore, 'the finding carries the highest score, which the store keeps');
  assert.equal(update.explanation.summary.includes('highest so far'), host.maxScore.toFixed(3) !== host.score.toFixed(3));
  assert.deepEqual(update.evidence, { query: `ip:${a.ip}`, from: Math.floor(a.syns[0]!.t / 1e6) * 1000, to: Math.floor(a.syns[71]!.t / 1000) + 1000 }, 'from the first SYN\'s second to a second past the latest');
  feed(107, 2, 'not yet grown by half again');
  feed(120, 3, 'grown by half again');
  feed(130, 3, 'not grown enough');
  // ten idle minutes later another host's SYNs move capture time on: the scanner is dropped, and its finding tells all 130 SYNs
  const other = synth.find((h) => h.tool === 'benign-browsing')!.syns[0]!;
  board.add(aheadRun({ ...other, t: a.syns[129]!.t + 601e6 }));
  board.flush();
  board.flush();
  const last = found.filter((f) => f.entity === `ip:${a.ip}`).at(-1)!;
  assert.equal(found.filter((f) => f.entity === `ip:${a.ip}`).length, 4);
  assert.match(last.explanation.summary, /^130 SYNs to /);
  assert.equal(board.list().find((h) => h.ip === a.ip)?.idle, true, 'off the live board, still listed, marked idle');
  const since = timeText(a.syns[129]!.t);
  assert.match(board.host(a.ip)!.host.explanation.summary, new RegExp(`^130 SYNs to .*; idle \\(no SYN since ${since}, capture time\\): off the live board, listed because it is a finding`), 'and kept for its finding, saying since when');
});

test("a finding whose host went quiet is brought up to date after a minute of capture time, before the host goes idle", () => {
  const found: NewFinding[] = [];
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, idleMs: 600_000, sink: { record: (f) => found.push(...f) } });
  const a = synth.find((h) => h.tool === 'masscan' && h.syns.length >= 200)!;
  const mine = () => found.filter((f) => f.entity === `ip:${a.ip}`).map((f) => Number(f.explanation.summary.split(' ')[0]));
  board.add(a.syns.slice(0, 40));
  board.flush();
  board.add(a.syns.slice(40, 70));
  board.flush();
  assert.deepEqual(mine(), [40], '70 SYNs: not grown by half and one window since 40');
  // another host moves capture time on: 30 s of quiet is not enough, 61 s is
  const other = synth.find((h) => h.tool === 'benign-browsing')!.syns[0]!;
  const last = a.syns[69]!.t;
  board.add([{ ...other, t: last + 30e6 }]);
  board.flush();
  assert.deepEqual(mine(), [40]);
  board.add([{ ...other, t: last + 61e6 }]);
  board.flush();
  assert.deepEqual(mine(), [40, 70], 'brought up to date: the row tells what the board shows');
  assert.equal(board.list().find((h) => h.ip === a.ip)?.idle, false, 'still on the live board (not idle)');
  board.add([{ ...other, t: last + 200e6 }]);
  board.flush();
  assert.deepEqual(mine(), [40, 70], 'no SYN since: not recorded again');
});

/** `n` SYNs of the synthetic `tool` host as `ip`, a millisecond apart from `t0` (µs) */
const hostSyns = (tool: string, ip: string, n: number, t0: number): SynPacket[] =>
  synth.find((h) => h.tool === tool && h.syns.length >= n)!.syns.slice(0, n).map((s, i) => ({ ...s, src: ip, t: t0 + i * 1000 }));

test("a host that is a finding stays after it goes idle: listed as idle, its image and explanation served for keepFlaggedMs, then dropped", () => {
  const found: NewFinding[] = [];
  const dropped: string[] = [];
  const t0 = 1_700_000_000e6;
  // one host a minute reported one by one: the second scanner is summed into its port's wave, no finding of its own
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, findingsPerMinute: 1, keepFlaggedMs: 3_600_000, sink: { record: (f) => found.push(...f) }, onDrop: (h) => dropped.push(h.ip) });
  board.add(hostSyns('masscan', '192.0.2.10', 40, t0));
  board.add(hostSyns('nmap-sT', '192.0.2.11', 40, t0 + 50e3));
  board.flush();
  assert.deepEqual(found.filter((f) => f.detector === 'syn').map((f) => f.entity), ['ip:192.0.2.10']);
  // eleven minutes later another host moves capture time on: both are idle (the board's idle time is 10 minutes)
  board.add(aheadRun(hostSyns('benign-browsing', '198.51.100.1', 1, t0 + 11 * 60e6)[0]!));
  board.flush();
  const rows = () => board.list({ sort: 'ip', order: 'asc' }).map((h) => [h.ip, h.idle]);
  assert.deepEqual(rows(), [['192.0.2.10', true], ['198.51.100.1', false]], 'both left the live board; the finding stays listed, marked idle');
  assert.deepEqual(dropped, ['192.0.2.11'], 'the host that is no finding of its own is dropped');
  assert.equal(board.host('192.0.2.11'), null);
  const kept = board.host('192.0.2.10')!;
  assert.equal(kept.host.packets, 40);
  assert.equal(kept.image.pixels.length, kept.image.rows * kept.image.cols);
  assert.equal(kept.saliency.length, kept.image.pixels.length);
  assert.equal(kept.host.idle, true);
  // since when, not for how long: an age in the text went stale in an open panel, and rounded apart from the page's
  assert.match(kept.host.explanation.summary, /^40 SYNs to .*; idle \(no SYN since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, capture time\): off the live board, listed because it is a finding, for 1 h after its last SYN$/);
  assert.ok(kept.host.explanation.summary.includes(`no SYN since ${timeText(kept.host.lastSeen * 1000)},`));
  assert.equal(board.allTotals().length, 2, 'its totals are still held');
  // an hour after its last SYN it goes, as any dropped host (onDrop)
  board.add(aheadRun(hostSyns('benign-browsing', '198.51.100.1', 1, t0 + 59 * 60e6)[0]!));
  board.flush();
  assert.ok(board.host('192.0.2.10') !== null, '59 minutes: still kept');
  board.add(aheadRun(hostSyns('benign-browsing', '198.51.100.1', 1, t0 + 61 * 60e6)[0]!));
  board.flush();
  assert.equal(board.host('192.0.2.10'), null, 'past keepFlaggedMs: dropped');
  assert.deepEqual(rows(), [['198.51.100.1', false]], 'and off the list');
  assert.deepEqual(dropped, ['192.0.2.11', '192.0.2.10']);
});

test('kept findings are bounded (maxKeptFlagged: the one kept longest goes), and one seen again takes up its state and its finding', () => {
  const found: NewFinding[] = [];
  const dropped: string[] = [];
  const t0 = 1_700_000_000e6;
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, maxKeptFlagged: 2, sink: { record: (f) => found.push(...f) }, onDrop: (h) => dropped.push(h.ip) });
  for (let i = 0; i < 3; i++) board.add(hostSyns('masscan', `192.0.2.${i}`, 40, t0 + i * 1e6));
  board.flush();
  assert.equal(found.length, 3);
  board.add(aheadRun(hostSyns('benign-browsing', '198.51.100.1', 1, t0 + 11 * 60e6)[0]!));
  board.flush();
  assert.deepEqual(dropped, ['192.0.2.0'], 'three findings went idle, two are kept: the first to leave goes');
  assert.deepEqual(['192.0.2.0', '192.0.2.1', '192.0.2.2'].map((ip) => board.host(ip) !== null), [false, true, true]);
  assert.deepEqual(board.list({ sort: 'ip', order: 'asc' }).map((h) => [h.ip, h.idle]), [['192.0.2.1', true], ['192.0.2.2', true], ['198.51.100.1', false]], 'the kept two are listed, marked idle');
  // the scanner comes back: its SYNs go on from its 40, and its finding follows it (recorded again, not a new host)
  board.add(hostSyns('masscan', '192.0.2.2', 80, t0 + 12 * 60e6).slice(40));
  board.flush();
  assert.equal(board.list({ sort: 'packets' })[0]!.ip, '192.0.2.2');
  assert.equal(board.list({ sort: 'packets' })[0]!.packets, 80);
  const mine = found.filter((f) => f.entity === 'ip:192.0.2.2');
  assert.deepEqual(mine.map((f) => [f.detector, f.explanation.summary.split(' ')[0]]), [['syn', '40'], ['syn', '80']]);
  assert.deepEqual(dropped, ['192.0.2.0'], 'back on the board, not dropped');
});

test("when the source ends, settle() records each flagged host's whole story once", () => {
  const found: NewFinding[] = [];
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, sink: { record: (f) => found.push(...f) } });
  const a = synth.find((h) => h.tool === 'masscan' && h.syns.length >= 60)!;
  board.add(a.syns.slice(0, 40));
  board.flush();
  board.add(a.syns.slice(40, 60));
  board.flush();
  assert.equal(found.length, 1, '60 SYNs: not one window more than the first record');
  board.settle();
  assert.equal(found.length, 2);
  assert.match(found[1]!.explanation.summary, /^60 SYNs to /);
  board.settle();
  assert.equal(found.length, 2, 'nothing new since: no record');
});

test("a quiet interface: the source's clock moves capture time on, so a held wave becomes a row and idle hosts leave", () => {
  const one = (i: number, t: number) => ({ ...synth.find((h) => h.tool === 'benign-browsing')!.syns[0]!, src: `198.51.100.${i}`, dst: '203.0.113.5', dport: 23, t });
  const t0 = 1_700_000_000e6;
  const run = (clock: number | null): { found: NewFinding[]; board: SynLiveBoard; tick: (t: number) => void } => {
    const found: NewFinding[] = [];
    let now = t0;
    const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, fewSynFindingsPerMinute: 0, sink: { record: (f) => found.push(...f) }, ...(clock === null ? {} : { clockUs: () => now }) });
    // five one-SYN sources to one victim, past the (zero) budget: a wave of one victim's sources, held a minute for a flood
    board.add([0, 1, 2, 3, 4].map((i) => one(i, t0 + i)));
    board.flush();
    return { found, board, tick: (t) => ((now = t), board.flush()) };
  };
  const live = run(0);
  assert.equal(live.found.length, 0, 'held: a flood may still take it back');
  live.tick(t0 + 30e6);
  assert.equal(live.found.length, 0, 'half a minute of silence: still held');
  live.tick(t0 + 61e6);
  assert.deepEqual(live.found.map((f) => [f.detector, f.entity, (f.explanation.detail as { sources: number }).sources]), [['syn-wave', 'port:23', 5]], 'a minute of silence: the wave is a row without another SYN');
  assert.equal(live.board.list().length, 5);
  live.tick(t0 + 11 * 60e6);
  assert.equal(live.board.list().length, 0, 'ten minutes of silence: the idle hosts have left the board');
  const replay = run(null);
  for (let i = 0; i < 3; i++) replay.board.flush();
  assert.equal(replay.found.length, 0, 'without a clock (a replay) capture time moves only with the SYNs');
  assert.equal(replay.board.list().length, 5);
});

test('sources on the ignore list are neither scored, listed nor reported; their SYNs are counted', () => {
  const found: NewFinding[] = [];
  const a = synth.find((h) => h.tool === 'masscan')!;
  const b = synth.find((h) => h.tool === 'zmap')!;
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, sink: { record: (f) => found.push(...f) }, ignore: [`${a.ip}/32`, '2001:db8::/32'] });
  board.add(a.syns.slice(0, 40));
  board.add(b.syns.slice(0, 5));
  board.flush();
  assert.deepEqual(board.list().map((h) => h.ip), [b.ip]);
  assert.deepEqual(found.map((f) => f.entity), [`ip:${b.ip}`], 'only the host not ignored becomes a finding');
  assert.equal(board.ignoredPackets, 40);
  assert.equal(board.packets, 45);
  assert.equal(board.host(a.ip), null);
  assert.equal(board.ignores(a.ip), true);
  assert.equal(board.ignores(b.ip), false);
  board.add(a.syns.slice(40, 42));
  assert.equal(board.ignoredPackets, 42, 'later SYNs of an ignored source are counted too');
});

test('a flush stops at its time budget; the hosts left stay changed and later flushes score them', () => {
  const board = new SynLiveBoard({ model: tinyModel(), flushBudgetMs: -1, idleMs: 1e12 });
  const hs = synth.filter((h) => h.label === 0).slice(0, 5);
  for (const h of hs) board.add(h.syns.slice(0, 3));
  const seen: string[] = [];
  for (let i = 0; i < 5; i++) {
    const changed = board.flush();
    assert.equal(changed.length, 1, 'one host per flush when the budget is spent at once');
    assert.equal(board.backlog, 4 - i);
    seen.push(changed[0]!.ip);
  }
  assert.deepEqual(seen.sort(), hs.map((h) => h.ip).sort(), 'every host scored once, none lost');
  assert.equal(board.flush().length, 0);
});

test('a started board catches up on its backlog right after a flush, without waiting for the timer', async () => {
  const board = new SynLiveBoard({ model: tinyModel(), flushBudgetMs: -1, idleMs: 1e12, intervalMs: 3_600_000 }).start();
  try {
    const hs = synth.filter((h) => h.label === 0).slice(0, 12);
    for (const h of hs) board.add(h.syns.slice(0, 2));
    const seen = new Set<string>();
    const all = new Promise<void>((resolve) => board.onChange((changed) => {
      for (const c of changed) seen.add(c.ip);
      if (seen.size === hs.length) resolve();
    }));
    board.tick(); // what the timer does; the hour-long timer itself never fires here
    await all;
    assert.equal(board.backlog, 0);
    assert.deepEqual([...seen].sort(), hs.map((h) => h.ip).sort());
  } finally {
    board.stop();
  }
});

test("a spoofed flood's few-SYN sources become one syn-flood finding per destination, none a finding of its own, within the per-minute budget or past it", () => {
  const found: NewFinding[] = [];
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, sink: { record: (f) => found.push(...f) }, fewSynFindingsPerMinute: 2, flushBudgetMs: Infinity, idleMs: 1e12 });
  const base = synth.find((h) => h.tool === 'spoofed-flood')!.syns[0]!;
  const sources = Array.from({ length: 2 + FLOOD_SOURCES + 5 }, (_, i) => ({ ...base, src: `198.51.100.${i + 1}`, t: base.t + i }));
  const scanner = synth.find((h) => h.tool === 'nmap-sS')!;
  board.add(sources);
  board.add(scanner.syns.slice(0, 10));
  board.flush();
  const single = found.filter((f) => f.detector === 'syn');
  const flood = found.filter((f) => f.detector === 'syn-flood');
  // the two within the budget used to be findings of their own, "1 SYN to 1 port on 1 host" each
  assert.equal(single.filter((f) => f.entity.startsWith('ip:198.51.100.')).length, 0, 'no spoofed source is a finding of its own');
  assert.ok(single.some((f) => f.entity === `ip:${scanner.ip}`), 'a host with behaviour of its own is always its own finding');
  assert.equal(flood.length, 1);
  assert.equal(flood[0]!.entity, `ip:${base.dst}`);
  assert.equal((flood[0]!.explanation.detail as { sources: number }).sources, 2 + FLOOD_SOURCES + 5, 'every source, the two the budget held too');
  assert.match(flood[0]!.explanation.summary, new RegExp(`SYN flood against ${base.dst.replace(/\./g, '\\.')} port ${base.dport}: ${2 + FLOOD_SOURCES + 5} sources`));
  board.settle();
  assert.equal(found.filter((f) => f.entity.startsWith('ip:198.51.100.')).length, 0, 'nor when the source ends');
  assert.equal(board.host('198.51.100.1')!.host.packets, 1, 'they are still on the board');
});

test('replaying a capture feeds every SYN, accelerated', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-syn-'));
  try {
    const h = synth.find((x) => x.tool === 'nmap-sS')!;
    const syns = h.syns.slice(0, 50);
    const t0 = syns[0]!.t;
    const file = join(dir, 'scan.pcap');
    // 50 SYNs spread over 0.5 s of capture time
    writeFileSync(file, writePcap(syns.map((s, i) => ({ t: t0 + i * 10_000, frame: frame(synIpPacket(s), LINKTYPE.ETHERNET) })), { linktype: LINKTYPE.ETHERNET }));
    const board = new SynLiveBoard({ model: tinyModel() });
    const stats = await replayCapture(board, file, { speed: 10 });
    assert.equal(stats.syns, 50);
    assert.equal(board.packets, 50);
    board.flush();
    assert.equal(board.list()[0]!.packets, 50);
    const ac = new AbortController();
    ac.abort();
    const none = new SynLiveBoard({ model: tinyModel() });
    await replayCapture(none, file, { speed: 0, signal: ac.signal });
    assert.equal(none.packets, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a replay as fast as possible waits for the board instead of dropping hosts it has not scored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nml-syn-flood-'));
  try {
    const base = synth.find((h) => h.tool === 'spoofed-flood')!.syns[0]!;
    // 3,000 one-SYN sources, fifteen times what the board keeps
    const syns = Array.from({ length: 3000 }, (_, i) => ({ ...base, src: `10.${(i >> 8) & 255}.${i & 255}.7`, src4: ((10 << 24) | (i << 8) | 7) >>> 0, t: base.t + i * 100 }));
    const file = join(dir, 'flood.pcap');
    writeFileSync(file, writePcap(syns.map((s) => ({ t: s.t, frame: frame(synIpPacket(s), LINKTYPE.ETHERNET) })), { linktype: LINKTYPE.ETHERNET }));
    const scored = new Set<string>();
    const board = new SynLiveBoard({ model: tinyModel(), maxHosts: 200, idleMs: 1e12 });
    board.onChange((changed) => changed.forEach((h) => scored.add(h.ip)));
    await replayCapture(board, file, { speed: 0 });
    board.flush();
    assert.equal(board.packets, 3000);
    assert.equal(board.evictedUnscored, 0, 'no host dropped before it was scored');
    assert.equal(scored.size, 3000, 'every source was scored');
    assert.equal(board.evicted, 2800);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a flagged host pushed off a full board gets its last record at the next flush, as an idle one does (and at settle)", () => {
  const found: NewFinding[] = [];
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, maxHosts: 3, idleMs: 600_000, sink: { record: (f) => found.push(...f) } });
  const a = synth.find((h) => h.tool === 'masscan' && h.syns.length >= 110)!;
  board.add(a.syns.slice(0, 40));
  board.flush();
  board.add(a.syns.slice(40, 80));
  board.flush();
  board.add(a.syns.slice(80, 110));
  board.flush();
  const mine = () => found.filter((f) => f.entity === `ip:${a.ip}`);
  assert.deepEqual(mine().map((f) => f.explanation.summary.split(' ')[0]), ['40', '80'], '110 SYNs: not grown by half since 80');
  const other = synth.find((h) => h.tool === 'benign-browsing')!.syns[0]!;
  const last = a.syns[109]!.t;
  // three other hosts, seconds later: the scanner is the least recently seen and goes
  for (let i = 1; i <= 3; i++) board.add([{ ...other, src: `198.51.100.${i}`, t: last + i * 1e6 }]);
  assert.equal(board.list().find((h) => h.ip === a.ip)?.idle, true, 'pushed off the board, listed as idle');
  assert.equal(board.host(a.ip)?.host.packets, 110, 'but kept for its finding');
  assert.equal(mine().length, 2, 'no explanation on the path that adds SYNs');
  board.flush();
  assert.equal(mine().length, 3);
  assert.match(mine()[2]!.explanation.summary, /^110 SYNs to /);
  board.flush();
  board.settle();
  assert.equal(mine().length, 3, 'once');
  // pushed off and the source ends before the next flush: settle records it
  const found2: NewFinding[] = [];
  const b2 = new SynLiveBoard({ model: tinyModel(), threshold: 0, maxHosts: 1, sink: { record: (f) => found2.push(...f) } });
  b2.add(a.syns.slice(0, 40));
  b2.flush();
  b2.add(a.syns.slice(40, 60));
  b2.flush();
  b2.add([{ ...other, t: a.syns[59]!.t + 1e6 }]);
  b2.settle();
  assert.deepEqual(found2.filter((f) => f.entity === `ip:${a.ip}`).map((f) => f.explanation.summary.split(' ')[0]), ['40', '60']);
});

test('a full board fed faster than it scores counts the hosts it dropped unscored', () => {
  const board = new SynLiveBoard({ model: tinyModel(), maxHosts: 10, idleMs: 1e12 });
  const base = synth.find((h) => h.tool === 'spoofed-flood')!.syns[0]!;
  board.add(Array.from({ length: 30 }, (_, i) => ({ ...base, src: `192.0.2.${i + 1}`, t: base.t + i })));
  assert.equal(board.evicted, 20);
  assert.equal(board.evictedUnscored, 20);
  assert.equal(board.pending, 10);
  board.flush();
  assert.equal(board.pending, 0);
  assert.equal(board.stats().evictedUnscored, 20);
});

test("a host dropped from a full board and seen again: its stays join into the best run over all their windows", () => {
  const model = tinyModel();
  const stays: RunSummary[] = [];
  const dropped = new SynLiveBoard({ model, maxHosts: 2, idleMs: 1e12, onDrop: (h) => h.ip === a.ip && stays.push(h.run) });
  // an ordinary client that starts scanning after it was dropped: 150 browsing SYNs, then 170 of a masscan run
  const a = synth.find((h) => h.tool === 'benign-browsing' && h.syns.length >= 150)!;
  const scan = synth.find((h) => h.tool === 'masscan' && h.syns.length >= 170)!.syns.slice(0, 170).map((s, i) => ({ ...s, src: a.ip, src4: a.syns[0]!.src4, t: a.syns[149]!.t + 1e6 + i * 1000 }));
  const first = a.syns.slice(0, 150);
  const others = [1, 2].map((i) => ({ ...first[0]!, src: `192.0.2.${i}`, src4: 0xc0000200 + i, t: a.syns[149]!.t + i }));
  dropped.add(first);
  dropped.flush();
  const onBoard = dropped.list().find((h) => h.ip === a.ip)!.score;
  dropped.add(others); // the second one pushes the client off the board
  assert.equal(stays.length, 1, 'the client was dropped once');
  assert.equal(dropped.evictedUnscored, 0);
  assert.ok(Math.abs(summaryScore(stays[0]!) - onBoard) < 1e-12, `a stay alone scores as the host did on the board: ${summaryScore(stays[0]!)} vs ${onBoard}`);
  dropped.add(scan);
  dropped.flush();
  const last = dropped.allTotals().find((h) => h.ip === a.ip)!;
  assert.equal(last.packets, 170, 'seen again: a new stay');
  const joined = joinRuns(stays[0]!, last.run);
  const windows = [...model.liveScores(first).windows, ...model.liveScores(scan).windows];
  assert.equal(joined.n, windows.length);
  assert.ok(Math.abs(summaryScore(joined) - runScore(windows)) < 1e-6, `${summaryScore(joined)} vs ${runScore(windows)}`);
  // the window-weighted mean across stays (what --stream did before) would hide the scan
  const mean = windows.reduce((x, y) => x + y, 0) / windows.length;
  assert.ok(summaryScore(joined) - mean > 0.01, `run ${summaryScore(joined)} vs mean ${mean}`);
});

test('an idle host is scored (and reported) before it is dropped', () => {
  const found: NewFinding[] = [];
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, sink: { record: (f) => found.push(...f) }, idleMs: 1000 });
  const a = synth.find((h) => h.tool === 'nmap-sS')!.syns.slice(0, 5);
  const later = { ...a[0]!, src: '192.0.2.77', t: a[4]!.t + 60e6 };
  board.add(a);
  board.add(aheadRun(later));
  const changed = board.flush().map((h) => h.ip);
  assert.ok(changed.includes(a[0]!.src), 'the idle host was scored in the flush that dropped it');
  assert.ok(found.some((f) => f.entity === `ip:${a[0]!.src}`));
  assert.equal(board.list().find((h) => h.ip === a[0]!.src)?.idle, true, 'and then off the live board (listed as idle: it is a finding)');
  assert.equal(board.evicted, 1);
  assert.equal(board.evictedUnscored, 0);
});

test('startSynLive (nml serve --syn-pcap) loads a model, replays the capture and stops', async () => {
  const { startSynLive } = await import('./live.js');
  const dir = mkdtempSync(join(tmpdir(), 'nml-syn-live-'));
  try {
    const modelFile = join(dir, 'model.json');
    writeFileSync(modelFile, JSON.stringify(tinyModel().file));
    const h = synth.find((x) => x.tool === 'zmap')!;
    const file = join(dir, 'z.pcap');
    writeFileSync(file, writePcap(h.syns.slice(0, 40).map((s) => ({ t: s.t, frame: frame(synIpPacket(s), LINKTYPE.RAW) }))));
    const found: NewFinding[] = [];
    const live = startSynLive({ pcap: file, speed: 0, model: modelFile, sink: { record: (f) => found.push(...f) }, onError: (e) => assert.fail(String(e)) });
    const stats = await live.done;
    assert.equal(stats?.syns, 40);
    assert.equal(live.board.list()[0]!.packets, 40);
    await live.stop();
    // syn.keepFindingsHours / maxKeptFindings reach the board
    const kept = startSynLive({ pcap: file, speed: 0, model: modelFile, keep: { ms: 2 * 3_600_000, max: 7 }, onError: (e) => assert.fail(String(e)) });
    await kept.done;
    assert.match(kept.board.retention(), /kept 2 h after its last SYN, at most 7 of them/);
    await kept.stop();
    // a file cut inside a packet (still being copied): the replay ends, and its source says the file was cut short
    const cut = join(dir, 'cut.pcap');
    const whole = readFileSync(file);
    writeFileSync(cut, whole.subarray(0, whole.length - 10));
    const short = startSynLive({ pcap: cut, speed: 0, model: modelFile, onError: (e) => assert.fail(String(e)) });
    assert.equal((await short.done)?.syns, 39);
    assert.equal(short.board.source?.state, 'ended');
    assert.match(short.board.source?.error ?? '', /cut\.pcap ends inside a packet at byte \d+ \(cut short: copied or read while still being written\?\): the board holds the 39 SYNs before it/);
    await short.stop();
    assert.equal(live.board.source?.error, null, 'a whole file ended without a word');
    const errors: unknown[] = [];
    const bad = startSynLive({ pcap: join(dir, 'missing.pcap'), speed: 0, model: modelFile, onError: (e) => errors.push(e) });
    assert.equal(await bad.done, null);
    assert.equal((errors[0] as { code: string }).code, 'PCAP_OPEN_FAILED');
    await bad.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("stop() scores what the board holds and makes the last records before it resolves: a flagged host's growth since its last record is not lost", async () => {
  const { startSynLive } = await import('./live.js');
  const dir = mkdtempSync(join(tmpdir(), 'nml-syn-stop-'));
  try {
    const modelFile = join(dir, 'model.json');
    writeFileSync(modelFile, JSON.stringify(tinyModel().file));
    const a = synth.find((h) => h.tool === 'masscan' && h.syns.length >= 85)!;
    const t0 = a.syns[0]!.t;
    // 40 SYNs, 15 more 1.5 s later (not grown by half: no record of their own), and the rest a minute later
    const at = (i: number) => t0 + i * 1000 + (i >= 40 ? 1.5e6 : 0) + (i >= 55 ? 60e6 : 0);
    const file = join(dir, 'scan.pcap');
    writeFileSync(file, writePcap(a.syns.slice(0, 85).map((s, i) => ({ t: at(i), frame: frame(synIpPacket({ ...s, t: at(i) }), LINKTYPE.RAW) }))));
    const found: NewFinding[] = [];
    const live = startSynLive({ pcap: file, speed: 1, threshold: 0, model: modelFile, sink: { record: (f) => found.push(...f) }, onError: (e) => assert.fail(String(e)) });
    for (let i = 0; i < 100 && !(live.board.packets >= 55 && found.length > 0); i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(live.board.packets, 55);
    const stopped = live.stop();
    assert.equal(live.stop(), stopped, 'one stop');
    await stopped;
    const mine = found.filter((f) => f.entity === `ip:${a.ip}`);
    assert.deepEqual(mine.map((f) => f.explanation.summary.split(' ')[0]), ['40', '55'], 'the first record, and the last, which tells all 55 SYNs');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rates read in the unit that fits', () => {
  assert.equal(rateText(25, 1.04e6), '24.0/s');
  assert.equal(rateText(8, 120e6), '4.0/min');
  assert.equal(rateText(3, 2 * 3600e6), '1.5/h');
  assert.equal(rateText(8, 30 * 86400e6), '0.3/day');
});

test("a host's summary says how long its SYNs took beside their pace, which counts the gaps between them", () => {
  const board = new SynLiveBoard({ model: tinyModel() });
  const s = synth.find((h) => h.tool === 'masscan')!.syns[0]!;
  const t0 = 1_700_000_000e6;
  // 50 SYNs in 0.3 s: 49 gaps of about 6.1 ms; read as "166.7/s" before, no span said
  board.add(Array.from({ length: 50 }, (_, i) => ({ ...s, src: '198.51.100.1', t: t0 + Math.round((i * 0.3e6) / 49) })));
  // two SYNs in the same µs: "2000.0/s" before
  board.add([0, 0].map((d) => ({ ...s, src: '198.51.100.2', t: t0 + d })));
  board.flush();
  const summary = (ip: string) => board.list().find((h) => h.ip === ip)!.explanation.summary;
  assert.match(summary('198.51.100.1'), /^50 SYNs to 1 port on 1 host in 300 ms, 163\.3\/s; /);
  assert.match(summary('198.51.100.2'), /^2 SYNs to 1 port on 1 host within 1 ms; /);
  assert.equal(paceText(30, 12e6), 'in 12 s, 2.4/s');
  assert.equal(paceText(4, 3 * 3600e6), 'in 3 h, 1.0/h');
  assert.equal(paceText(1, 0), '');
});

test('with a batch scorer (onnxruntime) the board gives the scores of the TypeScript pass', async () => {
  const model = tinyModel();
  const scorer = await SynBatchScorer.create(model);
  try {
    const a = new SynLiveBoard({ model, idleMs: 1e12, flushBudgetMs: Infinity });
    const b = new SynLiveBoard({ model, idleMs: 1e12, flushBudgetMs: Infinity, scorer });
    const hs = synth.filter((h) => h.syns.length >= 70).slice(0, 6);
    for (const [from, to] of [[0, 5], [5, 40], [40, 70]] as const) {
      for (const h of hs) {
        a.add(h.syns.slice(from, to));
        b.add(h.syns.slice(from, to));
      }
      a.flush();
      assert.equal((await b.step()).length, hs.length);
      for (const h of hs) assert.ok(Math.abs(a.host(h.ip)!.host.score - b.host(h.ip)!.host.score) < 1e-5, `${h.tool} after ${to} SYNs`);
    }
  } finally {
    await scorer.close();
  }
});

test('SYNs that arrive while the scorer runs mark their host changed again; a failing scorer gives way to the TypeScript pass', async () => {
  const model = tinyModel();
  let release: () => void = () => {};
  const slow: WindowScorer = {
    scoreWindows: async (items) => {
      await new Promise<void>((r) => (release = r));
      return Float32Array.from(items, (it) => model.windowScore(it.syns, it.w));
    },
  };
  const errors: unknown[] = [];
  const board = new SynLiveBoard({ model, idleMs: 1e12, scorer: slow, onError: (e) => errors.push(e) });
  const h = synth.find((x) => x.tool === 'nmap-sS')!;
  board.add(h.syns.slice(0, 10));
  const running = board.step();
  assert.equal(board.step(), running, 'a second step joins the flush in flight');
  board.add(h.syns.slice(10, 15));
  release();
  await running;
  assert.ok(Math.abs(board.host(h.ip)!.host.score - model.scoreHost(h.syns.slice(0, 10)).score) < 1e-6, 'scored as of when it was taken (to float32)');
  assert.equal(board.pending, 1, 'the later SYNs left it changed');
  board.useScorer({ scoreWindows: () => Promise.reject(new Error('onnxruntime: session closed')) });
  await board.step();
  assert.ok(Math.abs(board.host(h.ip)!.host.score - model.scoreHost(h.syns.slice(0, 15)).score) < 1e-9, 'scored by the TypeScript pass instead');
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /session closed/);
  board.add(h.syns.slice(15, 20));
  await board.step();
  assert.equal(errors.length, 1, 'the failed scorer is not tried again');
});

test('a timer flush that fails is reported, not thrown (from a timer a throw would end the process)', async () => {
  const errors: unknown[] = [];
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, idleMs: 1e12, intervalMs: 3_600_000, sink: { record: () => { throw new Error('disk full'); } }, onError: (e) => errors.push(e) }).start();
  try {
    board.add(synth.find((h) => h.tool === 'masscan')!.syns.slice(0, 5));
    assert.doesNotThrow(() => board.tick());
    await new Promise((r) => setImmediate(r));
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /disk full/);
  } finally {
    board.stop();
  }
});

test('partialsAtEnd: interleaved hosts cost a window per 32 SYNs, not one per SYN, and end with the same totals', async () => {
  const model = tinyModel();
  const base = synth.find((h) => h.tool === 'masscan')!.syns;
  // 160 hosts, 40 SYNs each (a filled window and a partial one), sent round-robin
  const H = 160;
  const P = 40;
  const syns = Array.from({ length: H * P }, (_, k) => {
    const h = k % H;
    const s = base[Math.floor(k / H) % base.length]!;
    return { ...s, src: `10.1.${h >> 8}.${h & 255}`, src4: 0x0a010000 + h, t: 1.7e15 + k * 100 };
  });
  const run = async (partialsAtEnd: boolean): Promise<{ windows: number; scores: Map<string, number> }> => {
    let windows = 0;
    const scorer: WindowScorer = {
      scoreWindows: async (items) => {
        windows += items.length;
        return Float32Array.from(items, (it) => model.windowScore(it.syns, it.w));
      },
    };
    const board = new SynLiveBoard({ model, scorer, partialsAtEnd, flushBudgetMs: Infinity });
    // as a replay does: hand over SYNs, and score whenever more than 32 hosts wait
    for (let i = 0; i < syns.length; i += 16) {
      board.add(syns.slice(i, i + 16));
      while (board.pending > 32) await board.step();
    }
    while (board.pending > 0) await board.step();
    const totals = partialsAtEnd ? await board.finalTotals() : board.allTotals();
    return { windows, scores: new Map(totals.map((t) => [t.ip, summaryScore(t.run)])) };
  };
  const eager = await run(false);
  const lazy = await run(true);
  assert.ok(eager.windows > (H * P) / 2, `every flush re-scored each changed host's partial window: ${eager.windows}`);
  assert.equal(lazy.windows, H * Math.ceil(P / 32), 'each filled window once, each partial one once at the end');
  assert.equal(lazy.scores.size, H);
  for (const [ip, s] of eager.scores) assert.ok(Math.abs(lazy.scores.get(ip)! - s) < 1e-6, `${ip}: ${lazy.scores.get(ip)} vs ${s}`);
});

test("a finding's explanation leads with what raised its score when the board's threshold (syn.threshold) is under the model's", () => {
  const found: NewFinding[] = [];
  // the test model's threshold is 0.5; this board's is 0, so a benign-looking host under 0.5 is a finding
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, sink: { record: (f) => found.push(...f) } });
  const low = synth.filter((h) => h.tool === 'benign-browsing' && h.syns.length >= 8);
  board.add(low.flatMap((h) => h.syns.slice(0, 8)));
  board.flush();
  const under = found.filter((f) => f.detector === 'syn' && f.score < tinyModel().file.threshold);
  assert.ok(under.length > 0, 'a finding scored under the model threshold');
  for (const f of under) assert.match(f.explanation.summary, /; raised the score most: /, f.explanation.summary);
  const ip = under[0]!.entity.slice(3);
  assert.match(board.host(ip)!.host.explanation.summary, /; raised the score most: /, 'and the host page says the same');
});
