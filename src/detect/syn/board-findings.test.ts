/** The findings budget: hosts one by one up to the minute's budgets, then summed per victim (floods) or per port (waves). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FEW_HOLD_US, FEW_WAVE_SOURCES, FindingsBudget, WAVE_HOLD_US, type FlaggedHost } from './board-findings.js';
import { FEW_SYNS, FLOOD_SOURCES, WAVE_MEMBER_SYNS } from './board-groups.js';

const MIN = 60e6;
const host = (i: number, count: number, dport = 23, dst = '203.0.113.5'): FlaggedHost => ({ ip: `198.51.100.${i}`, score: 0.9 + i / 1000, count, firstSeen: 10 * MIN, lastSeen: 10 * MIN + i, dst, dport });

test('past the minute budget, scanners are one syn-wave finding per destination port', () => {
  const b = new FindingsBudget({ threshold: 0.86, modelVersion: 'm', perMinute: 3, fewPerMinute: 2 });
  b.begin(10 * MIN);
  const own = Array.from({ length: 10 }, (_, i) => b.admit(host(i, 40))).filter(Boolean).length;
  b.admit(host(50, 40, 2323));
  assert.equal(own, 3);
  const summed = b.summed();
  assert.deepEqual(summed.map((f) => [f.detector, f.entity, (f.explanation.detail as { sources: number }).sources]), [['syn-wave', 'port:23', 7], ['syn-wave', 'port:2323', 1]]);
  assert.match(summed[0]!.explanation.summary, /^7 more sources sending SYNs to port 23 scored ≥ 0\.86 since 1970-01-01 00:10:00 UTC, past the 3 hosts \(2 of 1–2 SYNs\) reported one by one per minute/);
  assert.equal(summed[0]!.score, 0.909, 'the highest score of the group');
  // the wave's SYNs, not every line of the port
  assert.equal(summed[0]!.evidence.query, 'port:23 (ip:198.51.100.3 OR ip:198.51.100.4 OR ip:198.51.100.5 OR ip:198.51.100.6 OR ip:198.51.100.7)');
});

test('few-SYN sources have their own, smaller budget, within which they are held; past it, a victim with FLOOD_SOURCES of them is a flood, fewer join the port', () => {
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm', perMinute: 100, fewPerMinute: 2 });
  const sources = (f: ReturnType<FindingsBudget['summed']>[number]): number => (f.explanation.detail as { sources: number }).sources;
  b.begin(10 * MIN);
  const got = [host(1, 1), host(2, FEW_SYNS), host(3, 1), host(4, 1, 80, '203.0.113.9'), host(5, 30)].map((h) => b.admit(h));
  assert.deepEqual(got, [false, false, false, false, true], 'no few-SYN host is a row at once; the 30-SYN host still fits the overall budget');
  assert.deepEqual([1, 2, 3].map((i) => b.holds(`198.51.100.${i}`)), [true, true, false], 'two few-SYN hosts held within the budget, the third past it');
  assert.deepEqual(b.release(), [], 'a flood may yet show they are its sources');
  assert.deepEqual(b.summed(), [], "too few for a flood, so each joins its port's wave; a wave of one victim's sources waits a minute, for a flood may take it back");
  b.begin(10 * MIN + 1);
  for (let i = 6; i < 6 + FLOOD_SOURCES; i++) b.admit(host(i, 1));
  assert.deepEqual(b.release(), [{ ip: '198.51.100.1', own: false }, { ip: '198.51.100.2', own: false }], 'the held ones were its sources: summed, not rows');
  const later = b.summed();
  assert.deepEqual(later.map((f) => [f.detector, f.entity]), [['syn-flood', 'ip:203.0.113.5']], "the flood took back its port's wave: one row, not two for one flood");
  assert.equal(sources(later[0]!), FLOOD_SOURCES + 3, 'the flood counts every few-SYN source of its victim, the held ones too');
  assert.match(later[0]!.explanation.summary, /^SYN flood against 203\.0\.113\.5 port 23: 23 sources of 1–2 SYNs scored ≥ 0\.5 since .*, none of them a finding of its own/);
  assert.match(later[0]!.explanation.summary, /; the evidence lists every SYN to the port in that time, from sources under the line too$/, 'why its search shows more lines than sources');
  assert.match(later[0]!.explanation.summary, /e\.g\. 198\.51\.100\.3 /, 'with the examples of the wave it took back');
  b.begin(11 * MIN);
  const at = (i: number, dst: string, t: number): FlaggedHost => ({ ...host(i, 1, 443, dst), lastSeen: t });
  b.admit(at(99, '203.0.113.77', 11 * MIN));
  b.admit(at(96, '203.0.113.76', 11 * MIN));
  assert.deepEqual([99, 96].map((i) => b.holds(`198.51.100.${i}`)), [true, true], 'a new minute, a new budget');
  b.admit(at(95, '203.0.113.75', 11 * MIN + 5));
  assert.equal(b.holds('198.51.100.95'), false, 'past it');
  b.admit(at(97, '203.0.113.78', 10 * MIN + 97));
  assert.equal(b.holds('198.51.100.97'), true, "the budget is the minute of the host's SYNs, not of the flush: minute 10's, which the flood's held sources gave back");
  assert.equal(b.admit(host(98, 1)), false, 'but a source of the flooded victim joins the flood');
  assert.deepEqual(b.release(), []);
  const due = b.summed();
  assert.deepEqual(due.map((f) => [f.detector, f.entity, sources(f)]), [['syn-flood', 'ip:203.0.113.5', 24]], "port 80's wave of one 1-SYN source has waited a minute: too few for a row (FEW_WAVE_SOURCES)");
  assert.equal(due[0]!.evidence.query, 'ip:203.0.113.5 port:23', "the victim's lines on the port");
  assert.deepEqual(b.summed(), [], 'and only once');
  b.begin(11 * MIN + FEW_HOLD_US);
  assert.deepEqual(b.release(), [99, 96, 97].map((i) => ({ ip: `198.51.100.${i}`, own: true })), 'no flood came for their victims within the hold: rows of their own');
});

test("a flood's first sources, within the budget, are not rows of their own; a lone few-SYN host is, a minute later or when the source ends", () => {
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm', perMinute: 60, fewPerMinute: 20 });
  b.begin(10 * MIN);
  const scanner = { ...host(250, 1, 22, '192.0.2.1'), ip: '192.0.2.250' };
  b.admit(scanner);
  // the demo's flood: hundreds of one-SYN sources in seconds against one server
  let own = 0;
  for (let i = 0; i < 200; i++) own += b.admit(host(i, 1, 443)) ? 1 : 0;
  const released = b.release();
  assert.equal(own, 0);
  assert.equal(released.length, 19, "the 19 of the flood the budget held (the scanner took the minute's first place)");
  assert.ok(released.every((r) => !r.own));
  const rows = b.summed();
  assert.deepEqual(rows.map((f) => [f.detector, f.entity, (f.explanation.detail as { sources: number }).sources]), [['syn-flood', 'ip:203.0.113.5', 200]], 'every source of the flood in its one row');
  assert.equal(b.holds(scanner.ip), true, 'the scanner waits: a flood against its victim may yet come');
  b.begin(10 * MIN + FEW_HOLD_US - 1);
  assert.deepEqual(b.release(), []);
  b.begin(10 * MIN + 250 + FEW_HOLD_US);
  assert.deepEqual(b.release(), [{ ip: scanner.ip, own: true }], 'a minute past its SYN: a row of its own');
  const c = new FindingsBudget({ threshold: 0.5, modelVersion: 'm', fewPerMinute: 20 });
  c.begin(10 * MIN);
  c.admit(scanner);
  assert.deepEqual(c.release(true), [{ ip: scanner.ip, own: true }], 'the source has ended: no flood can come');
});

test('by default no few-SYN host is a row of its own: a lone one-SYN probe is no row, five to one port are one that says why', () => {
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  b.begin(10 * MIN);
  const probe = { ...host(250, 1, 443, '192.0.2.1'), ip: '34.107.8.209', score: 0.988 };
  assert.equal(b.admit(probe), false);
  assert.equal(b.holds(probe.ip), false, 'nothing to hold: it will not be a row of its own');
  assert.equal(b.admit(host(40, 40, 443, '192.0.2.1')), true, 'a host of more SYNs is still a row of its own');
  b.begin(10 * MIN + FEW_HOLD_US);
  assert.deepEqual(b.summed(), [], 'one probe a minute later: background, no row');
  assert.deepEqual(b.settle(), [], 'nor when the source ends');
  b.begin(10 * MIN + FEW_HOLD_US + 1);
  for (let i = 41; i < 41 + FEW_WAVE_SOURCES - 2; i++) b.admit(host(i, 1, 443, `192.0.2.${i}`));
  b.admit(host(99, 5, 443, '192.0.2.3'));
  assert.deepEqual(b.summed(), [], `${FEW_WAVE_SOURCES - 1} probes (the 5-SYN host had its own row, within the budget)`);
  b.admit(host(60, 2, 443, '192.0.2.60'));
  assert.deepEqual(b.summed(), [], 'five: worth a row, after a minute in which a flood may take some');
  b.begin(10 * MIN + FEW_HOLD_US + 1 + WAVE_HOLD_US);
  const rows = b.summed();
  assert.deepEqual(rows.map((f) => [f.detector, f.entity, f.score]), [['syn-wave', 'port:443', 0.988]]);
  assert.match(rows[0]!.explanation.summary, new RegExp(`^${FEW_WAVE_SOURCES} sources of only 1–2 SYNs each to port 443 scored ≥ 0\\.5 since 1970-01-01 00:10:00 UTC: too few SYNs for any one to be a finding of its own \\(.*\\), e\\.g\\. 34\\.107\\.8\\.209 0\\.988`));
  assert.match(rows[0]!.evidence.query, /^port:443 \(ip:34\.107\.8\.209 OR ip:198\.51\.100\.41 OR /);
});

test("a wave of one victim's brief sources that no flood takes back is a row when the source ends, or when it has other victims", () => {
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm', perMinute: 100, fewPerMinute: 0 });
  b.begin(10 * MIN);
  for (let i = 0; i < 5; i++) b.admit(host(i, 1));
  assert.deepEqual(b.summed(), []);
  assert.deepEqual(b.settle().map((f) => [f.entity, (f.explanation.detail as { sources: number }).sources]), [['port:23', 5]], 'the capture is over: no flood can come');
  assert.deepEqual(b.settle(), []);
  const c = new FindingsBudget({ threshold: 0.5, modelVersion: 'm', perMinute: 100, fewPerMinute: 0 });
  c.begin(10 * MIN);
  for (let i = 1; i <= FEW_WAVE_SOURCES - 1; i++) c.admit(host(i, 1, 23, '203.0.113.5'));
  assert.deepEqual(c.summed(), []);
  c.begin(10 * MIN + 1);
  c.admit(host(FEW_WAVE_SOURCES, 1, 23, '203.0.113.6'));
  assert.deepEqual(c.summed(), [], "a second victim: a wave, which waits too, for a flood may take its victim's sources back");
  c.begin(10 * MIN + 1 + WAVE_HOLD_US);
  assert.deepEqual(c.summed().map((f) => [f.entity, (f.explanation.detail as { sources: number }).sources]), [['port:23', FEW_WAVE_SOURCES]], 'none came in the minute since it could be a row: a row');
});

test("a flood takes its own sources back from a wave that has another victim's too: no wave row of the flood's first sources", () => {
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  b.begin(10 * MIN);
  // the demo: one spoofed-flood probe of another server on 443, then a flood against 10.20.0.80:443
  b.admit({ ...host(250, 1, 443, '192.0.2.1'), ip: '34.107.8.209' });
  for (let i = 0; i < FLOOD_SOURCES - 1; i++) b.admit(host(i, 1, 443, '10.20.0.80'));
  assert.deepEqual(b.summed(), [], 'the wave of 20 waits: a flood may take its sources');
  b.begin(10 * MIN + 1);
  for (let i = FLOOD_SOURCES; i < 3 * FLOOD_SOURCES; i++) b.admit(host(i, 1, 443, '10.20.0.80'));
  const rows = b.summed();
  assert.deepEqual(rows.map((f) => [f.detector, f.entity, (f.explanation.detail as { sources: number }).sources]), [['syn-flood', 'ip:10.20.0.80', 3 * FLOOD_SOURCES - 1]], 'the flood counts all its sources; the probe alone is no row');
  assert.match(rows[0]!.explanation.summary, /e\.g\. 198\.51\.100\.0 /, "with the examples the wave had of the flood's");
  b.begin(10 * MIN + WAVE_HOLD_US);
  assert.deepEqual(b.summed(), [], 'a minute later the wave holds the one probe: too few for a row');

  // the same when the probe came minutes before the flood: its wave waits from when it could be a row
  const c = new FindingsBudget({ threshold: 0.5, modelVersion: 'm' });
  c.begin(10 * MIN);
  c.admit({ ...host(250, 1, 443, '192.0.2.1'), ip: '34.107.8.209' });
  assert.deepEqual(c.summed(), []);
  const at = (i: number, t: number): FlaggedHost => ({ ...host(i, 1, 443, '10.20.0.80'), firstSeen: t, lastSeen: t });
  c.begin(13 * MIN);
  for (let i = 0; i < FLOOD_SOURCES - 1; i++) c.admit(at(i, 13 * MIN));
  assert.deepEqual(c.summed(), [], 'worth a row now, it waits a minute, though it began minutes ago');
  c.begin(13 * MIN + 2e6);
  for (let i = FLOOD_SOURCES; i < 2 * FLOOD_SOURCES; i++) c.admit(at(i, 13 * MIN + 2e6));
  assert.deepEqual(c.summed().map((f) => f.detector), ['syn-flood']);
  c.begin(15 * MIN);
  assert.deepEqual(c.summed(), [], 'and the probe alone stays no row');
});

test('once a flood or a wave has FLOOD_SOURCES sources, later few-SYN sources join it: an hour of flood is one row after its first minute', () => {
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm', perMinute: 60, fewPerMinute: 20 });
  const sources = (f: ReturnType<FindingsBudget['summed']>[number]): number => (f.explanation.detail as { sources: number }).sources;
  let own = 0;
  let n = 0;
  const spoofed = (m: number, dst: string, dport: number): FlaggedHost => ({ ip: `10.${n >> 16 & 255}.${n >> 8 & 255}.${n++ & 255}`, score: 0.99, count: 1, firstSeen: m * MIN, lastSeen: m * MIN + 1, dst, dport });
  // 60 minutes, 200 spoofed sources a minute against one victim, and a botnet hitting 100 addresses a minute on port 23
  for (let m = 10; m < 70; m++) {
    b.begin(m * MIN);
    for (let i = 0; i < 200; i++) own += b.admit(spoofed(m, '203.0.113.5', 80)) ? 1 : 0;
    for (let i = 0; i < 100; i++) own += b.admit(spoofed(m, `198.51.100.${i}`, 23)) ? 1 : 0;
    if (m < 69) b.summed(); // as the board does each flush; the last minute's rows are looked at below
  }
  assert.equal(own, 0, "none: the first minute's twenty were held, and the flood and the wave took them");
  assert.equal(b.release().filter((r) => r.own).length, 0);
  const rows = b.summed();
  assert.deepEqual(rows.map((f) => [f.detector, f.entity]).sort(), [['syn-flood', 'ip:203.0.113.5'], ['syn-wave', 'port:23']]);
  assert.equal(rows.reduce((a, f) => a + sources(f), 0) + own, n, 'every source is a row of its own or counted in its group');
  // a host with more SYNs has behaviour of its own: still a row of its own while the budget lasts
  assert.equal(b.admit({ ...spoofed(69, '203.0.113.5', 80), count: 40 }), true);
  // a brief host of the wave's port alone (a bot that tried port 23 a few times) joins the wave; on other ports too, or longer, it does not
  assert.equal(b.admit({ ...spoofed(69, '198.51.100.7', 23), count: 4, ports: 1 }), false);
  assert.equal(b.admit({ ...spoofed(69, '198.51.100.7', 23), count: WAVE_MEMBER_SYNS - 1, ports: 1 }), false);
  assert.equal(b.admit({ ...spoofed(69, '198.51.100.7', 23), count: 4, ports: 3 }), true);
  assert.equal(b.admit({ ...spoofed(69, '198.51.100.7', 23), count: WAVE_MEMBER_SYNS, ports: 1 }), true);
  // a 4-SYN host to the flooded victim's port is no flood source (those have 1–2 SYNs), and port 80 has no
  // wave (the flood's first minute's twenty joined the flood, not rows of their own): a row of its own
  b.begin(69 * MIN);
  assert.equal(b.admit({ ...spoofed(69, '203.0.113.5', 80), count: 4, ports: 1 }), true);
});

test('a slow wave, a brief bot a minute on one port, is a row for the port after its first twenty', () => {
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm', perMinute: 60, fewPerMinute: 20 });
  let own = 0;
  for (let m = 0; m < 60; m++) {
    b.begin(m * MIN);
    own += b.admit({ ip: `192.0.2.${m}`, score: 0.99, count: 3, ports: 1, firstSeen: m * MIN, lastSeen: m * MIN + 1, dst: `198.51.100.${m}`, dport: 37215 }) ? 1 : 0;
  }
  assert.equal(own, FLOOD_SOURCES);
  const wave = b.summed();
  assert.deepEqual(wave.map((f) => [f.entity, (f.explanation.detail as { sources: number }).sources]), [['port:37215', 60 - FLOOD_SOURCES]]);
  // a host on several ports has behaviour of its own: still a row
  b.begin(60 * MIN);
  assert.equal(b.admit({ ip: '192.0.2.200', score: 0.99, count: 3, ports: 2, firstSeen: 60 * MIN, lastSeen: 60 * MIN + 1, dst: '198.51.100.1', dport: 37215 }), true);
});

test('a botnet probing each address of a network once or twice is one row for the port, not a flood row per address', () => {
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm', perMinute: 100, fewPerMinute: 1 });
  b.begin(10 * MIN);
  for (let i = 0; i < 500; i++) b.admit(host(i % 250, 1, 23, `10.0.0.${i % 200}`));
  assert.deepEqual(b.release(), [], 'the one within the budget is held: its victim had 3 sources, no flood');
  assert.deepEqual(b.summed(), [], 'a wave of brief sources alone waits a minute: a flood may take some back');
  b.begin(10 * MIN + WAVE_HOLD_US);
  const rows = b.summed();
  assert.deepEqual(rows.map((f) => [f.detector, f.entity]), [['syn-wave', 'port:23']]);
  assert.equal((rows[0]!.explanation.detail as { sources: number }).sources, 498, 'the rest (the held one counted once, not again when its address came back)');
});

test('a flood or wave is summed whole until it has been quiet for an hour; a host summed again is not counted twice', () => {
  const b = new FindingsBudget({ threshold: 0.5, modelVersion: 'm', perMinute: 1, fewPerMinute: 1 });
  const sources = (f: ReturnType<FindingsBudget['summed']>[number]): number => (f.explanation.detail as { sources: number }).sources;
  b.begin(10 * MIN);
  b.admit(host(1, 40));
  for (const i of [2, 3, 4]) b.admit(host(i, 40));
  assert.equal(sources(b.summed()[0]!), 3);
  // the next minutes: the same three scanners again, and one more
  for (let m = 11; m < 40; m++) {
    b.begin(m * MIN);
    b.admit({ ...host(9, 40), lastSeen: m * MIN });
    for (const i of [2, 3, 4]) b.admit({ ...host(i, 40), lastSeen: m * MIN, again: true });
  }
  b.admit({ ...host(5, 40), lastSeen: 39 * MIN });
  const wave = b.summed()[0]!;
  assert.equal(sources(wave), 4, 'four distinct sources, however often they were seen');
  assert.equal(wave.evidence.from, 10 * MIN / 1000);
  assert.equal(wave.evidence.to, 39 * MIN / 1000 + 1000, 'a second past its latest SYN');
  // an hour and more without a summed source: the next wave on the port starts afresh
  b.begin(100 * MIN);
  b.admit({ ...host(9, 40), firstSeen: 100 * MIN, lastSeen: 100 * MIN });
  b.admit({ ...host(6, 40), firstSeen: 100 * MIN, lastSeen: 100 * MIN });
  const next = b.summed()[0]!;
  assert.equal(sources(next), 1);
  assert.match(next.explanation.summary, /since 1970-01-01 01:40:00 UTC/);
});

test('a summed row whose first SYN has a time no Date holds says the raw time instead of throwing away the flush', () => {
  const b = new FindingsBudget({ threshold: 0.86, modelVersion: 'm', perMinute: 1, fewPerMinute: 1 });
  b.begin(10 * MIN);
  b.admit(host(0, 40));
  b.admit({ ...host(1, 40), firstSeen: 1.8e25 });
  b.admit({ ...host(2, 40), firstSeen: NaN });
  const rows = b.summed();
  assert.equal(rows.length, 1);
  assert.match(rows[0]!.explanation.summary, /^2 more sources sending SYNs to port 23 scored ≥ 0\.86 since (1\.8e\+25|NaN) µs,/);
  assert.equal(rows[0]!.firstSeen, undefined, 'no first seen: the store takes its time');
});
