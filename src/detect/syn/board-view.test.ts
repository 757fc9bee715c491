/** The board's `ip` order (board-view.ts `sortedHosts`), which the Hosts page asks for and sorts its rows by again. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SynLiveBoard } from './board.js';
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
