/** The board's `ip` order (board-view.ts `sortedHosts`), which the Hosts page asks for and sorts its rows by again. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SynLiveBoard } from './board.js';
import { capturedTargets } from './board-view.js';
import { generateSynthetic } from './synth.js';
import { tinyModel } from './testing.js';

const base = generateSynthetic(5, 1).find((h) => h.tool === 'benign-browsing')!.syns[0]!;
const t0 = 1_700_000_000e6;

test('sort=ip orders IPv4 addresses by value, then IPv6 ones by value, as the page does: the first of a limit are the lowest addresses', () => {
  const board = new SynLiveBoard({ model: tinyModel(), threshold: 0, sink: { record: () => undefined } });
  const ips = ['10.0.0.100', '2001:db8::10', '10.0.0.10', '2001:db8::1', '10.0.0.9', '::1', '9.255.255.255', '2001:db8::9'];
  board.add(ips.map((src, i) => ({ ...base, src, v: src.includes(':') ? 6 : 4, t: t0 + i * 1e6 })));
  board.flush();
  const order = (o: 'asc' | 'desc', limit?: number) => board.list({ sort: 'ip', order: o, ...(limit === undefined ? {} : { limit }) }).map((h) => h.ip);
  assert.deepEqual(order('asc'), ['9.255.255.255', '10.0.0.9', '10.0.0.10', '10.0.0.100', '::1', '2001:db8::1', '2001:db8::9', '2001:db8::10']);
  // text order sent 10.0.0.10 and 10.0.0.100 before 10.0.0.9 (and 9.255.255.255 last of the four): past the limit the page sorted the wrong hosts
  assert.deepEqual(order('asc', 2), ['9.255.255.255', '10.0.0.9']);
  assert.deepEqual(order('desc', 2), ['2001:db8::10', '2001:db8::9']);
  // IPv6 as text put ::1 last and 2001:db8::10 before 2001:db8::9
  assert.deepEqual(order('asc', 6).slice(4), ['::1', '2001:db8::1']);
});

test('capturedTargets: exact top ports and addresses, every port as runs, and how many are not listed', () => {
  const syn = (dport: number, dst: string) => ({ ...base, dport, dst });
  const syns = [
    ...[22, 23, 24, 25, 80, 80, 80, 443, 443, 8080].map((p) => syn(p, '192.0.2.1')),
    ...Array.from({ length: 30 }, (_, i) => syn(1000 + 2 * i, `198.51.100.${i}`)),
  ];
  const t = capturedTargets(syns);
  assert.deepEqual(t.ports.slice(0, 3), [
    { port: 80, syns: 3, over: 0 },
    { port: 443, syns: 2, over: 0 },
    { port: 22, syns: 1, over: 0 },
  ]);
  assert.equal(t.ports.length, 10);
  assert.equal(t.morePorts, 7 + 30 - 10, 'distinct ports not listed');
  // 22–25, 80, 443, 1000, 1002, …: runs of consecutive ports, the first 16
  assert.deepEqual(t.portRuns.slice(0, 4), [{ from: 22, to: 25 }, { from: 80, to: 80 }, { from: 443, to: 443 }, { from: 1000, to: 1000 }]);
  assert.equal(t.portRuns.length, 16);
  assert.equal(t.morePortRuns, 4 + 30 - 16);
  assert.deepEqual(t.dsts[0], { ip: '192.0.2.1', syns: 10, over: 0 });
  assert.equal(t.dsts.length, 10);
  assert.equal(t.moreDsts, 31 - 10);
  assert.equal(t.dstsExact, true);
  assert.deepEqual(capturedTargets([]), { ports: [], morePorts: 0, portRuns: [], morePortRuns: 0, dsts: [], moreDsts: 0, dstsExact: true });
});
