/** The evaluation's scoring: host scores without per-packet passes are the same scores, for a 32nd of the passes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scoreHosts } from './evaluate.js';
import { generateSynthetic } from './synth.js';
import { tinyModel } from './testing.js';

test('liveScores without per-packet scores gives the same window scores, and scoreHosts the same host scores with packetScores empty', () => {
  const model = tinyModel();
  // hosts of a few SYNs, of whole windows and of many windows with a partial last one
  const hosts = generateSynthetic(11, 1).filter((h) => h.syns.length > 0).slice(0, 12);
  assert.ok(hosts.some((h) => h.syns.length % 32 !== 0 && h.syns.length > 64));
  for (const h of hosts) {
    const full = model.liveScores(h.syns);
    const windows = model.liveScores(h.syns, false);
    assert.deepEqual(windows, { packets: [], windows: full.windows });
  }
  const perPacket = scoreHosts(model, hosts);
  const perHost = scoreHosts(model, hosts, false);
  assert.deepEqual(
    perHost,
    perPacket.map((h) => ({ ...h, packetScores: [] })),
  );
  assert.ok(perPacket.every((h, i) => h.packetScores.length === hosts[i]!.syns.length));
});
